"""What JSON-LD and the meta tags share: page URLs, dates, language, small node helpers."""

import re
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone
from django.utils.translation import to_locale


def absolute_url(url, root_url):
    """``url`` made absolute against ``root_url`` (media and single-site page URLs are relative)."""
    if not url:
        return None
    if root_url and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return urljoin(root_url.rstrip("/") + "/", url)
    return url


def isodate(value):
    """ISO 8601 text of a date, or ``None``."""
    return value.isoformat() if value else None


def date_with_time(day, moment):
    """``day`` as ISO 8601; with ``moment``'s local time and offset when it falls on that day."""
    if day is None:
        return None
    if moment is not None and timezone.is_aware(moment):
        local = timezone.localtime(moment)
        if local.date() == day:
            return local.isoformat(timespec="seconds")
    return day.isoformat()


def article_dates(page):
    """``(published, modified)`` of an article as ISO 8601 strings (or ``None``).

    ``published`` is ``published_date``, ``modified`` is ``modified_date`` (the latest of
    publication and review). Each carries the time and UTC offset of the first / last publication
    when that happened on the same day, as Google recommends; otherwise it is a plain date.
    """
    return (
        date_with_time(page.published_date, page.first_published_at),
        date_with_time(page.modified_date, page.last_published_at),
    )


def ref(node_id):
    """A JSON-LD reference to the node ``node_id``."""
    return {"@id": node_id}


def compact(node):
    """``node`` without empty values (``None``, ``""``, ``[]``, ``{}``)."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def language_tag(page):
    """The page's language as a BCP 47 tag (``en-US``), from its locale or ``LANGUAGE_CODE``."""
    locale = getattr(page, "locale", None)
    code = getattr(locale, "language_code", None) or settings.LANGUAGE_CODE
    return to_locale(code).replace("_", "-")


class PageURLs:
    """The page URL and its site root URL, computed once per graph."""

    def __init__(self, page, request=None):
        parts = page.get_url_parts(request=request) if page is not None else None
        if parts is None or (parts[1] is None and parts[2] is None):
            self.site_id, self.root_url, self.page_url = None, "", ""
        else:
            self.site_id, root_url, page_path = parts
            self.root_url = root_url or ""
            self.page_url = (root_url or "") + (page_path or "")
        self.site_url = self.root_url.rstrip("/") + "/" if self.root_url else ""

    def page_id(self, fragment):
        return f"{self.page_url}#{fragment}"

    def site_id_for(self, fragment):
        return f"{self.site_url}#{fragment}"

    def absolute(self, url):
        return absolute_url(url, self.root_url)
