"""A custom article's API responses and HTML take the same queries with 2 or 10 callouts.

As in ``test_api_queries.py`` and ``test_queries_html.py``: each measured request follows an
identical warm-up request (renditions and Wagtail's caches exist in both runs), the render cache
is off, and the counts at two sizes must be equal. Every callout has its own partner, image,
linked page and linked document, so anything fetched per callout shows. The API stays within
the package's ceiling of 12 queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.api_fixtures import API, faq, heading, make_document, make_image, paragraph
from tests.custom.helpers import CUSTOM_TYPE, callout, make_custom_article, make_partner
from tests.factories import TreatmentFactory, add_page
from tests.test_api_queries import CEILING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.api_fixtures"),
    pytest.mark.usefixtures("render_cache_off"),
]

SMALL, LARGE = 2, 10


def count_queries(client, url):
    """``(queries, response)`` of the second of two identical requests."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries), response


def callouts(home, prefix, count):
    """``count`` callouts, each with its own partner, image, linked page and document."""
    blocks = []
    for i in range(count):
        page = add_page(home, Page(title=f"{prefix} target {i}", slug=f"{prefix}-target-{i}"))
        document = make_document(f"{prefix} form {i}")
        image = make_image(f"{prefix} image {i}", width=64, height=48)
        partner = make_partner(f"{prefix} partner {i}")
        html = (
            f'<p><a linktype="page" id="{page.pk}">page</a> '
            f'<a linktype="document" id="{document.pk}">form</a></p>'
        )
        blocks.append(callout(f"{prefix}-c{i}", html, partner=partner, image=image))
    return blocks


def custom_article(index, slug, count, treatments=()):
    home = index.get_parent()
    body = [
        heading(f"{slug}-h", "Section"),
        paragraph(f"{slug}-p", "<p>Text.</p>"),
        *callouts(home, slug, count),
        faq(f"{slug}-faq", [("Question?", "Answer.")]),
    ]
    return make_custom_article(index, slug=slug, body=body, treatments=treatments)


def test_api_detail_queries_do_not_grow_with_callouts(client, index, clinic):
    small = custom_article(index, "small", SMALL)
    large = custom_article(index, "large", LARGE)
    small_count, small_response = count_queries(client, f"{API}/pages/{small.pk}/")
    large_count, large_response = count_queries(client, f"{API}/pages/{large.pk}/")
    body = [child for child in large_response.json()["body"] if child["type"] == "callout"]
    assert len(body) == LARGE
    assert all(isinstance(child["value"]["partner"], dict) for child in body)
    assert all(isinstance(child["value"]["image"], dict) for child in body)
    assert large_count == small_count
    assert large_count <= CEILING


def test_api_listing_queries_do_not_grow_with_articles(client, index, clinic):
    shared = TreatmentFactory(slug="shared", url="https://example.com/shared")
    url = f"{API}/pages/?type={CUSTOM_TYPE}&fields=*&limit=100"

    def add(count, prefix):
        for i in range(count):
            custom_article(index, f"{prefix}-{i}", 1, treatments=[shared])

    add(SMALL, "few")
    few_count, few = count_queries(client, url)
    add(LARGE - SMALL, "many")
    many_count, many = count_queries(client, url)
    assert (len(few.json()["items"]), len(many.json()["items"])) == (SMALL, LARGE)
    assert all(item["related_articles"] for item in many.json()["items"])
    assert many_count == few_count
    assert many_count <= CEILING


def test_html_queries_do_not_grow_with_callouts(client, index, clinic):
    small = custom_article(index, "small", SMALL)
    large = custom_article(index, "large", LARGE)
    small_count, _ = count_queries(client, small.url)
    large_count, response = count_queries(client, large.url)
    html = response.content.decode()
    assert html.count('class="custom-callout"') == LARGE
    assert html.count('class="custom-callout__partner"') == LARGE
    assert large_count == small_count


def test_index_html_queries_do_not_grow_with_custom_articles(client, index, clinic):
    shared = TreatmentFactory(slug="shared")
    urls = (index.url, f"{index.url}?treatment=shared")

    def add(count, prefix):
        for i in range(count):
            custom_article(index, f"{prefix}-{i}", 1, treatments=[shared])

    add(SMALL, "few")
    few = [count_queries(client, url)[0] for url in urls]
    add(LARGE - SMALL, "many")
    counts, responses = zip(*(count_queries(client, url) for url in urls), strict=True)
    for response in responses:
        assert response.content.decode().count('class="acu-card"') == LARGE
    assert list(counts) == few
