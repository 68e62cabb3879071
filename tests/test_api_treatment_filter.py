"""``?treatment=<slug>`` on the pages listing: the HTML article index's filter, in the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_fixtures import API
from tests.factories import TreatmentFactory, make_article
from wagtail_acupuncture.api.schema import build_openapi

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.api_fixtures"),
    pytest.mark.usefixtures("render_cache_off"),
]

ARTICLES = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage"


def slugs(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    data = response.json()
    if status != 200:
        return data
    return [item["meta"]["slug"] for item in data["items"]]


@pytest.fixture
def tagged(index):
    digestion = TreatmentFactory(slug="digestion")
    athletes = TreatmentFactory(slug="athletes")
    draft = TreatmentFactory(slug="draft-treatment", live=False)
    make_article(index, slug="both", treatments=[digestion, athletes])
    make_article(index, slug="digestion-only", treatments=[digestion, digestion])
    make_article(index, slug="athletes-only", treatments=[athletes])
    make_article(index, slug="untagged")
    make_article(index, slug="draft-tagged", treatments=[draft])
    make_article(index, slug="unpublished", treatments=[digestion], live=False)
    return index


def test_treatment_filters_the_listing_as_the_html_index_does(client, tagged):
    assert sorted(slugs(client, f"{ARTICLES}&treatment=digestion")) == ["both", "digestion-only"]
    assert sorted(slugs(client, f"{API}/pages/?treatment=athletes")) == ["athletes-only", "both"]
    html = client.get(f"{tagged.url}?treatment=digestion").content.decode()
    for slug in ("both", "digestion-only"):
        assert f"/{slug}/" in html
    assert "/athletes-only/" not in html
    # An unpublished treatment and an unknown slug filter everything out, as on the index.
    assert slugs(client, f"{ARTICLES}&treatment=draft-treatment") == []
    assert slugs(client, f"{ARTICLES}&treatment=nope") == []
    # Combines with the other filters and pagination.
    assert slugs(client, f"{ARTICLES}&treatment=digestion&slug=both") == ["both"]
    page = client.get(f"{ARTICLES}&treatment=digestion&limit=1").json()
    assert (page["meta"]["total_count"], len(page["items"])) == (2, 1)


@pytest.mark.parametrize("value", ["", "%20", "%00", "x" * 1001])
def test_bad_treatment_values_are_400(client, tagged, value):
    data = slugs(client, f"{ARTICLES}&treatment={value}", status=400)
    assert "treatment" in data["message"]


def count(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.json()["items"])


def test_treatment_filter_adds_no_query_and_does_not_grow(client, index):
    shared = TreatmentFactory(slug="shared")
    other = TreatmentFactory(slug="other")
    url = f"{ARTICLES}&fields=*&limit=100"

    def add(n, prefix):
        for i in range(n):
            make_article(index, slug=f"{prefix}-{i}", treatments=[shared, other])

    add(3, "few")
    few, few_items = count(client, f"{url}&treatment=shared")
    unfiltered, _ = count(client, url)
    add(30, "many")
    many, many_items = count(client, f"{url}&treatment=shared")
    assert (few_items, many_items) == (3, 33)
    assert few == many == unfiltered


def test_treatment_parameter_is_documented():
    parameters = build_openapi()["paths"]["/pages/"]["get"]["parameters"]
    assert "treatment" in {parameter["name"] for parameter in parameters}
