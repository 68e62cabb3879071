"""JSON-LD structured data and search metadata for articles: pure functions, page in, dict out.

:func:`build_article_graph` returns the one JSON-LD document of an article. The HTML page prints
it with :func:`json_ld_script` (``{% article_json_ld page %}``) and the API returns it as its
``structured_data`` field, so both carry exactly the same graph. Every value in the graph is plain
JSON (strings, numbers, lists, dicts), never a model instance, lazy string or date object.

Nodes reference each other by ``@id``. Page-level nodes use the page URL plus a fragment
(``#webpage``, ``#article``, ``#breadcrumb``, ``#faq-<item id>``, the last matching the visible
FAQ item's HTML ``id``); site-level entities that recur on every article use the site root URL plus
a fragment (``#clinic``, ``#practitioner-<pk>``, ``#treatment-<slug>``), so consumers see one
clinic, one person and one therapy across the whole site.

:func:`build_page_metadata` returns the values of the ``<title>``, description, canonical,
Open Graph and Twitter tags of an article or article index page (``{% page_metadata %}``).
"""

import json
import re
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

from .booking import get_clinic_settings
from .conf import acupuncture_settings
from .content.images import (
    clinic_logo_rendition,
    hero_rendition_specs,
    hero_renditions,
    image_renditions,
    person_image_rendition,
    rendition_filter,
)
from .content.richtext import rich_text_to_plain
from .links import safe_link_or_none
from .models import AbstractArticlePage
from .models.pages import breadcrumb_ancestors, prefetch_breadcrumbs

SCHEMA_CONTEXT = "https://schema.org"

#: Characters replaced by ``\\u`` escapes in serialized JSON-LD: nothing inside a string can then
#: end the ``<script>`` element, open an HTML comment or an entity, or end a JavaScript line.
JSON_LD_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


# --------------------------------------------------------------------------------------------
# Serialization


def dumps_json_ld(data):
    """Serialize ``data`` to a JSON string that is safe inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 become ``\\u`` escapes. These characters can only occur
    inside JSON strings, so the parsed value is unchanged.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return text.translate(JSON_LD_ESCAPES)


def json_ld_script(data):
    """``<script type="application/ld+json">`` holding ``data``, as a safe string for templates."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumps_json_ld(data)),  # noqa: S308 - escaped by dumps_json_ld
    )


# --------------------------------------------------------------------------------------------
# Small helpers


def _absolute(url, root_url):
    """``url`` made absolute against ``root_url`` (media and single-site page URLs are relative)."""
    if not url:
        return None
    if root_url and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return urljoin(root_url.rstrip("/") + "/", url)
    return url


def _isodate(value):
    return value.isoformat() if value else None


def _date_with_time(day, moment):
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
        _date_with_time(page.published_date, page.first_published_at),
        _date_with_time(page.modified_date, page.last_published_at),
    )


def _ref(node_id):
    return {"@id": node_id}


def _compact(node):
    """``node`` without empty values (``None``, ``""``, ``[]``, ``{}``)."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def language_tag(page):
    """The page's language as a BCP 47 tag (``en-US``), from its locale or ``LANGUAGE_CODE``."""
    locale = getattr(page, "locale", None)
    code = getattr(locale, "language_code", None) or settings.LANGUAGE_CODE
    return to_locale(code).replace("_", "-")


class _URLs:
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
        return _absolute(url, self.root_url)


# --------------------------------------------------------------------------------------------
# Images


# --------------------------------------------------------------------------------------------
# FAQ


def faq_structured_data_enabled(clinic=None):
    """True when FAQ markup is on for the site: ``FAQ_STRUCTURED_DATA`` and the clinic's switch."""
    if not acupuncture_settings.FAQ_STRUCTURED_DATA:
        return False
    return bool(getattr(clinic, "faq_structured_data", True)) if clinic is not None else True


