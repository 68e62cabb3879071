"""Link validation and booking-link resolution shared by blocks, templates and the API."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .conf import acupuncture_settings


def link_scheme(url):
    """Return the lower-cased scheme of ``url`` ('' when it has none)."""
    return urlsplit(url.strip()).scheme.lower()


def is_safe_link(url):
    """True when ``url`` is absolute and uses an allowed scheme (http(s), tel, mailto)."""
    if not url or any(ch in url for ch in "\x00\r\n\t"):
        return False
    scheme = link_scheme(url)
    if scheme not in acupuncture_settings.ALLOWED_LINK_SCHEMES:
        return False
    if scheme in ("http", "https"):
        return bool(urlsplit(url.strip()).netloc)
    return len(url.strip()) > len(scheme) + 1


def validate_link_url(value):
    """Validator for editor-entered links: only http(s), tel and mailto are accepted."""
    if value and not is_safe_link(value):
        raise ValidationError(
            _("Enter a full link starting with https://, http://, tel: or mailto:."),
            code="unsafe_link",
        )


def safe_link_or_none(url):
    """``url`` stripped when it passes :func:`is_safe_link`, else ``None``."""
    if url and is_safe_link(url):
        return url.strip()
    return None


def is_web_link(url):
    """True for http(s) URLs and for site-relative paths (internal page links)."""
    if not url:
        return False
    scheme = link_scheme(url)
    if scheme:
        return scheme in ("http", "https")
    return url.startswith("/") and not url.startswith("//")


def is_absolute_web_link(url):
    """True for absolute ``http(s)://host/...`` URLs only."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def add_utm(url, *, source="", medium="", campaign="", content=""):
    """Add UTM parameters to a web link without replacing parameters already present.

    tel: and mailto: links are returned unchanged.
    """
    if not is_web_link(url):
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _value in query}
    for key, value in (
        ("utm_source", source),
        ("utm_medium", medium),
        ("utm_campaign", campaign),
        ("utm_content", content),
    ):
        if value and key not in present:
            query.append((key, value))
    return urlunsplit(parts._replace(query=urlencode(query)))


#: Attribute of a page instance telling whether it is not public (set by the response's
#: :class:`~wagtail_acupuncture.content.resolver.ContentResolver` on the pages it fetched or
#: checked).
RESTRICTED_ATTR = "acupuncture_restricted"


def live_page_url(page, request=None):
    """URL of ``page`` when it is live and public, else ``None`` (never link to drafts).

    A page the response's resolver checked needs no query.
    """
    if page is None or not page.live:
        return None
    restricted = getattr(page, RESTRICTED_ATTR, None)
    if restricted is None:
        restricted = page.get_view_restrictions().exists()
    return None if restricted else page.get_url(request=request)
