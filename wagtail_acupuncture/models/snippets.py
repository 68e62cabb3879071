"""Snippets: treatments (draft/publish, revisions) and practitioners."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from ..booking_providers import BookingTargetField, booking_of
from ..conf import acupuncture_settings
from ..links import (
    live_page_url,
    safe_link_or_none,
    validate_link_url,
)
from ..preview import HeadlessPreviewMixin


class Treatment(
    HeadlessPreviewMixin,
    DraftStateMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """A treatment the clinic offers, linked from articles ("related treatments").

    It links to either an internal ``page`` or an external ``url``. Only published (``live``)
    treatments are ever rendered or delivered by the API.
    """

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        help_text=_("Used in links such as ?treatment=<slug> on the article index."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown on teaser cards.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Shown on the treatment's teaser cards."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page about this treatment on this site. Use this or an external URL."),
    )
    url = models.URLField(
        _("external URL"),
        blank=True,
        max_length=500,
        validators=[validate_link_url],
        help_text=_("A page about this treatment on another site. Use this or an internal page."),
    )
    booking_target = BookingTargetField(
        help_text=_(
            "Optional: where this treatment is booked (the scheduler and its ids). Booking calls "
            "to action of articles about it use it when the author has no booking page."
        ),
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="treatment")

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.FilterField("slug"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.page_id and self.url:
            raise ValidationError(
                {"url": _("Choose an internal page or enter an external URL, not both.")}
            )

    @property
    def revisions(self):
        return self._revisions

    def get_link_url(self, request=None):
        """The treatment's link: the internal page while it is live and public, else ``url``.

        Without a query when the response's resolver prepared the treatment (its page fetched
        and checked with the response's other pages).
        """
        return live_page_url(self.page, request=request) or safe_link_or_none(self.url)

    def get_preview_template(self, request, mode_name):
        return "wagtail_acupuncture/snippets/treatment_preview.html"

    def get_preview_context(self, request, mode_name):
        """The preview's context, with the site's ``BASE_TEMPLATE`` for its layout."""
        return {
            **super().get_preview_context(request, mode_name),
            "base_template": acupuncture_settings.BASE_TEMPLATE,
        }

    # ----------------------------------------------------------------------------- output hooks

    @classmethod
    def prepare_for_output(cls, treatments, resolver, wanted):
        """Register the treatments' pages and images with the response's resolver."""
        for treatment in treatments:
            if treatment.page_id:
                resolver.add_page(treatment.page_id)
            if treatment.image_id:
                resolver.add_image(_cached(treatment, "image") or treatment.image_id)

    @classmethod
    def finish_output(cls, treatments, resolver, wanted):
        """Put the fetched pages (checked for visibility) and images in the field caches."""
        for treatment in treatments:
            resolver.hand_over(treatment, "page")
            resolver.hand_over(treatment, "image")

    def get_api_representation(self, resolver):
        """``{id, name, slug, summary, url, image, booking}`` (the API's ``Treatment``).

        ``url`` is the treatment's page while live and public, else its external URL (as
        :meth:`get_link_url`), or ``None``.
        """
        return {
            "id": self.pk,
            "name": self.name,
            "slug": self.slug,
            "summary": self.summary,
            "url": resolver.page_url(self.page_id) or safe_link_or_none(self.url),
            "image": resolver.image(self.image_id),
            "booking": booking_of(self, url_attribute=None),
        }


class Practitioner(index.Indexed, models.Model):
    """A practitioner who writes or medically reviews articles."""

    name = models.CharField(_("name"), max_length=255)
    credentials = models.CharField(
        _("credentials"),
        max_length=255,
        blank=True,
        help_text=_("Post-nominal letters or licences, e.g. 'L.Ac., MSOM'."),
    )
    job_title = models.CharField(
        _("job title"), max_length=255, blank=True, help_text=_("e.g. 'Licensed Acupuncturist'.")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Delivered with the article's byline to frontends using the API."),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link"])
    booking_url = models.CharField(
        _("booking URL"),
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text=_(
            "This practitioner's own booking link (https://, tel: or mailto:). "
            "Booking calls to action in their articles use it before the clinic's."
        ),
    )
    profile_url = models.URLField(
        _("profile URL"),
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text=_("A page about this practitioner, used in structured data."),
    )
    booking_target = BookingTargetField(
        help_text=_(
            "Optional: this practitioner's page in the clinic's scheduler (Jane, Acuity, ...). "
            "Used before the booking URL above."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acupuncture_practitioner",
        help_text=_(
            "The practitioner's own login. Approving a 'Medical review' task as this user records "
            "the practitioner as the article's reviewer."
        ),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("credentials"),
    ]

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def display_name(self):
        """Name with credentials, as shown in bylines."""
        return str(self)

    # ----------------------------------------------------------------------------- output hooks

    @classmethod
    def prepare_for_output(cls, practitioners, resolver, wanted):
        """Register the practitioners' photos and biographies with the response's resolver."""
        for practitioner in practitioners:
            if practitioner.photo_id and (wanted("photo") or wanted("author")):
                resolver.add_image(_cached(practitioner, "photo") or practitioner.photo_id)
            if wanted("bio"):
                resolver.add_rich_text(practitioner.bio)

    @classmethod
    def finish_output(cls, practitioners, resolver, wanted):
        """Put the fetched photos in the field caches."""
        for practitioner in practitioners:
            resolver.hand_over(practitioner, "photo")

    def get_api_representation(self, resolver):
        """A practitioner's byline data: names, photo, biography HTML and safe links."""
        return {
            "id": self.pk,
            "name": self.name,
            "credentials": self.credentials,
            "job_title": self.job_title,
            "display_name": self.display_name,
            "photo": resolver.image(self.photo_id),
            "bio": resolver.html(self.bio),
            "booking_url": safe_link_or_none(self.booking_url),
            "booking": booking_of(self),
            "profile_url": safe_link_or_none(self.profile_url),
        }


def _cached(instance, name):
    return instance._meta.get_field(name).get_cached_value(instance, default=None)