def faq_items(page, *, clinic=None):
    """The page's FAQ items that go into structured data, in page order, each question once.

    Returns ``[{"id", "question", "answer"}]``: ``id`` is the item's block id (the visible
    ``<details id="faq-<id>">``), ``answer`` the visible text of the answer. Items of FAQ blocks
    whose "Include in structured data" box is unticked are left out, as is everything when the
    site-level switch is off. A question repeated in a later block (same text, ignoring case and
    spacing) is kept only where it first appears.
    """
    if not faq_structured_data_enabled(clinic):
        return []
    scan = getattr(page, "body_scan", None)
    items, seen = [], set()
    for entry in getattr(scan, "faq_entries", ()):
        question, answer = entry["question"], entry["answer"]
        key = " ".join(question.casefold().split())
        if not entry["structured_data"] or not question or not answer or key in seen:
            continue
        seen.add(key)
        items.append({"id": entry["id"], "question": question, "answer": answer})
    return items


# --------------------------------------------------------------------------------------------
# Nodes


def practitioner_id(practitioner, urls):
    return urls.site_id_for(f"practitioner-{practitioner.pk}")


def build_person_node(practitioner, urls):
    """A ``Person``: name, job title, credentials (``hasCredential``, ``honorificSuffix``), url
    and, with a photo, ``image``."""
    credentials = [
        part.strip() for part in re.split(r"[,;]", practitioner.credentials or "") if part.strip()
    ]
    photo = person_image_rendition(practitioner)
    return _compact(
        {
            "@type": "Person",
            "@id": practitioner_id(practitioner, urls),
            "name": practitioner.name,
            "jobTitle": practitioner.job_title,
            "honorificSuffix": practitioner.credentials,
            "hasCredential": [
                {"@type": "EducationalOccupationalCredential", "name": credential}
                for credential in credentials
            ],
            "url": safe_link_or_none(practitioner.profile_url),
            "image": urls.absolute(photo.url) if photo is not None else None,
        }
    )


def clinic_id(urls):
    return urls.site_id_for("clinic")


def build_clinic_node(clinic, urls):
    """A ``MedicalClinic`` from ``ClinicSettings``, or ``None`` when the clinic has no name.

    Carries name, url (the site root), telephone, email, a ``PostalAddress``, the logo (also as
    ``image``), ``GeoCoordinates``, ``OpeningHoursSpecification`` rows, ``sameAs`` profile pages
    and, when a booking URL is set, a ``ReserveAction`` whose target is that URL (each when set).
    """
    if clinic is None or not clinic.clinic_name:
        return None
    address = clinic.postal_address
    booking_url = safe_link_or_none(clinic.booking_url)
    node = {
        "@type": "MedicalClinic",
        "@id": clinic_id(urls),
        "name": clinic.clinic_name,
        "url": urls.site_url,
        "telephone": clinic.phone,
        "email": clinic.email,
        "address": _compact(
            {
                "@type": "PostalAddress",
                "streetAddress": address.get("street_address"),
                "addressLocality": address.get("address_locality"),
                "addressRegion": address.get("address_region"),
                "postalCode": address.get("postal_code"),
                "addressCountry": address.get("address_country"),
            }
        )
        if address
        else None,
    }
    logo = clinic_logo_rendition(clinic)
    if logo is not None:
        node["logo"] = node["image"] = urls.absolute(logo.url)
    geo = clinic.geo
    if geo is not None:
        node["geo"] = {"@type": "GeoCoordinates", **geo}
    node["openingHoursSpecification"] = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{day.capitalize()}" for day in row["days"]],
            "opens": row["opens"],
            "closes": row["closes"],
        }
        for row in clinic.opening_hours_list
        if row["days"] and row["opens"] and row["closes"]
    ]
    node["sameAs"] = clinic.profile_url_list
    if booking_url:
        node["potentialAction"] = {
            "@type": "ReserveAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": booking_url,
                "actionPlatform": [
                    "https://schema.org/DesktopWebPlatform",
                    "https://schema.org/MobileWebPlatform",
                ],
            },
        }
    return _compact(node)


def treatment_id(treatment, urls):
    return urls.site_id_for(f"treatment-{treatment.slug}")


