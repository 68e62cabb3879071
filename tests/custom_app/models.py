"""``CustomArticlePage``: a site's own article type on the package's abstract bases."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from wagtail_acupuncture.models import AbstractArticlePage, AbstractArticlePageTreatment

from .blocks import CustomArticleStreamBlock

AUDIENCES = [
    ("patients", _("Patients")),
    ("practitioners", _("Practitioners")),
]


class Partner(DraftStateMixin, RevisionMixin, models.Model):
    """An organisation the clinic works with, chosen in callouts. Drafts are never shown."""

    name = models.CharField(_("name"), max_length=255)
    website = models.URLField(_("website"), blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="partner")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions


class CustomArticlePage(AbstractArticlePage):
    """An article with a subtitle, an audience and callouts in its body."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=AUDIENCES, default="patients")
    body = StreamField(CustomArticleStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *AbstractArticlePage.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("audience"),
    ]
    search_fields = [*AbstractArticlePage.search_fields, index.SearchField("subtitle")]
    api_fields = [*AbstractArticlePage.api_fields, APIField("subtitle"), APIField("audience")]

    parent_page_types = ["wagtail_acupuncture.ArticleIndexPage"]
    subpage_types = []
    template = "custom_app/custom_article_page.html"

    class Meta:
        verbose_name = _("custom article")
        verbose_name_plural = _("custom articles")


class CustomArticlePageTreatment(AbstractArticlePageTreatment):
    """A related treatment of a :class:`CustomArticlePage`."""

    page = ParentalKey(
        CustomArticlePage, on_delete=models.CASCADE, related_name="related_treatments"
    )

    class Meta(AbstractArticlePageTreatment.Meta):
        abstract = False
