"""Search metadata of articles and article indexes: the values of the ``<head>`` tags.

:func:`build_page_metadata` returns the values of the ``<title>``, description, canonical,
Open Graph and Twitter tags of an article or article index page (``{% page_metadata %}``).
"""

from urllib.parse import urlencode

from django.utils.translation import to_locale

from ..booking import get_clinic_settings
from ..conf import acupuncture_settings
from ..content.images import hero_renditions
from ..content.richtext import rich_text_to_plain
from ..models import AbstractArticlePage
from .base import PageURLs, article_dates, language_tag

def build_page_metadata(page, *, request=None, canonical_query=None):
    """Values for the ``<head>`` tags of an article or article index page.

    Returns a dict with ``title`` (the SEO title, else the page title followed by
    ``SEO_TITLE_SEPARATOR`` and the clinic name), ``og_title`` (the SEO title, else the page
    title, for Open Graph and Twitter cards), ``description`` (the search description, else
    the intro as plain text), ``canonical`` (the page's full URL plus ``canonical_query`` if given),
    ``og_type`` (``article`` or ``website``), ``site_name``, ``locale`` (``en_US``), ``image``
    (``{"url", "width", "height", "alt"}`` of the hero's ``SOCIAL_IMAGE_RENDITION`` or ``None``),
    ``published_time`` and ``modified_time`` (:func:`article_dates`, articles only).
    """
    urls = PageURLs(page, request)
    clinic = get_clinic_settings(request=request, page=page)
    site_name = getattr(clinic, "clinic_name", "") or ""
    if page.seo_title:
        title = page.seo_title
    elif site_name:
        title = f"{page.title}{acupuncture_settings.SEO_TITLE_SEPARATOR}{site_name}"
    else:
        title = page.title

    is_article = isinstance(page, AbstractArticlePage)
    if is_article:
        description = page.description
    else:
        description = page.search_description or rich_text_to_plain(
            getattr(page, "intro", "")
        ).replace("\n", " ")

    canonical = urls.page_url or None
    query = {key: value for key, value in (canonical_query or {}).items() if value}
    if canonical and query:
        canonical = f"{canonical}?{urlencode(query)}"

    image = None
    renditions = hero_renditions(page)
    rendition = renditions.get(acupuncture_settings.SOCIAL_IMAGE_RENDITION)
    if rendition is not None:
        image = {
            "url": urls.absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": page.hero_image.default_alt_text or "",
        }

    published, modified = article_dates(page) if is_article else (None, None)
    return {
        "title": title,
        "og_title": page.seo_title or page.title,
        "description": description or "",
        "canonical": canonical,
        "og_type": "article" if is_article else "website",
        "site_name": site_name,
        "locale": to_locale(language_tag(page)),
        "image": image,
        "published_time": published,
        "modified_time": modified,
    }
