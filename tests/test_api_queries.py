"""The number of SQL queries of a response does not depend on how much it contains.

Each test makes the same request against a small and a large data set and asserts equal query
counts, plus the absolute ceiling of 12 for an article detail and a listing of 100 articles with
``fields=*``. Every measured request follows one identical warm-up request, so renditions and
Wagtail's caches (content types, site root paths) exist in both runs. The render cache is off
here, so every request renders; its cached answers are counted in ``test_render_cache.py``.

Every response includes ``structured_data``: ``build_article_graph`` reads the related
treatments, their pages and the breadcrumb ancestors from the page-level caches that the
resolver fills from its own bulk lookups. The HTML rendering is held to the same rule in
``test_queries_html.py``.
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

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.api_fixtures"),
    pytest.mark.usefixtures("render_cache_off"),
]

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


def therapies(data):
    return [node for node in data["structured_data"]["@graph"] if node["@type"] == "MedicalTherapy"]


def test_detail_queries_do_not_grow(client, index, clinic):
    small = rich_article(index, 1, "small")
    large = rich_article(index, 6, "large")
    small_count, small_data = count_queries(client, f"{API}/pages/{small.pk}/")
    large_count, large_data = count_queries(client, f"{API}/pages/{large.pk}/")
    assert len(large_data["body"]) > 5 * len(small_data["body"]) - 10
    assert len(large_data["related_treatments"]) == 6
    assert [node["url"] for node in therapies(large_data)] == [
        f"http://localhost/large-page-{i}/" for i in range(6)
    ]
    assert len(large_data["structured_data"]["@graph"][-1]["itemListElement"]) == 3
    assert large_count == small_count
    assert large_count <= CEILING


def test_detail_without_structured_data_queries_do_not_grow(client, index, clinic):
    small = rich_article(index, 1, "small")
    large = rich_article(index, 6, "large")
    url = f"{API}/pages/{{}}/?fields=-structured_data"
    small_count, _ = count_queries(client, url.format(small.pk))
    large_count, data = count_queries(client, url.format(large.pk))
    assert "structured_data" not in data
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
    add(95, "many")
    many_count, many = count_queries(client, f"{ARTICLES}&fields=*&limit=100")
    assert (len(few["items"]), len(many["items"])) == (5, 100)
    linked = [item for item in many["items"] if item["related_treatments"]]
    assert len(linked) == 99
    assert all(therapies(item)[0]["url"] == shared.url for item in linked)
    assert many_count == few_count
    assert many_count <= CEILING
    # Pages of a longer listing take one COUNT query more than a listing that fits in one.
    default_few, _ = count_queries(client, f"{ARTICLES}&limit=5")
    default_many, _ = count_queries(client, f"{ARTICLES}&limit=50")
    assert default_few == default_many
    assert count_queries(client, f"{ARTICLES}&fields=*&limit=50")[0] == many_count + 1


def test_back_pain_detail_and_listing_ceiling(client, index, clinic):
    from tests.api_fixtures import build_back_pain_article

    page = build_back_pain_article(index)["page"]
    count, data = count_queries(client, f"{API}/pages/{page.pk}/")
    assert len(therapies(data)) == 6
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


def test_structured_data_listing_queries_do_not_grow(client, index, clinic):
    def add(count, prefix):
        for i in range(count):
            page = add_page(index.get_parent(), Page(title=f"{prefix} {i}", slug=f"{prefix}-{i}"))
            treatment = TreatmentFactory(slug=f"{prefix}-t{i}", page=page, url="")
            make_article(index, slug=f"{prefix}-{i}", treatments=[treatment])

    add(2, "few")
    few_count, few = count_queries(client, f"{ARTICLES}&fields=title,structured_data")
    add(10, "many")
    many_count, many = count_queries(client, f"{ARTICLES}&fields=title,structured_data")
    assert len(many["items"]) == 12
    assert all(therapies(item)[0]["url"].startswith("http://") for item in many["items"])
    assert many_count == few_count
    assert many_count <= CEILING