def build_therapy_node(treatment, urls, *, request=None):
    """A ``MedicalTherapy`` for a published ``Treatment``.

    ``medicineSystem`` comes from the ``TREATMENT_MEDICINE_SYSTEM`` setting (schema.org lists
    acupuncture under ``TraditionalChinese``); set it to ``None`` to leave it out.
    """
    system = acupuncture_settings.TREATMENT_MEDICINE_SYSTEM
    if system and "/" not in system:
        system = f"{SCHEMA_CONTEXT}/{system}"
    return _compact(
        {
            "@type": "MedicalTherapy",
            "@id": treatment_id(treatment, urls),
            "name": treatment.name,
            "description": treatment.summary,
            "url": urls.absolute(treatment.get_link_url(request=request)),
            "medicineSystem": system,
        }
    )


def build_question_node(item, urls):
    """A ``Question`` with its ``acceptedAnswer`` from one :func:`faq_items` entry."""
    return {
        "@type": "Question",
        "@id": urls.page_id(f"faq-{item['id']}"),
        "name": item["question"],
        "acceptedAnswer": {"@type": "Answer", "text": item["answer"]},
    }


def breadcrumb_trail(page, *, request=None):
    """``[(name, url)]`` from the site's home page down to ``page``: live ancestors with a URL."""
    urls = _URLs(page, request)
    trail = []
    if urls.page_url and page.pk and page.path:
        for ancestor in breadcrumb_ancestors(page):
            parts = ancestor.get_url_parts(request=request)
            if parts is None or parts[0] != urls.site_id or parts[2] is None:
                continue
            trail.append((ancestor.title, (parts[1] or "") + parts[2]))
    trail.append((page.title, urls.page_url or None))
    return trail


def build_breadcrumb_node(page, urls, *, request=None):
    """A ``BreadcrumbList`` of :func:`breadcrumb_trail`."""
    return {
        "@type": "BreadcrumbList",
        "@id": urls.page_id("breadcrumb"),
        "itemListElement": [
            _compact({"@type": "ListItem", "position": position, "name": name, "item": url})
            for position, (name, url) in enumerate(breadcrumb_trail(page, request=request), start=1)
        ],
    }


# --------------------------------------------------------------------------------------------
# The graph


def build_article_graph(page, *, request=None):
    """The JSON-LD document (``{"@context": ..., "@graph": [...]}``) of an article page.

    The graph holds, in this order: the page (``MedicalWebPage``, plus ``FAQPage`` when FAQ items
    are marked up), the ``BlogPosting``, the author and reviewer (``Person``), the clinic
    (``MedicalClinic``), the related treatments (``MedicalTherapy``), one ``Question`` per FAQ
    item and the ``BreadcrumbList``. Only what the given page instance holds is used: for a live
    page that is the published content, never a draft revision; unpublished treatments are left
    out (:meth:`~wagtail_acupuncture.models.AbstractArticlePage.get_live_treatments`).

    ``request`` only affects URLs and which site's ``ClinicSettings`` apply, as for
    ``Page.get_full_url(request)``.
    """
    urls = _URLs(page, request)
    clinic = get_clinic_settings(request=request, page=page)
    language = language_tag(page)
    description = page.description or None

    people = {}
    for practitioner in (page.author, page.reviewed_by):
        if practitioner is not None and practitioner.pk not in people:
            people[practitioner.pk] = build_person_node(practitioner, urls)

    clinic_node = build_clinic_node(clinic, urls)
    therapies = [
        build_therapy_node(treatment, urls, request=request)
        for treatment in page.get_live_treatments()
    ]
    questions = [build_question_node(item, urls) for item in faq_items(page, clinic=clinic)]

    renditions = hero_renditions(page)
    images = [
        urls.absolute(renditions[spec].url)
        for spec in acupuncture_settings.STRUCTURED_DATA_IMAGE_RENDITIONS
        if spec in renditions
    ]

    published, modified = article_dates(page)
    webpage_id = urls.page_id("webpage")
    article_id = urls.page_id("article")
    webpage = _compact(
        {
            "@type": ["MedicalWebPage", "FAQPage"] if questions else "MedicalWebPage",
            "@id": webpage_id,
            "url": urls.page_url,
            "name": page.title,
            "description": description,
            "inLanguage": language,
            "lastReviewed": _isodate(page.last_reviewed),
            "reviewedBy": _ref(people[page.reviewed_by.pk]["@id"]) if page.reviewed_by else None,
            "about": [_ref(node["@id"]) for node in therapies],
            "mainEntity": [_ref(node["@id"]) for node in questions] or _ref(article_id),
            "breadcrumb": _ref(urls.page_id("breadcrumb")),
        }
    )
    article = _compact(
        {
            "@type": "BlogPosting",
            "@id": article_id,
            "url": urls.page_url,
            "headline": page.title,
            "description": description,
            "image": images,
            "datePublished": published,
            "dateModified": modified,
            "author": _ref(people[page.author.pk]["@id"]) if page.author else None,
            "publisher": _ref(clinic_node["@id"]) if clinic_node else None,
            "mainEntityOfPage": _ref(webpage_id),
            "inLanguage": language,
            "wordCount": page.word_count,
        }
    )

    graph = [webpage, article, *people.values()]
    if clinic_node:
        graph.append(clinic_node)
    graph.extend(therapies)
    graph.extend(questions)
    graph.append(build_breadcrumb_node(page, urls, request=request))
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


