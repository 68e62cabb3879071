"""Medical disclaimer: the clinic's default, an article's override, cleaned when stored, expanded by
the one rich-text expander, rendered at the end of the article and delivered by the API."""

import pytest
from wagtail.models import Page

from tests.api_fixtures import API
from tests.factories import add_page, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_cache_off")]

DEFAULT = "<p>This article is general information, <b>not medical advice</b>.</p>"


@pytest.fixture
def with_default(clinic):
    clinic.medical_disclaimer = DEFAULT
    clinic.save()
    return clinic


def disclaimer_html(html):
    start = html.index('<aside class="acu-disclaimer"')
    return html[start : html.index("</aside>", start)]


def test_clinic_default_is_shown_at_the_end_of_the_article(client, index, with_default):
    page = make_article(index)
    html = client.get(page.url).content.decode()
    block = disclaimer_html(html)
    assert 'aria-label="Medical disclaimer"' in block
    assert "<b>not medical advice</b>" in block
    assert html.index("acu-disclaimer") > html.index("acu-article__body")


def test_article_override_replaces_the_default(client, index, with_default):
    page = make_article(index, medical_disclaimer="<p>Ask your doctor first.</p>")
    block = disclaimer_html(client.get(page.url).content.decode())
    assert "Ask your doctor first." in block
    assert "not medical advice" not in block


def test_no_disclaimer_renders_nothing(client, index, clinic):
    page = make_article(index)
    assert "acu-disclaimer" not in client.get(page.url).content.decode()


def test_disclaimer_is_cleaned_when_stored(index, clinic):
    clinic.medical_disclaimer = '<p>Safe<script>alert(1)</script> <a href="javascript:x()">x</a></p>'
    clinic.save()
    clinic.refresh_from_db()
    assert "<script" not in clinic.medical_disclaimer
    assert "javascript:" not in clinic.medical_disclaimer
    page = make_article(index, medical_disclaimer="<h2>Heading</h2><p>Text</p>")
    page.refresh_from_db()
    assert page.medical_disclaimer == "Heading<p>Text</p>"  # no heading feature: tags dropped


def test_links_are_expanded_by_the_resolver(client, index, home, with_default):
    policy = add_page(home, Page(title="Policy", slug="policy"))
    draft = add_page(home, Page(title="Draft", slug="draft", live=False))
    page = make_article(
        index,
        medical_disclaimer=(
            f'<p>Read <a linktype="page" id="{policy.pk}">our policy</a> and '
            f'<a linktype="page" id="{draft.pk}">a draft</a>.</p>'
        ),
    )
    block = disclaimer_html(client.get(page.url).content.decode())
    assert '<a href="/policy/">our policy</a>' in block
    assert "/draft/" not in block  # never a link to a draft
    assert "a draft" in block


@pytest.mark.urls("tests.api_fixtures")
def test_api_field_and_clinic_endpoint(client, index, with_default, home):
    policy = add_page(home, Page(title="Policy", slug="policy"))
    plain = make_article(index)
    own = make_article(
        index, medical_disclaimer=f'<p>See <a linktype="page" id="{policy.pk}">policy</a>.</p>'
    )
    assert client.get(f"{API}/pages/{plain.pk}/").json()["medical_disclaimer"] == DEFAULT
    delivered = client.get(f"{API}/pages/{own.pk}/").json()["medical_disclaimer"]
    assert delivered == '<p>See <a href="/policy/">policy</a>.</p>'
    listing = client.get(
        f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=medical_disclaimer"
    ).json()
    assert {item["medical_disclaimer"] for item in listing["items"]} == {DEFAULT, delivered}
    assert client.get(f"{API}/clinic/").json()["medical_disclaimer"] == DEFAULT


def test_schema_describes_the_field():
    from wagtail_acupuncture.api.schema import build_openapi

    schemas = build_openapi()["components"]["schemas"]
    for name in ("ArticlePage", "ArticlePageItem", "Clinic"):
        assert schemas[name]["properties"]["medical_disclaimer"]["type"] == "string", name
    assert "medical_disclaimer" in schemas["ArticlePage"]["required"]
