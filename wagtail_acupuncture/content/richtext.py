"""The one rich-text expander: stored rich text to front-end HTML, with one link policy.

The HTML pages and the API both expand every rich text value here - body paragraphs, FAQ answers,
key points, notices, the rich text of a site's own blocks, the index intro, biographies - so a
value says the same thing in the page and in the API. The
:class:`~wagtail_acupuncture.content.resolver.ContentResolver` of a response reads the references
of all its values first (:func:`extract_references`), fetches the pages, documents and images
they name with one query per model, and only then rewrites each value (:func:`expand`), so the
number of queries does not depend on the number of links or images.

The link policy:

* ``<a linktype="page" id="…">`` becomes ``<a href="…">`` with the page's URL (as
  ``Page.get_url(request)`` gives it: relative on the request's site, absolute on another) while
  the page is live and not under a view restriction; otherwise the link keeps its text and loses
  its ``href``, so no draft's or private page's address is printed.
* ``<a linktype="document" id="…">`` becomes a link to the document's URL, unless the document
  is missing or in a collection with a view restriction.
* Other links keep their ``href`` only when it passes
  :func:`~wagtail_acupuncture.links.is_safe_link` (http, https, tel, mailto) or is an in-page
  ``#fragment``; other attributes of ``<a>`` tags are dropped.
* ``<embed embedtype="image" …/>`` becomes ``<img alt class height src width>`` with the URL and
  size of a rendition (the image format's filter spec, or ``API_RICH_TEXT_IMAGE_RENDITION``),
  plus ``srcset`` and ``sizes`` for a responsive format
  (:class:`~wagtail_acupuncture.image_formats.ResponsiveImageFormat`, which the package
  registers for Wagtail's ``fullwidth``, ``left`` and ``right``).
* Link and embed types registered by other apps are expanded by their own Wagtail handlers.
"""

import html as html_module
import re

from django.template.loader import render_to_string
from django.utils.html import escape, strip_tags
from wagtail.rich_text import RichText, features
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from ..links import is_safe_link

#: Rendition spec for rich text images whose format is not registered.
FALLBACK_IMAGE_SPEC = "width-800"


class ExpandedRichText(RichText):
    """A ``RichText`` whose front-end HTML was expanded beforehand, in bulk.

    Renders as ``RichText`` does (``wagtailcore/shared/richtext.html``), without the queries of
    expanding it on its own; ``source`` stays the stored value.
    """

    def __init__(self, source, html):
        super().__init__(source)
        self.expanded_html = html

    def __html__(self):
        return render_to_string("wagtailcore/shared/richtext.html", {"html": self.expanded_html})


def source_of(value):
    """The stored HTML of a rich text value (``RichText``, a string or ``None``)."""
    return getattr(value, "source", value) or ""


def int_or_none(value):
    """``value`` as a positive 64-bit id, or ``None``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def extract_references(source):
    """``(page ids, document ids, [(image id, format name)])`` referenced by ``source``."""
    pages, documents, images = set(), set(), []
    for match in FIND_A_TAG.finditer(source):
        attrs = extract_attrs(match.group(1))
        pk = int_or_none(attrs.get("id"))
        if pk is None:
            continue
        if attrs.get("linktype") == "page":
            pages.add(pk)
        elif attrs.get("linktype") == "document":
            documents.add(pk)
    for match in FIND_EMBED_TAG.finditer(source):
        attrs = extract_attrs(match.group(1))
        pk = int_or_none(attrs.get("id"))
        if attrs.get("embedtype") == "image" and pk is not None:
            images.append((pk, attrs.get("format") or ""))
    return pages, documents, images


def get_image_format(name):
    """The registered rich text image ``Format`` called ``name``, or ``None``."""
    from wagtail.images.formats import get_image_format as wagtail_get_image_format

    try:
        return wagtail_get_image_format(name)
    except KeyError:
        return None


def _registered_handler(kind, name):
    handlers = features.get_link_types() if kind == "link" else features.get_embed_types()
    return handlers.get(name)


def _link_tag(attrs, resolver):
    linktype = attrs.get("linktype")
    if linktype == "page":
        url = resolver.page_url(int_or_none(attrs.get("id")))
    elif linktype == "document":
        url = resolver.document_url(int_or_none(attrs.get("id")))
    elif linktype and linktype != "external" and _registered_handler("link", linktype):
        return _registered_handler("link", linktype).expand_db_attributes(attrs)
    else:
        href = (attrs.get("href") or "").strip()
        url = href if href and (is_safe_link(href) or href.startswith("#")) else None
    return f'<a href="{escape(url)}">' if url else "<a>"


def _embed_tag(attrs, resolver):
    embedtype = attrs.get("embedtype")
    if embedtype == "image":
        return resolver.rich_text_image_html(
            int_or_none(attrs.get("id")), attrs.get("format") or "", attrs.get("alt")
        )
    handler = _registered_handler("embed", embedtype) if embedtype else None
    return handler.expand_db_attributes(attrs) if handler else ""


def expand(source, resolver):
    """Front-end HTML of the stored rich text ``source``, using ``resolver``'s fetched objects."""
    if not source:
        return ""
    html = FIND_A_TAG.sub(lambda m: _link_tag(extract_attrs(m.group(1)), resolver), source)
    return FIND_EMBED_TAG.sub(lambda m: _embed_tag(extract_attrs(m.group(1)), resolver), html)


_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|div|blockquote|ul|ol)\s*>", re.IGNORECASE)


def rich_text_to_plain(source):
    """The visible text of rich text ``source``: tags removed, entities decoded.

    Block ends (paragraphs, list items, line breaks) become line breaks; runs of spaces inside a
    line collapse to one space.
    """
    if not source:
        return ""
    text = html_module.unescape(strip_tags(_BLOCK_END.sub("\n", str(source))))
    lines = (_SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
