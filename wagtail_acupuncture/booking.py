"""Booking link resolution for ``booking_cta`` blocks, shared by templates, API and JSON-LD."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .content.registry import package_model
from .links import add_utm, live_page_url, safe_link_or_none

#: Where a booking call to action appears (its ``placement``; ``utm_content``).
PLACEMENTS = [
    ("inline", _("Inline, within the text")),
    ("intro", _("After the introduction")),
    ("conclusion", _("At the end of the article")),
    ("sidebar", _("Beside the text (sidebar)")),
]
PLACEMENT_VALUES = frozenset(value for value, _label in PLACEMENTS)


def get_clinic_settings(request=None, page=None):
    """The ``ClinicSettings`` for the request's site, else the page's site, else the default site.

    With a request, Wagtail's ``BaseSiteSetting.for_request`` (cached on the request); without
    one, cached on the page so a body with many calls to action looks it up once.
    """
    settings_model = package_model("ClinicSettings")
    if request is not None:
        return settings_model.for_request(request)
    cached = getattr(page, "_acupuncture_clinic_settings", None) if page is not None else None
    if cached is not None:
        return cached
    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    clinic = settings_model.for_site(site) if site else settings_model()
    if page is not None:
        page._acupuncture_clinic_settings = clinic
    return clinic


def resolve_booking_url(value, *, page=None, clinic=None, request=None):
    """The booking URL of a ``booking_cta`` value, before UTM parameters.

    Order: the typed ``link_url``; the chosen ``link_page`` while live and public; the article
    author's ``booking_url``; the clinic's ``booking_url``. ``None`` when there is none.
    """
    url = safe_link_or_none(value.get("link_url"))
    if url:
        return url
    url = live_page_url(value.get("link_page"), request=request)
    if url:
        return url
    author = getattr(page, "author", None) if page is not None else None
    url = safe_link_or_none(getattr(author, "booking_url", "")) if author else None
    if url:
        return url
    return safe_link_or_none(getattr(clinic, "booking_url", "")) if clinic else None


def resolve_booking_cta(value, *, page=None, request=None, clinic=None):
    """Everything a template or frontend needs to render one ``booking_cta`` block.

    Returns ``{"url", "label", "heading", "text", "placement"}``; ``url`` carries UTM parameters
    (``utm_source``/``utm_medium`` from the clinic settings, ``utm_campaign`` = article slug,
    ``utm_content`` = placement) for http(s) links, never replacing parameters already present.
    """
    if clinic is None:
        clinic = get_clinic_settings(request=request, page=page)
    placement = value.get("placement") or "inline"
    if placement not in PLACEMENT_VALUES:  # stored outside the admin
        placement = "inline"
    url = resolve_booking_url(value, page=page, clinic=clinic, request=request)
    if url:
        url = add_utm(
            url,
            source=clinic.utm_source,
            medium=clinic.utm_medium,
            campaign=getattr(page, "slug", "") or "",
            content=placement,
        )
    return {
        "url": url,
        "label": value.get("button_label") or clinic.default_cta_button_label,
        "heading": value.get("heading") or clinic.default_cta_heading,
        "text": value.get("text") or clinic.default_cta_text,
        "placement": placement,
    }