def build_index_graph(page, articles, *, request=None, start=1):
    """The JSON-LD document of an article index page listing ``articles``.

    The graph holds the page (``CollectionPage``, its ``mainEntity`` the list), an ``ItemList``
    of the listed articles (``ListItem`` with ``position`` from ``start``, ``url`` and ``name``),
    the clinic (``MedicalClinic``, the page's ``publisher``) and the ``BreadcrumbList``.
    ``articles`` are the live, public articles shown (one page of the listing); ``start`` is the
    position of the first one (``page_obj.start_index()`` on later pages).
    """
    urls = _URLs(page, request)
    clinic_node = build_clinic_node(get_clinic_settings(request=request, page=page), urls)
    items = [
        {
            "@type": "ListItem",
            "position": position,
            "url": urls.absolute(article.get_url(request=request)),
            "name": article.title,
        }
        for position, article in enumerate(articles, start=start)
    ]
    list_id = urls.page_id("articles")
    webpage = _compact(
        {
            "@type": "CollectionPage",
            "@id": urls.page_id("webpage"),
            "url": urls.page_url,
            "name": page.title,
            "description": page.search_description
            or rich_text_to_plain(getattr(page, "intro", "")),
            "inLanguage": language_tag(page),
            "publisher": _ref(clinic_node["@id"]) if clinic_node else None,
            "mainEntity": _ref(list_id) if items else None,
            "breadcrumb": _ref(urls.page_id("breadcrumb")),
        }
    )
    graph = [webpage]
    if items:
        graph.append(
            {
                "@type": "ItemList",
                "@id": list_id,
                "numberOfItems": len(items),
                "itemListElement": items,
            }
        )
    if clinic_node:
        graph.append(clinic_node)
    graph.append(build_breadcrumb_node(page, urls, request=request))
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


# --------------------------------------------------------------------------------------------
# Search metadata (meta tags)


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
    urls = _URLs(page, request)
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


__all__ = [
    "article_dates",
    "build_article_graph",
    "build_breadcrumb_node",
    "build_clinic_node",
    "build_page_metadata",
    "build_person_node",
    "build_question_node",
    "build_therapy_node",
    "breadcrumb_ancestors",
    "breadcrumb_trail",
    "dumps_json_ld",
    "faq_items",
    "faq_structured_data_enabled",
    "hero_rendition_specs",
    "hero_renditions",
    "image_renditions",
    "json_ld_script",
    "language_tag",
    "prefetch_breadcrumbs",
    "rendition_filter",
    "rich_text_to_plain",
]
