"""Search metadata in the page ``<head>`` and the article entries of Wagtail's sitemap."""

import datetime
import xml.etree.ElementTree as ET  # noqa: N817

import extruct
import lxml.html
import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import ImageFactory, make_article, make_back_pain_article
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.structured_data import article_dates, build_page_metadata

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def head_of(client, url):
    """``(title, {meta name or property: content}, canonical href, document)`` of a page."""
    response = client.get(url)
    assert response.status_code == 200
    document = response.content.decode()
    head = lxml.html.fromstring(document).find("head")
    metas = {}
    for meta in head.iter("meta"):
        key = meta.get("property") or meta.get("name")
        if key:
            assert key not in metas, f"duplicate {key}"
            metas[key] = meta.get("content")
    canonical = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
    assert len(canonical) <= 1
    titles = head.findall("title")
    assert len(titles) == 1
    return titles[0].text, metas, (canonical[0] if canonical else None), document


# --- article pages -------------------------------------------------------------------------


def test_article_head_tags(client, index, clinic):
    page = make_back_pain_article(index)
    title, metas, canonical, document = head_of(client, page.url)
    assert title == f"{page.title} | {clinic.clinic_name}"
    assert metas["description"] == page.intro
    assert canonical == page.full_url
    assert metas["og:type"] == "article"
    assert metas["og:title"] == page.title
    assert metas["og:description"] == page.intro
    assert metas["og:url"] == page.full_url
    assert metas["og:site_name"] == clinic.clinic_name
    assert metas["og:locale"].lower().startswith("en")
    assert metas["og:image"].startswith("http://localhost/media/")
    assert (metas["og:image:width"], metas["og:image:height"]) == ("1200", "630")
    assert metas["og:image:alt"] == page.hero_image.default_alt_text
    assert metas["article:published_time"] == page.published_date.isoformat()
    assert metas["article:modified_time"] == article_dates(page)[1]
    assert metas["article:modified_time"].startswith(page.modified_date.isoformat())
    assert metas["twitter:card"] == "summary_large_image"
    assert metas["twitter:title"] == page.title
    assert metas["twitter:description"] == page.intro
    assert metas["twitter:image"] == metas["og:image"]
    # A crawler's Open Graph extractor reads the same values.
    (og,) = extruct.extract(document, base_url=page.full_url, syntaxes=["opengraph"])["opengraph"]
    properties = dict(og["properties"])
    assert properties["og:title"] == page.title
    assert properties["og:image"] == metas["og:image"]


def test_seo_title_and_search_description_win(client, index, clinic):
    page = make_article(
        index, seo_title="Back pain relief in Portland", search_description="Search text."
    )
    title, metas, _canonical, _document = head_of(client, page.url)
    assert title == "Back pain relief in Portland"
    assert metas["og:title"] == "Back pain relief in Portland"
    assert metas["description"] == metas["og:description"] == "Search text."


def test_title_without_clinic_name_is_the_page_title(client, index):
    page = make_article(index)
    title, metas, _canonical, _document = head_of(client, page.url)
    assert title == page.title
    assert "og:site_name" not in metas


@override_settings(WAGTAIL_ACUPUNCTURE={"SEO_TITLE_SEPARATOR": " – "})
def test_title_separator_is_a_setting(client, index, clinic):
    page = make_article(index)
    assert head_of(client, page.url)[0] == f"{page.title} – {clinic.clinic_name}"


def test_article_without_hero_image_has_a_summary_card(client, index, clinic):
    page = make_article(index)
    _title, metas, _canonical, _document = head_of(client, page.url)
    assert "og:image" not in metas and "twitter:image" not in metas
    assert metas["twitter:card"] == "summary"


def test_metadata_of_a_draft_is_never_served(client, index, clinic):
    page = make_article(index, search_description="Live description.")
    draft = ArticlePage.objects.get(pk=page.pk)
    draft.seo_title = "Draft SEO title"
    draft.search_description = "Draft description."
    draft.hero_image = ImageFactory(title="Draft hero")
    draft.save_revision()
    title, metas, _canonical, document = head_of(client, page.url)
    assert "Draft" not in document
    assert metas["description"] == "Live description."


def test_metadata_dict_is_plain_values(index, clinic):
    page = make_back_pain_article(index)
    metadata = build_page_metadata(page)
    assert metadata["image"]["width"] == 1200
    assert metadata["published_time"] == "2024-11-04"
    assert all(
        value is None or isinstance(value, (str, dict)) for value in metadata.values()
    )


# --- article index pages ---------------------------------------------------------------------


@override_settings(WAGTAIL_ACUPUNCTURE={"ARTICLES_PER_PAGE": 1})
def test_index_head_tags_and_canonical(client, index, clinic):
    make_article(index)
    make_article(index)
    title, metas, canonical, _document = head_of(client, index.url)
    assert title == f"{index.title} | {clinic.clinic_name}"
    assert canonical == index.full_url
    assert metas["og:type"] == "website"
    assert "article:published_time" not in metas
    # Page 2 is its own canonical; tracking parameters are dropped.
    _title, _metas, canonical, _document = head_of(client, index.url + "?page=2&utm_source=x")
    assert canonical == index.full_url + "?page=2"
    _title, _metas, canonical, _document = head_of(client, index.url + "?page=1")
    assert canonical == index.full_url


def test_index_canonical_keeps_a_valid_treatment_filter(client, index, clinic):
    from tests.factories import TreatmentFactory

    treatment = TreatmentFactory(slug="acupuncture")
    make_article(index, treatments=[treatment])
    canonical = head_of(client, index.url + "?treatment=acupuncture")[2]
    assert canonical == index.full_url + "?treatment=acupuncture"
    assert head_of(client, index.url + "?treatment=unknown")[2] == index.full_url


def test_index_description_is_the_intro_as_text(client, home, clinic):
    from tests.factories import make_index

    blog = make_index(home, slug="news", title="News", intro="<p>Clinic <b>news</b> &amp; tips</p>")
    assert head_of(client, blog.url)[1]["description"] == "Clinic news & tips"


# --- sitemap -------------------------------------------------------------------------------


def sitemap_lastmods(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_sitemap_lists_live_articles_with_lastmod(client, index, home):
    home.save_revision().publish()  # every page now has a lastmod, as on a real site
    live = make_article(index)
    draft = make_article(index, live=False)
    lastmods = sitemap_lastmods(client)
    assert lastmods[live.full_url] == live.modified_date.isoformat()
    assert lastmods[index.full_url] and lastmods[home.full_url]  # ordinary pages too
    assert draft.full_url not in lastmods


def test_sitemap_lastmod_is_the_latest_of_publication_and_review(client, index, home):
    home.save_revision().publish()
    published = timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 0))
    reviewed_later = make_article(index)
    ArticlePage.objects.filter(pk=reviewed_later.pk).update(
        published_date=datetime.date(2024, 3, 1),
        first_published_at=published,
        last_published_at=published,
        last_reviewed=datetime.date(2025, 2, 3),
    )
    published_later = make_article(index)
    ArticlePage.objects.filter(pk=published_later.pk).update(
        published_date=datetime.date(2024, 3, 1),
        first_published_at=published,
        last_published_at=timezone.make_aware(datetime.datetime(2025, 6, 7, 12, 0)),
        last_reviewed=datetime.date(2024, 5, 1),
    )
    lastmods = sitemap_lastmods(client)
    assert lastmods[reviewed_later.full_url] == "2025-02-03"
    assert lastmods[published_later.full_url] == "2025-06-07"
    response = client.get("/sitemap.xml")
    assert response.has_header("Last-Modified")
