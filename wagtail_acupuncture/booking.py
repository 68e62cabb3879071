"""Booking link resolution for ``booking_cta`` blocks, shared by templates, API and JSON-LD.

The providers and their URLs are :mod:`wagtail_acupuncture.booking_providers`.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .content.registry import package_model
from .content.sites import site_setting_for_request
from .booking_providers import booking_of
from .links import add_utm, live_page_url, safe_link_or_none

#: Where a booking call to action appears (its ``placement``; ``utm_content``).
PLACEMENTS = [
    ("inline", _("Inline, within the text")),
    ("intro", _("After the introduction")),
    ("conclusion", _("At the end of the article")),
    ("sidebar", _("Beside the text (sidebar)")),
]
PLACEMENT_VALUES = frozenset(value for value, _label in PLACEMENTS)
#: Told to screen readers after the name of a link that opens a new tab.
NEW_TAB_NOTE = _("(opens in a new tab)")


def get_clinic_settings(request=None, page=None):
    """The ``ClinicSettings`` for the request's site, else the page's site, else the default site.

    With a request, as Wagtail's ``BaseSiteSetting.for_request`` (cached on the request); without
    one, cached on the page so a body with many calls to action looks it up once.
    """
    settings_model = package_model("ClinicSettings")
    if request is not None:
        return site_setting_for_request(settings_model, request)
    cached = getattr(page, "_acupuncture_clinic_settings", None) if page is not None else None
    if cached is not None:
        return cached
    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    clinic = settings_model.for_site(site) if site else settings_model()
    if page is not None:
        page._acupuncture_clinic_settings = clinic
    return clinic


def _article_treatments(page):
    """The article's published related treatments (from the response's cache when filled)."""
    getter = getattr(page, "get_live_treatments", None)
    return getter() if getter is not None else []


def resolve_booking(value, *, page=None, clinic=None, request=None):
    """Where a ``booking_cta`` value leads, before UTM parameters.

    Returns ``{"url", "provider", "new_tab", "practitioner", "treatment"}`` (``url`` ``None``
    when nothing applies). Order: the typed ``link_url``; the chosen ``link_page`` while live
    and public (provider ``"page"``); the article author's booking page (their
    ``booking_target``, else their ``booking_url``; ``practitioner`` is the author); the first
    published related treatment with a ``booking_target`` (``treatment`` is it); the clinic's
    ``booking_target``, else its ``booking_url``. See :mod:`wagtail_acupuncture.booking_providers`.
    """
    found = {"url": None, "provider": None, "new_tab": False, "practitioner": None, "treatment": None}
    url = safe_link_or_none(value.get("link_url"))
    if url:
        return {**found, "url": url, "provider": "url"}
    url = live_page_url(value.get("link_page"), request=request)
    if url:
        return {**found, "url": url, "provider": "page"}
    author = getattr(page, "author", None) if page is not None else None
    booking = booking_of(author)
    if booking:
        return {**found, **booking, "practitioner": author}
    for treatment in _article_treatments(page) if page is not None else ():
        booking = booking_of(treatment, url_attribute=None)
        if booking:
            return {**found, **booking, "treatment": treatment}
    booking = booking_of(clinic)
    return {**found, **booking} if booking else found


def resolve_booking_url(value, *, page=None, clinic=None, request=None):
    """The booking URL of a ``booking_cta`` value, before UTM parameters, or ``None``
    (:func:`resolve_booking`)."""
    return resolve_booking(value, page=page, clinic=clinic, request=request)["url"]


def accessible_context(practitioner=None, treatment=None):
    """Words that complete the button's accessible name: "with <practitioner>" or
    "for <treatment>" (read by screen readers after the visible label), or ``""``."""
    if practitioner is not None:
        return _("with %(name)s") % {"name": practitioner.name}
    if treatment is not None:
        return _("for %(name)s") % {"name": treatment.name}
    return ""


def resolve_booking_cta(value, *, page=None, request=None, clinic=None):
    """Everything a template or frontend needs to render one ``booking_cta`` block.

    Returns ``{"url", "label", "heading", "text", "placement", "provider", "practitioner",
    "new_tab", "accessible_name", "label_context"}``: ``url`` carries UTM parameters
    (``utm_source``/``utm_medium`` from the clinic settings, ``utm_campaign`` = article slug,
    ``utm_content`` = placement) for http(s) links, never replacing parameters already present;
    ``provider`` names the scheduler (``"jane"``, ... ``"url"``, ``"page"``) and
    ``practitioner`` the practitioner booked with (name, or ``None``), the only data of the
    ``booking_click`` event; ``accessible_name`` is the label completed by ``label_context``
    (who or what is booked) and, for ``new_tab`` links, that they open a new tab.
    """
    if clinic is None:
        clinic = get_clinic_settings(request=request, page=page)
    placement = value.get("placement") or "inline"
    if placement not in PLACEMENT_VALUES:  # stored outside the admin
        placement = "inline"
    booking = resolve_booking(value, page=page, clinic=clinic, request=request)
    url = booking["url"]
    if url:
        url = add_utm(
            url,
            source=clinic.utm_source,
            medium=clinic.utm_medium,
            campaign=getattr(page, "slug", "") or "",
            content=placement,
        )
    label = value.get("button_label") or clinic.default_cta_button_label or str(_("Book a consultation"))
    label_context = accessible_context(booking["practitioner"], booking["treatment"])
    accessible_name = f"{label} {label_context}" if label_context else label
    if booking["new_tab"]:
        accessible_name = f"{accessible_name} {NEW_TAB_NOTE}"
    practitioner = booking["practitioner"]
    return {
        "url": url,
        "label": label,
        "heading": value.get("heading") or clinic.default_cta_heading,
        "text": value.get("text") or clinic.default_cta_text,
        "placement": placement,
        "provider": booking["provider"] if url else None,
        "practitioner": practitioner.name if practitioner is not None and url else None,
        "new_tab": bool(booking["new_tab"] and url),
        "label_context": label_context if url else "",
        "accessible_name": accessible_name,
    }
