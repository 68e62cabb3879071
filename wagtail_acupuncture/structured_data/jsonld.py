"""JSON-LD structured data of articles and article indexes: pure functions, page in, dict out.

:func:`build_article_graph` returns the one JSON-LD document of an article. The HTML page prints
it with :func:`json_ld_script` (``{% article_json_ld page %}``) and the API returns it as its
``structured_data`` field, so both carry exactly the same graph. Every value in the graph is plain
JSON (strings, numbers, lists, dicts), never a model instance, lazy string or date object. The
graph reads what the response's resolver prepared (the body's one walk, fetched renditions,
breadcrumb ancestors), so it adds no query of its own.

Nodes reference each other by ``@id``. Page-level nodes use the page URL plus a fragment
(``#webpage``, ``#article``, ``#breadcrumb``, ``#faq-<item id>``, the last matching the visible
FAQ item's HTML ``id``); site-level entities that recur on every article use the site root URL plus
a fragment (``#clinic``, ``#practitioner-<pk>``, ``#treatment-<slug>``), so consumers see one
clinic, one person and one therapy across the whole site.
"""

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..booking import get_clinic_settings
from ..booking_providers import booking_of
from ..conf import acupuncture_settings
from ..content.images import clinic_logo_rendition, hero_renditions, person_image_rendition
from ..content.richtext import rich_text_to_plain
from ..links import safe_link_or_none
from ..models.pages import breadcrumb_ancestors
from .base import PageURLs, article_dates, compact, isodate, language_tag, ref

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
    return compact(
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
    and, when a booking page is set (booking target, else booking URL), a ``ReserveAction`` whose
    target is its URL (each when set).
    """
    if clinic is None or not clinic.clinic_name:
        return None
    address = clinic.postal_address
    booking = booking_of(clinic)
    booking_url = booking["url"] if booking else None
    node = {
        "@type": "MedicalClinic",
        "@id": clinic_id(urls),
        "name": clinic.clinic_name,
        "url": urls.site_url,
        "telephone": clinic.phone,
        "email": clinic.email,
        "address": compact(
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
    return compact(node)


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
    return compact(
        {
            "@type": "MedicalTherapy",
            "@id": treatment_id(treatment, urls),
            "name": treatment.name,
            "description": treatment.summary,
            "url": urls.absolute(treatment.get_link_url(request=request)),
            "medicineSystem": system,
        }
    )


def build_citation_node(reference):
    """A ``ScholarlyArticle`` for one reference of the body (a references block item value).

    ``name``, ``author`` (``Person`` nodes), ``isPartOf`` a ``Periodical`` for a journal
    article (one with a DOI or PMID) else ``publisher``, ``datePublished`` (the year), ``url``
    (the typed URL, else the DOI or PubMed link) and ``sameAs`` (the DOI and PubMed links).
    """
    publisher = reference.get("publisher") or None
    scholarly = bool(reference.get("doi") or reference.get("pmid"))
    links = [link for link in (reference.doi_url, reference.pubmed_url) if link]
    url = reference.safe_url or (links[0] if links else None)
    year = reference.get("year")
    return compact(
        {
            "@type": "ScholarlyArticle",
            "name": reference.get("title"),
            "author": [{"@type": "Person", "name": name} for name in reference.author_names],
            "isPartOf": {"@type": "Periodical", "name": publisher} if publisher and scholarly else None,
            "publisher": {"@type": "Organization", "name": publisher} if publisher and not scholarly else None,
            "datePublished": str(year) if year else None,
            "url": url,
            "sameAs": [link for link in links if link != url],
        }
    )


def citations(page):
    """``ScholarlyArticle`` nodes of the references the page's body cites, in body order (read
    from the body's one walk)."""
    scan = getattr(page, "body_scan", None)
    return [build_citation_node(reference) for reference in getattr(scan, "citations", ())]


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
    urls = PageURLs(page, request)
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
            compact({"@type": "ListItem", "position": position, "name": name, "item": url})
            for position, (name, url) in enumerate(breadcrumb_trail(page, request=request), start=1)
        ],
    }


# --------------------------------------------------------------------------------------------
# The graph


def build_article_graph(page, *, request=None):
    """The JSON-LD document (``{"@context": ..., "@graph": [...]}``) of an article page.

    The graph holds, in this order: the page (``MedicalWebPage``, plus ``FAQPage`` when FAQ items
    are marked up), the ``BlogPosting`` (with the body's references as ``citation``), the author and reviewer (``Person``), the clinic
    (``MedicalClinic``), the related treatments (``MedicalTherapy``), one ``Question`` per FAQ
    item and the ``BreadcrumbList``. Only what the given page instance holds is used: for a live
    page that is the published content, never a draft revision; unpublished treatments are left
    out (:meth:`~wagtail_acupuncture.models.AbstractArticlePage.get_live_treatments`).

    ``request`` only affects URLs and which site's ``ClinicSettings`` apply, as for
    ``Page.get_full_url(request)``.
    """
    urls = PageURLs(page, request)
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
    webpage = compact(
        {
            "@type": ["MedicalWebPage", "FAQPage"] if questions else "MedicalWebPage",
            "@id": webpage_id,
            "url": urls.page_url,
            "name": page.title,
            "description": description,
            "inLanguage": language,
            "lastReviewed": isodate(page.last_reviewed),
            "reviewedBy": ref(people[page.reviewed_by.pk]["@id"]) if page.reviewed_by else None,
            "about": [ref(node["@id"]) for node in therapies],
            "mainEntity": [ref(node["@id"]) for node in questions] or ref(article_id),
            "breadcrumb": ref(urls.page_id("breadcrumb")),
        }
    )
    article = compact(
        {
            "@type": "BlogPosting",
            "@id": article_id,
            "url": urls.page_url,
            "headline": page.title,
            "description": description,
            "image": images,
            "datePublished": published,
            "dateModified": modified,
            "author": ref(people[page.author.pk]["@id"]) if page.author else None,
            "publisher": ref(clinic_node["@id"]) if clinic_node else None,
            "mainEntityOfPage": ref(webpage_id),
            "inLanguage": language,
            "wordCount": page.word_count,
            "citation": citations(page),
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
    urls = PageURLs(page, request)
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
    webpage = compact(
        {
            "@type": "CollectionPage",
            "@id": urls.page_id("webpage"),
            "url": urls.page_url,
            "name": page.title,
            "description": page.search_description
            or rich_text_to_plain(getattr(page, "intro", "")),
            "inLanguage": language_tag(page),
            "publisher": ref(clinic_node["@id"]) if clinic_node else None,
            "mainEntity": ref(list_id) if items else None,
            "breadcrumb": ref(urls.page_id("breadcrumb")),
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
