"""The number of SQL queries of a response does not depend on how much it contains.

Each test makes the same request against a small and a large data set and asserts equal query
counts, plus the absolute ceiling of 12 for an article detail and a listing of 100 articles with
``fields=*``. Every measured request follows one identical warm-up request, so renditions and
Wagtail's caches (content types, site root paths) exist in both runs.

``structured_data`` is built by ``structured_data.build_article_graph`` (issue 5), which queries
per page (breadcrumb ancestors) and per related treatment page (view restrictions); the API
tests measure the API's own fields without it and record the builder's behaviour in
``test_structured_data_*``, marked as expected failures until the builder takes prefetched data.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.api_fixtures import (
    API,
    booking_cta,
    faq,
    heading,
    key_points,
    make_document,
    make_image,
    notice,
    paragraph,
)
from tests.factories import PractitionerFactory, TreatmentFactory, add_page, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

CEILING = 12
ARTICLES = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage"


def count_queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(context.captured_queries), response.json()


def rich_article(index, n, slug):
    """An article with ``n`` of everything: blocks, FAQ items, images, links, treatments."""
    from django.utils import timezone

    home = index.get_parent()
    pages = [
        add_page(home, Page(title=f"{slug} page {i}", slug=f"{slug}-page-{i}")) for i in range(n)
    ]
    documents = [make_document(f"{slug} form {i}") for i in range(n)]
    images = [make_image(f"{slug} image {i}", width=64, height=48) for i in range(n)]
    treatments = [
        TreatmentFactory(slug=f"{slug}-t{i}", page=pages[i], image=images[i], url="")
        for i in range(n)
    ]
    author = PractitionerFactory(
        photo=make_image(f"{slug} author", width=64, height=48),
        bio=f'<p><a linktype="page" id="{pages[0].pk}">me</a></p>',
    )
    reviewer = PractitionerFactory(photo=make_image(f"{slug} reviewer", width=64, height=48))
    body = []
    for i in range(n):
        body += [
            heading(f"h{i}", f"Section {i}"),
            paragraph(
                f"p{i}",
                f'<p><a linktype="page" id="{pages[i].pk}">page</a> '
                f'<a linktype="document" id="{documents[i].pk}">doc</a> '
                f'<a href="https://example.com/{i}">ext</a></p>'
                f'<embed embedtype="image" id="{images[i].pk}" format="fullwidth" alt="i"/>',
            ),
            {
                "type": "image",
                "id": f"img{i}",
                "value": {"image": images[i].pk, "caption": "c", "alt_text": ""},
            },
            {"type": "quote", "id": f"q{i}", "value": {"text": "Quote", "attribution": "A"}},
            booking_cta(f"cta{i}", link_page=pages[i].pk),
            notice(
                f"n{i}",
                f'<p><a linktype="page" id="{pages[i].pk}">n</a></p>',
                starts_at=timezone.now(),
            ),
        ]
    body += [
        key_points(
            "kp", [(f"Point {i}", f'<a linktype="page" id="{pages[i].pk}">x</a>') for i in range(n)]
        ),
        faq(
            "faq",
            [
                (f"Question {i}?", f'Answer <a linktype="document" id="{documents[i].pk}">d</a>')
                for i in range(n)
            ],
        ),
        {
            "type": "related_treatments",
            "id": "rt",
            "value": {
                "heading": "Related",
                "treatments": [
                    {"type": "item", "id": f"rt{i}", "value": t.pk}
                    for i, t in enumerate(treatments)
                ],
            },
        },
    ]
    article = make_article(
        index,
        slug=slug,
        body=body,
        author=author,
        reviewed_by=reviewer,
        hero_image=images[0],
        treatments=treatments,
    )
    for i in range(n):
        make_article(
            index, slug=f"{slug}-related-{i}", hero_image=images[i], treatments=[treatments[i]]
        )
    return article


def test_detail_queries_do_not_grow(client, index, clinic):
    small = rich_article(index, 1, "small")
    large = rich_article(index, 6, "large")
    small_count, small_data = count_queries(
        client, f"{API}/pages/{small.pk}/?fields=-structured_data"
    )
    large_count, large_data = count_queries(
        client, f"{API}/pages/{large.pk}/?fields=-structured_data"
    )
    assert len(large_data["body"]) > 5 * len(small_data["body"]) - 10
    assert len(large_data["related_treatments"]) == 6
    assert large_count == small_count
    assert large_count <= CEILING


def test_listing_queries_do_not_grow(client, index, clinic):
    shared = TreatmentFactory(slug="shared", url="https://example.com/shared")
    image = make_image("Shared", width=64, height=48)
    author = PractitionerFactory(photo=image)
    link_target = make_article(index, slug="target")

    def add(count, prefix):
        for i in range(count):
            make_article(
                index,
                slug=f"{prefix}-{i}",
                author=author,
                hero_image=image,
                treatments=[shared],
                body=[
                    heading("h", f"Heading {i}"),
                    paragraph("p", f'<p><a linktype="page" id="{link_target.pk}">x</a></p>'),
                    {
                        "type": "image",
                        "id": "i",
                        "value": {"image": image.pk, "caption": "", "alt_text": ""},
                    },
                    faq("f", [("Q?", "A.")] * 3),
                    booking_cta("c"),
                ],
            )

    add(4, "few")
    few_count, few = count_queries(client, f"{ARTICLES}&fields=*&limit=100")
    add(96, "many")
    many_count, many = count_queries(client, f"{ARTICLES}&fields=*&limit=100")
    assert (len(few["items"]), len(many["items"])) == (5, 100)
    assert many_count == few_count
    assert many_count <= CEILING
    default_few, _ = count_queries(client, f"{ARTICLES}&limit=5")
    default_many, _ = count_queries(client, f"{ARTICLES}&limit=100")
    assert default_few == default_many


def test_back_pain_detail_and_listing_ceiling(client, index, clinic):
    from tests.api_fixtures import build_back_pain_article

    page = build_back_pain_article(index)["page"]
    count, _ = count_queries(client, f"{API}/pages/{page.pk}/?fields=-structured_data")
    assert count <= CEILING
    count, data = count_queries(client, f"{ARTICLES}&fields=*&limit=100")
    assert len(data["items"]) == 7
    assert count <= CEILING


def test_snippet_listings_do_not_grow(client, db):
    def make(count, prefix):
        for i in range(count):
            image = make_image(f"{prefix} {i}", width=32, height=32)
            TreatmentFactory(slug=f"{prefix}-{i}", image=image)
            PractitionerFactory(photo=image, bio=f"<p>{prefix} {i}</p>")

    make(2, "few")
    counts_few = [
        count_queries(client, f"{API}/{name}/?limit=100")[0]
        for name in ("treatments", "practitioners")
    ]
    make(20, "many")
    counts_many = [
        count_queries(client, f"{API}/{name}/?limit=100")[0]
        for name in ("treatments", "practitioners")
    ]
    assert counts_few == counts_many
    assert max(counts_many) <= CEILING


@pytest.mark.xfail(
    strict=True,
    reason="structured_data.build_article_graph checks each related treatment's page with "
    "Treatment.get_link_url (two queries each) and fetches breadcrumbs per page",
)
def test_structured_data_detail_queries_do_not_grow(client, index, clinic):
    small = rich_article(index, 1, "small")
    large = rich_article(index, 6, "large")
    small_count, _ = count_queries(client, f"{API}/pages/{small.pk}/")
    large_count, _ = count_queries(client, f"{API}/pages/{large.pk}/")
    assert large_count == small_count
    assert large_count <= CEILING


@pytest.mark.xfail(strict=True, reason="build_article_graph queries per page (breadcrumbs)")
def test_structured_data_listing_queries_do_not_grow(client, index, clinic):
    for i in range(2):
        make_article(index, slug=f"few-{i}")
    few_count, _ = count_queries(client, f"{ARTICLES}&fields=title,structured_data")
    for i in range(10):
        make_article(index, slug=f"many-{i}")
    many_count, _ = count_queries(client, f"{ARTICLES}&fields=title,structured_data")
    assert many_count == few_count
