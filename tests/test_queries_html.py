"""The HTML rendering of an article takes the same number of SQL queries whatever it holds.

An article's page (body blocks, treatment cards, JSON-LD, meta tags, related articles) is
rendered with N FAQ items, M related treatments, K image blocks and L rich text links, each
raised in turn and then all together; every count must equal the smallest article's. The
articles are the benchmark's own (``benchmarks.subjects``), so these tests check what
``make bench`` measures. Each measured request follows an identical warm-up request, so
renditions and Wagtail's caches exist in every run. The render cache is off here, so every
request renders (its cached answers are counted in ``test_render_cache.py``).

The bulk loading must not change the output: for public links, rich text comes out as Wagtail's
own expansion gives it.
"""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from benchmarks.subjects import Pool, build_listing, build_synthetic_article
from wagtail_acupuncture.models import ArticlePage, ArticlePageTreatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_cache_off")]

SMALL = {"faq": 1, "treatments": 1, "images": 1, "links": 1}
LARGE = 6


def count_queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.fixture
def pool(home):
    return Pool(home=home)


def test_article_html_queries_do_not_grow(client, index, clinic, pool):
    sizes = {"small": SMALL}
    for name in SMALL:
        sizes[name] = {**SMALL, name: LARGE}
    sizes["all"] = dict.fromkeys(SMALL, LARGE)
    counts, pages = {}, {}
    for label, size in sizes.items():
        page = build_synthetic_article(index, pool, slug=f"html-{label}", **size)
        counts[label], pages[label] = count_queries(client, page.url)
    assert len(set(counts.values())) == 1, counts
    html = pages["all"]
    assert html.count('class="acu-faq__item"') == LARGE
    assert html.count("acu-card--treatment") == 2 * LARGE  # the block and the page's section
    assert html.count('class="acu-figure"') == LARGE
    for target in pool.pages[:LARGE]:
        assert f'href="{target.url}"' in html
    for treatment in pool.treatments[:LARGE]:
        assert f'<a href="{treatment.page.url}">{treatment.name}</a>' in html


def test_bulk_expanded_rich_text_matches_wagtails(index, clinic, pool):
    """For links to public pages and safe URLs, the one expander prints what Wagtail prints."""
    from wagtail.rich_text import expand_db_html

    page = build_synthetic_article(index, pool, faq=3, treatments=3, images=3, links=3)
    request = RequestFactory().get(page.url)
    html = ArticlePage.objects.get(pk=page.pk).serve(request).render().content.decode()
    sources = [
        child.value.source for child in page.body if child.block_type == "paragraph"
    ] + [
        item["answer"].source
        for child in page.body
        if child.block_type == "faq"
        for item in child.value["items"]
    ]
    assert any('linktype="page"' in source for source in sources)
    for source in sources:
        assert expand_db_html(source) in html


def test_article_index_queries_do_not_grow(client, index, clinic, pool):
    build_listing(index, pool, 2)
    urls = (index.url, f"{index.url}?treatment={pool.treatments[0].slug}")
    few = [count_queries(client, url)[0] for url in urls]
    build_listing(index, pool, 14)
    many = [count_queries(client, url)[0] for url in urls]
    assert few == many


def test_preview_reads_unsaved_treatments(index, clinic, pool):
    page = build_synthetic_article(index, pool, treatments=1)
    pool.ensure(treatments=2)
    page.related_treatments.add(ArticlePageTreatment(treatment=pool.treatments[1], sort_order=1))
    page.get_context(RequestFactory().get(page.url))
    assert page.get_live_treatments() == pool.treatments[:2]


def test_refresh_from_db_drops_the_prefetched_treatments(index, clinic, pool):
    page = build_synthetic_article(index, pool, treatments=1)
    page.get_context(RequestFactory().get(page.url))
    pool.ensure(treatments=2)
    ArticlePageTreatment.objects.create(page=page, treatment=pool.treatments[1], sort_order=1)
    assert page.get_live_treatments() == pool.treatments[:1]
    page.refresh_from_db()
    assert page.get_live_treatments() == pool.treatments[:2]
