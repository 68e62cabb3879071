"""Admin views and editor assets (registered in ``wagtail_hooks``).

:func:`cta_defaults` answers the page editor's script (``js/editor.js``) with the booking
call-to-action defaults that empty ``booking_cta`` fields fall back to, so the editor sees them as
placeholders before saving.
"""

from django.http import JsonResponse
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin.staticfiles import versioned_static

from .booking_providers import booking_of
from .conf import acupuncture_settings
from .models import ClinicSettings, Practitioner

#: URL namespace of the package's admin views (``reverse("wagtail_acupuncture_admin:...")``).
URL_NAMESPACE = "wagtail_acupuncture_admin"


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _site_for(request, page_id):
    """The site of ``page_id`` (a page being edited, or the parent of a new one), else the
    request's site, else the default site."""
    from wagtail.models import Page, Site

    page = Page.objects.filter(pk=page_id).first() if page_id else None
    site = page.get_site() if page is not None else None
    return (
        site or Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    )


@require_GET
def cta_defaults(request):
    """The clinic's call-to-action defaults for the booking_cta blocks of a page, as JSON.

    ``?page=<id>`` is the page being edited or, for a new page, its parent: the defaults are those
    of that page's site. ``?author=<id>`` is the practitioner chosen as the article's author, whose
    booking link comes before the clinic's. Only the admin can call it (``register_admin_urls``
    requires admin access); everything it returns is also shown on the site.

    Returns ``{heading, text, button_label, booking_url, clinic_name, author, link,
    allowed_schemes, messages}``: ``link`` is the link an empty block falls back to,
    ``{"url", "source"}`` with ``source`` ``"author"``, ``"clinic"`` or ``null``;
    ``allowed_schemes`` are the link schemes the block accepts (``ALLOWED_LINK_SCHEMES``);
    ``messages`` are the translated texts the script shows.
    """
    site = _site_for(request, _int_param(request, "page"))
    clinic = ClinicSettings.for_site(site) if site is not None else ClinicSettings()
    author_id = _int_param(request, "author")
    author = Practitioner.objects.filter(pk=author_id).first() if author_id else None
    author_url = (booking_of(author) or {}).get("url")
    clinic_url = (booking_of(clinic) or {}).get("url")
    if author_url:
        link = {"url": author_url, "source": "author"}
    elif clinic_url:
        link = {"url": clinic_url, "source": "clinic"}
    else:
        link = {"url": None, "source": None}
    data = {
        "heading": clinic.default_cta_heading,
        "text": clinic.default_cta_text,
        "button_label": clinic.default_cta_button_label,
        "booking_url": clinic_url,
        "clinic_name": clinic.clinic_name,
        "author": (
            {"id": author.pk, "name": author.display_name, "booking_url": author_url}
            if author is not None
            else None
        ),
        "link": link,
        "allowed_schemes": list(acupuncture_settings.ALLOWED_LINK_SCHEMES),
        "messages": {
            "intro": _("Empty fields use the clinic's defaults, shown in grey."),
            "typed_url": _("Link used: the link URL entered below."),
            "unsafe_url": _(
                "The link URL below will not be accepted: it must start with %(schemes)s."
            ),
            "page": _("Link used: the chosen page while it is published; otherwise %(fallback)s."),
            "author": _("Link used: %(url)s (the booking link of the author, %(name)s)."),
            "clinic": _("Link used: %(url)s (the clinic's default booking link)."),
            "fallback_author": _("%(url)s (the author's booking link)"),
            "fallback_clinic": _("%(url)s (the clinic's booking link)"),
            "fallback_none": _("no link"),
            "none": _(
                "No booking link applies: enter a link URL or choose a page, or set a default "
                "booking page in Settings > Clinic. Without a link the box is not shown on the site."
            ),
        },
    }
    return JsonResponse(data)


def get_admin_urls():
    """URL patterns for the ``register_admin_urls`` hook (mounted below the admin)."""
    patterns = [path("cta-defaults/", cta_defaults, name="cta_defaults")]
    return [path("acupuncture/", include((patterns, URL_NAMESPACE), namespace=URL_NAMESPACE))]


def editor_js():
    """The ``insert_editor_js`` output: the editor script, told where :func:`cta_defaults` is."""
    return format_html(
        '<script src="{}" data-cta-defaults-url="{}"></script>',
        versioned_static("wagtail_acupuncture/js/editor.js"),
        reverse(f"{URL_NAMESPACE}:cta_defaults"),
    )
