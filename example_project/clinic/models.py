"""The example clinic site's own page type: the home page at the site root."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from wagtail_acupuncture.models import ArticleIndexPage
from wagtail_acupuncture.models.pages import articles_of, prefetch_relations
from wagtail_acupuncture.models.registry import article_page_models


class HomePage(Page):
    """The example clinic's home page: a welcome text, the latest articles, a link to the blog."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown under the title."),
    )
    body_text = models.TextField(
        _("text"), blank=True, help_text=_("Plain text shown below the introduction.")
    )

    #: How many articles the home page lists.
    latest_articles_count = 3

    content_panels = [*Page.content_panels, "intro", "body_text"]
    #: Fields of the headless API: the introduction as front-end HTML, the text as plain text
    #: (a frontend lists the latest articles and finds the blog through the pages endpoint).
    api_fields = [APIField("intro"), APIField("body_text")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["wagtail_acupuncture.ArticleIndexPage"]
    max_count = 1
    template = "clinic/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def get_blog(self):
        """The first live article index below the home page, or ``None``."""
        return ArticleIndexPage.objects.child_of(self).live().public().first()

    def get_latest_articles(self):
        """The newest live, public articles of every article type anywhere below the home page."""
        latest = articles_of(article_page_models()).descendant_of(self).live().public()
        return prefetch_relations(list(latest[: self.latest_articles_count]), ("hero_image",))

    def get_context(self, request, *args, **kwargs):
        from wagtail_acupuncture.models import ClinicSettings

        context = super().get_context(request, *args, **kwargs)
        context.update(
            blog=self.get_blog(),
            latest_articles=self.get_latest_articles(),
            clinic=ClinicSettings.for_request(request),
        )
        return context
