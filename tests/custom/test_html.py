"""The HTML of a custom article and of the article index that lists it with ArticlePage ones.

The custom article renders with the package's article template (extended by the app's own), its
callouts with the app's block template; the callout's rich text follows the link policy of the
API (live pages linked, drafts and unsafe links without ``href``). The index lists articles of
every type, newest first, and filters them all by treatment.
"""

import datetime
import json
import re

import pytest
from clinic.models import HomePage

from tests.api_fixtures import API, booking_cta, faq, heading, paragraph
from tests.custom.helpers import callout, make_custom_article, policy_html
from tests.factories import TreatmentFactory, add_page, make_article, make_index, root_page

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def card_titles(html):
    """Titles of the article cards of a listing, in order."""
    return re.findall(r'class="acu-card__title"><a href="[^"]*">([^<]*)</a>', html)


def related_articles(html):
    """Titles of the "Related articles" section of an article page, in order."""
    sections = re.findall(r'<section class="acu-related-articles".*?</section>', html, re.S)
    return card_titles(sections[0]) if sections else []


@pytest.fixture
def article(index, clinic, targets):
    needles = TreatmentFactory(name="Needles", slug="needles")
    return make_custom_article(
        index,
        title="Custom back pain",
        slug="custom-back-pain",
        subtitle="A practitioner's view",
        audience="practitioners",
        treatments=[needles],
        body=[
            heading("h1", "Why it works"),
            paragraph("p1", "<p>Acupuncture can help.</p>"),
            heading("h2", "What to expect"),
            callout("c1", policy_html(targets), partner=targets["partner"], image=targets["image"]),
            faq("faq", [("Does it hurt?", "Rarely.")]),
            booking_cta("cta", placement="conclusion"),
            {
                "type": "related_treatments",
                "id": "rt",
                "value": {"heading": "Treatments", "treatments": [needles.pk]},
            },
        ],
    )


def test_custom_article_renders_its_fields_and_the_package_blocks(client, article):
    html = get_html(client, article.url)
    assert '<p class="custom-article__subtitle">A practitioner&#x27;s view</p>' in html
    assert '<p class="custom-article__audience">Practitioners</p>' in html
    assert '<h1 class="acu-article__title">Custom back pain</h1>' in html
    assert 'id="why-it-works"' in html and 'href="#why-it-works"' in html  # table of contents
    assert 'class="acu-faq__item"' in html and "Does it hurt?" in html
    assert "https://booking.example.com/book?utm_source=" in html
    assert html.count("acu-card--treatment") == 2  # the block and the page's section
    assert '<aside class="custom-callout">' in html
    assert '<p class="custom-callout__partner">Acme Herbs</p>' in html
    assert 'class="custom-callout__image"' in html


def test_callout_rich_text_follows_the_link_policy(client, article, targets):
    html = get_html(client, article.url)
    (callout_html,) = re.findall(r'<aside class="custom-callout">.*?</aside>', html, re.S)
    assert '<a href="/linked/">live</a>' in callout_html
    assert "<a>draft</a>" in callout_html and "/unannounced/" not in html
    document = targets["document"]
    assert f'<a href="/documents/{document.pk}/intake-form.pdf">form</a>' in callout_html
    assert "<a>js</a>" in callout_html and "javascript:" not in html
    assert '<a href="https://example.com/herbs">ext</a>' in callout_html
    assert "linktype" not in html


def test_json_ld_of_the_page_is_the_api_structured_data(client, article):
    html = get_html(client, article.url)
    (script,) = JSON_LD.findall(html)
    graph = json.loads(script)
    types = set()
    for node in graph["@graph"]:
        types.update([node["@type"]] if isinstance(node["@type"], str) else node["@type"])
    assert {"BlogPosting", "BreadcrumbList", "MedicalTherapy", "Question"} <= types
    api = client.get(f"{API}/pages/{article.pk}/").json()["structured_data"]
    assert graph == api


def test_related_articles_of_both_types_are_listed_on_each_other(client, index, clinic):
    needles = TreatmentFactory(slug="needles")
    custom = make_custom_article(
        index, title="Custom one", treatments=[needles], published_date=datetime.date(2024, 3, 1)
    )
    package = make_article(
        index, title="Package one", treatments=[needles], published_date=datetime.date(2024, 2, 1)
    )
    other_custom = make_custom_article(
        index, title="Custom two", treatments=[needles], published_date=datetime.date(2024, 1, 1)
    )
    assert related_articles(get_html(client, custom.url)) == ["Package one", "Custom two"]
    assert related_articles(get_html(client, package.url)) == ["Custom one", "Custom two"]
    assert related_articles(get_html(client, other_custom.url)) == ["Custom one", "Package one"]


def test_index_lists_custom_articles_beside_package_ones_newest_first(client, index, clinic):
    make_article(index, title="Package January", published_date=datetime.date(2024, 1, 1))
    make_custom_article(index, title="Custom March", published_date=datetime.date(2024, 3, 1))
    make_article(index, title="Package February", published_date=datetime.date(2024, 2, 1))
    make_custom_article(index, title="Custom draft", live=False)
    html = get_html(client, index.url)
    assert card_titles(html) == ["Custom March", "Package February", "Package January"]
    listed = [
        item["name"]
        for node in client.get(f"{API}/pages/{index.pk}/").json()["structured_data"]["@graph"]
        if node["@type"] == "ItemList"
        for item in node["itemListElement"]
    ]
    assert listed == ["Custom March", "Package February", "Package January"]


def test_index_treatment_filter_includes_custom_articles(client, index, clinic):
    needles = TreatmentFactory(name="Needles", slug="needles")
    cupping = TreatmentFactory(name="Cupping", slug="cupping")
    march, february = datetime.date(2024, 3, 1), datetime.date(2024, 2, 1)
    make_custom_article(index, title="Custom needles", treatments=[needles], published_date=march)
    make_article(index, title="Package needles", treatments=[needles], published_date=february)
    make_custom_article(index, title="Custom cupping", treatments=[cupping])
    html = get_html(client, index.url)
    assert f'href="{index.url}?treatment=cupping"' in html  # only a custom article has it
    filtered = get_html(client, f"{index.url}?treatment=needles")
    assert card_titles(filtered) == ["Custom needles", "Package needles"]
    assert card_titles(get_html(client, f"{index.url}?treatment=cupping")) == ["Custom cupping"]


def test_the_example_home_page_lists_the_latest_articles_of_every_type(db):
    home = add_page(root_page(), HomePage(title="Clinic home", slug="clinic-home"))
    blog = make_index(home, slug="clinic-blog")
    make_article(blog, title="Package old", published_date=datetime.date(2024, 1, 1))
    make_custom_article(blog, title="Custom newest", published_date=datetime.date(2024, 4, 1))
    make_article(blog, title="Package newer", published_date=datetime.date(2024, 3, 1))
    make_custom_article(blog, title="Custom middle", published_date=datetime.date(2024, 2, 1))
    titles = [page.title for page in home.get_latest_articles()]
    assert titles == ["Custom newest", "Package newer", "Custom middle"]
