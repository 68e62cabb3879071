"""Purges, webhooks and the render cache treat a custom article as the package's ArticlePage.

Publishing or unpublishing a custom article purges its URLs, its listings and the URLs of the
articles related to it, whatever their type; a treatment change reaches the custom articles
that show it; the webhook names the custom article; the render cache never serves a stale one.
"""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.api_fixtures import API
from tests.custom.helpers import CUSTOM_TYPE, callout, make_custom_article, make_partner
from tests.factories import TreatmentFactory, make_article
from tests.test_invalidation import (
    ARTICLE_TYPE,
    HOST,
    body_with_treatments,
    only_batch,
    page_listings,
    shown,
)
from tests.test_webhooks import Receiver, configure

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


@pytest.fixture
def related_world(index):
    """A treatment shared by an ArticlePage and a custom article, and an unrelated article."""
    needles = TreatmentFactory(slug="needles")
    return {
        "needles": needles,
        "package": make_article(index, slug="package-related", treatments=[needles]),
        "custom": make_custom_article(index, slug="custom-related", treatments=[needles]),
        "unrelated": make_custom_article(index, slug="unrelated"),
    }


def test_publishing_a_custom_article_purges_it_and_the_articles_related_to_it(
    index, related_world, purged, committed
):
    article = make_custom_article(
        index, slug="custom-new", treatments=[related_world["needles"]], live=False
    )
    assert purged == []

    committed(article.save_revision().publish)

    assert only_batch(purged) == {
        *shown(article, "/blog/custom-new/"),
        *page_listings(index, CUSTOM_TYPE),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
        *shown(related_world["package"], "/blog/package-related/"),
        *shown(related_world["custom"], "/blog/custom-related/"),
    }


def test_publishing_a_package_article_purges_the_custom_articles_related_to_it(
    index, related_world, purged, committed
):
    article = make_article(
        index, slug="package-new", treatments=[related_world["needles"]], live=False
    )

    committed(article.save_revision().publish)

    assert only_batch(purged) == {
        *shown(article, "/blog/package-new/"),
        *page_listings(index, ARTICLE_TYPE),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
        *shown(related_world["package"], "/blog/package-related/"),
        *shown(related_world["custom"], "/blog/custom-related/"),
    }


def test_unpublishing_a_custom_article_purges_it_and_the_articles_related_to_it(
    index, related_world, purged, committed
):
    committed(related_world["custom"].unpublish)

    assert only_batch(purged) == {
        *shown(related_world["custom"], "/blog/custom-related/"),
        *page_listings(index, CUSTOM_TYPE),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
        *shown(related_world["package"], "/blog/package-related/"),
    }


def test_the_index_listing_pages_count_custom_articles(index, purged, committed, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"ARTICLES_PER_PAGE": 2}
    for n in range(2):
        make_article(index, slug=f"package-{n}")
    articles = [make_custom_article(index, slug=f"custom-{n}") for n in range(3)]

    committed(articles[0].unpublish)

    assert only_batch(purged) == {
        *shown(articles[0], "/blog/custom-0/"),
        *page_listings(index, CUSTOM_TYPE),
        f"{HOST}/blog/",
        f"{HOST}/blog/?page=2",
        f"{HOST}/blog/?page=3",  # four articles left fill two pages; the third is now empty
    }


def test_deleting_a_custom_article_purges_once_with_the_urls_it_had(
    index, related_world, purged, committed
):
    article = related_world["custom"]
    article_id = article.pk

    committed(Page.objects.get(pk=article_id).delete)

    assert only_batch(purged) == {
        f"{HOST}/blog/custom-related/",
        f"{HOST}/api/v2/pages/{article_id}/",
        f"{HOST}/api/v2/pages/find/?html_path=/blog/custom-related/",
        *page_listings(index, CUSTOM_TYPE),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
        *shown(related_world["package"], "/blog/package-related/"),
    }


def test_a_treatment_change_reaches_the_custom_articles_showing_it(index, purged, committed):
    treatment = TreatmentFactory(slug="electro")
    inline = make_custom_article(index, slug="inline", treatments=[treatment])
    in_body = make_custom_article(index, slug="in-body", body=body_with_treatments(treatment))
    make_custom_article(index, slug="draft", treatments=[treatment], live=False)
    make_custom_article(index, slug="without")

    treatment.name = "Electro-acupuncture"
    committed(treatment.save_revision().publish)

    assert only_batch(purged) == {
        f"{HOST}/api/v2/treatments/{treatment.pk}/",
        f"{HOST}/api/v2/treatments/?slug=electro",
        f"{HOST}/api/v2/treatments/find/?slug=electro",
        f"{HOST}/api/v2/treatments/",
        *shown(inline, "/blog/inline/"),
        *shown(in_body, "/blog/in-body/"),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=electro",
    }


def test_publishing_a_custom_article_sends_a_webhook_naming_it(
    index, related_world, settings, committed
):
    with Receiver() as receiver:
        configure(settings, receiver.url, WEBHOOK_IMMEDIATE_IN_THREAD=False)
        article = make_custom_article(
            index,
            title="Custom news",
            slug="custom-news",
            treatments=[related_world["needles"]],
            live=False,
        )
        committed(article.save_revision().publish)

    [request] = receiver.requests
    payload = json.loads(request["body"])
    assert payload["event"] == "published"
    assert payload["object"] == {
        "type": "custom_app.customarticlepage",
        "id": article.pk,
        "title": "Custom news",
        "path": "/blog/custom-news/",
    }
    for path in (
        "/blog/custom-news/",
        f"/api/v2/pages/{article.pk}/",
        f"/api/v2/pages/?type={CUSTOM_TYPE}",
        "/blog/package-related/",
        "/blog/custom-related/",
    ):
        assert path in payload["paths"], path


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return len(context.captured_queries), response


def test_the_render_cache_serves_a_custom_article_and_never_a_stale_one(client, index, clinic):
    article = make_custom_article(index, subtitle="First", body=[callout("c", "<p>Hi</p>")])
    url = f"{API}/pages/{article.pk}/"
    first = client.get(url)
    count, second = queries_of(client, url)
    assert count == 1  # the content generation
    assert second.content == first.content
    html = client.get(article.url).content
    html_count, cached = queries_of(client, article.url)
    assert cached.content == html
    with override_settings(WAGTAIL_ACUPUNCTURE={"RENDER_CACHE": False}):
        client.get(article.url)
        cold_count, _ = queries_of(client, article.url)
    assert html_count < cold_count

    article.subtitle = "Second"
    article.save_revision().publish()
    assert client.get(url).json()["subtitle"] == "Second"
    assert "Second" in client.get(article.url).content.decode()


def test_unpublishing_the_apps_own_snippet_shows_at_once(client, index, clinic):
    partner = make_partner("Cached partner")
    article = make_custom_article(index, body=[callout("c", "<p>Hi</p>", partner=partner)])
    url = f"{API}/pages/{article.pk}/"
    (block,) = client.get(url).json()["body"]
    assert block["value"]["partner"]["title"] == "Cached partner"
    assert "Cached partner" in client.get(article.url).content.decode()

    partner.unpublish()
    (block,) = client.get(url).json()["body"]
    assert block["value"]["partner"] is None
    assert "Cached partner" not in client.get(article.url).content.decode()
