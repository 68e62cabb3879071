"""Per-site clinic settings, edited under Settings > Clinic in the admin."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string

from ..blocks.hours import OpeningHoursStreamBlock
from ..booking_providers import BookingTargetField
from ..links import is_absolute_web_link, validate_link_url


def profile_url_lines(value):
    """The non-empty lines of a one-URL-per-line text (as a textarea sends it), stripped."""
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]


def validate_profile_urls(value):
    """Every line must be an ``http(s)`` URL."""
    bad = [line for line in profile_url_lines(value) if not is_absolute_web_link(line)]
    if bad:
        raise ValidationError(
            _("Enter one http(s) address per line; not an address: %(lines)s"),
            params={"lines": ", ".join(bad)},
            code="invalid",
        )


#: Rich text features of medical disclaimers (site default and article override).
DISCLAIMER_FEATURES = ["bold", "italic", "link"]


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """The clinic's name, contact details, booking link and call-to-action defaults, per site."""

    clinic_name = models.CharField(
        _("clinic name"),
        max_length=255,
        blank=True,
        help_text=_(
            "Added to page titles (\"Article | Clinic\"), used as the site name when pages are "
            "shared, and given to search engines as the clinic (MedicalClinic). Without it, no "
            "clinic is described to search engines."
        ),
    )
    booking_url = models.CharField(
        _("default booking URL"),
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text=_("Where booking calls to action lead when neither the block nor the author sets a link."),
    )
    booking_target = BookingTargetField(
        help_text=_(
            "Optional: the clinic's scheduler (Jane, Acuity, Cliniko, ...) and its ids. Used "
            "before the default booking URL."
        ),
    )
    phone = models.CharField(
        _("phone"),
        max_length=50,
        blank=True,
        help_text=_("Given to search engines with the clinic's name, e.g. '+1-503-555-0100'."),
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Given to search engines with the clinic's name.")
    )
    street_address = models.CharField(
        _("street address"),
        max_length=255,
        blank=True,
        help_text=_("The address parts are given to search engines as the clinic's address."),
    )
    address_locality = models.CharField(_("city"), max_length=255, blank=True)
    address_region = models.CharField(_("state or region"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=32, blank=True)
    address_country = models.CharField(
        _("country"), max_length=64, blank=True, help_text=_("Two-letter code, e.g. 'US'.")
    )
    utm_source = models.CharField(
        _("UTM source"), max_length=100, blank=True, default="website",
        help_text=_("Added as utm_source to booking links, e.g. 'website' or 'blog'."),
    )
    utm_medium = models.CharField(
        _("UTM medium"), max_length=100, blank=True, default="article_cta",
        help_text=_("Added as utm_medium to booking links."),
    )
    default_cta_heading = models.CharField(
        _("default call-to-action heading"), max_length=255, blank=True,
        default=_("Ready to book?"),
        help_text=_(
            "Shown by booking calls to action whose heading is left empty. Editors see it in grey "
            "in the empty field."
        ),
    )
    default_cta_text = models.TextField(
        _("default call-to-action text"),
        blank=True,
        help_text=_("Shown by booking calls to action whose text is left empty."),
    )
    default_cta_button_label = models.CharField(
        _("default button label"), max_length=80, blank=True, default=_("Book a consultation"),
        help_text=_("The button of booking calls to action whose button label is left empty."),
    )
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Given to search engines as the clinic's logo and image."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Where the clinic is, for maps and search engines, e.g. 45.523064."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("E.g. -122.676483. Enter both or neither."),
    )
    opening_hours = StreamField(
        OpeningHoursStreamBlock(),
        verbose_name=_("opening hours"),
        blank=True,
        help_text=_("One row per group of days with the same hours. Days not listed are closed."),
    )
    profile_urls = models.TextField(
        _("profile pages"),
        blank=True,
        validators=[validate_profile_urls],
        help_text=_(
            "The clinic's pages elsewhere (Google Business Profile, Facebook, Instagram...), one "
            "address per line. Given to search engines as the same clinic (sameAs)."
        ),
    )
    medical_disclaimer = RichTextField(
        _("medical disclaimer"),
        blank=True,
        features=DISCLAIMER_FEATURES,
        help_text=_(
            "Shown at the end of every article of this site (unless the article has its own), "
            "e.g. 'This article is for general information and is not medical advice.'"
        ),
    )
    faq_structured_data = models.BooleanField(
        _("FAQ structured data"),
        default=True,
        help_text=_("Include FAQ blocks in the FAQPage structured data of this site's articles."),
    )

    panels = [
        FieldPanel("clinic_name"),
        MultiFieldPanel(
            [
                FieldPanel("booking_url"),
                FieldPanel("booking_target"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contact and booking"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("address_locality"),
                FieldPanel("address_region"),
                FieldPanel("postal_code"),
                FieldPanel("address_country"),
            ],
            heading=_("Postal address"),
        ),
        MultiFieldPanel(
            [FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("opening_hours")],
            heading=_("Location and opening hours"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("profile_urls")],
            heading=_("Logo and profiles"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("default_cta_heading"),
                FieldPanel("default_cta_text"),
                FieldPanel("default_cta_button_label"),
                FieldPanel("utm_source"),
                FieldPanel("utm_medium"),
            ],
            heading=_("Booking call-to-action defaults"),
        ),
        FieldPanel("medical_disclaimer"),
        FieldPanel("faq_structured_data"),
    ]

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinic")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: _("Enter both latitude and longitude, or neither.")})

    @property
    def geo(self):
        """``{"latitude": float, "longitude": float}``, or ``None`` without both."""
        if self.latitude is None or self.longitude is None:
            return None
        return {"latitude": float(self.latitude), "longitude": float(self.longitude)}

    @property
    def profile_url_list(self):
        """The profile pages, one URL each, unsafe lines left out."""
        return [url for url in profile_url_lines(self.profile_urls) if is_absolute_web_link(url)]

    @property
    def opening_hours_list(self):
        """The opening hours as ``[{days, opens, closes}]`` (days in week order, ``HH:MM``)."""
        return [
            child.block.get_api_representation(child.value)
            for child in self.opening_hours
            if child.block_type == "hours"
        ]

    @property
    def postal_address(self):
        """The address parts as a dict (empty parts left out)."""
        parts = {
            "street_address": self.street_address,
            "address_locality": self.address_locality,
            "address_region": self.address_region,
            "postal_code": self.postal_code,
            "address_country": self.address_country,
        }
        return {key: value for key, value in parts.items() if value}
