"""The pages endpoint delivers a site's own article type exactly like the package's ArticlePage.

``CustomArticlePage`` (``tests/custom_app``) adds two fields and a body block of the agency's own,
``callout``: a plain ``StructBlock`` of a plain ``RichTextBlock``, a snippet chooser of the app's
own ``Partner`` snippet and an ``ImageChooserBlock``. Its rich text must come out as front-end
HTML under the package's link policy, its image as the package's image object, its snippet as a
``{id, type, title}`` object (``null`` while unpublished), and the package's own blocks and
computed fields must work in its body as they do in an ``ArticlePage``'s.
"""

import datetime
from urllib.parse import urlsplit

import pytest

from tests.api_fixtures import API, booking_cta, faq, heading, paragraph
from tests.custom.helpers import (
    CUSTOM_TYPE,
    callout,
    callout_blocks,
    make_custom_article,
    policy_html,
)
from tests.factories import TreatmentFactory, make_article
from tests.test_preview import preview_token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

RENDITION_NAMES = {"thumbnail", "medium", "large", "fallback"}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def detail(client, page):
    return get_json(client, f"{API}/pages/{page.pk}/")


def by_type(data, block_type):
    return [child for child in data["body"] if child["type"] == block_type]


@pytest.fixture
def world(index, clinic, targets):
    """A custom article with callouts and package blocks, related to articles of both types."""
    needles = TreatmentFactory(name="Needles", slug="needles", url="https://example.com/needles")
    body = [
        heading("h-why", "Why it works"),
        paragraph("p1", "<p>Acupuncture can help.</p>"),
        callout("c-full", policy_html(targets), partner=targets["partner"], image=targets["image"]),
        callout("c-draft-partner", "<p>Plain text.</p>", partner=targets["draft_partner"]),
        faq("faq", [("Does it hurt?", "Rarely.")]),
        booking_cta("cta", placement="conclusion"),
        {
            "type": "related_treatments",
            "id": "rt",
            "value": {"heading": "Treatments", "treatments": [needles.pk]},
        },
    ]
    page = make_custom_article(
        index,
        title="Custom back pain",
        slug="custom-back-pain",
        subtitle="A practitioner's view",
        audience="practitioners",
        body=body,
        treatments=[needles],
        published_date=datetime.date(2024, 5, 1),
    )
    package_article = make_article(
        index,
        title="Package article",
        slug="package-article",
        treatments=[needles],
        published_date=datetime.date(2024, 4, 1),
    )
    other_custom = make_custom_article(
        index,
        title="Other custom",
        slug="other-custom",
        treatments=[needles],
        published_date=datetime.date(2024, 3, 1),
    )
    return {
        **targets,
        "page": page,
        "needles": needles,
        "package_article": package_article,
        "other_custom": other_custom,
    }


# --------------------------------------------------------------------------- page fields


def test_listing_by_type_delivers_the_custom_fields(client, world):
    data = get_json(client, f"{API}/pages/?type={CUSTOM_TYPE}&fields=*")
    items = {item["id"]: item for item in data["items"]}
    assert set(items) == {world["page"].pk, world["other_custom"].pk}
    item = items[world["page"].pk]
    assert item["meta"]["type"] == CUSTOM_TYPE
    assert item["subtitle"] == "A practitioner's view"
    assert item["audience"] == "practitioners"
    for name in (
        "intro",
        "hero_image",
        "body",
        "published_date",
        "author",
        "reviewed_by",
        "related_treatments",
        "related_articles",
        "table_of_contents",
        "reading_time_minutes",
        "word_count",
        "structured_data",
    ):
        assert name in item, name
    assert len(callout_blocks(item)) == 2


def test_detail_delivers_the_custom_fields(client, world):
    data = detail(client, world["page"])
    assert data["meta"]["type"] == CUSTOM_TYPE
    assert data["subtitle"] == "A practitioner's view"
    assert data["audience"] == "practitioners"
    assert data["published_date"] == "2024-05-01"


def test_find_by_html_path_reaches_the_custom_article(client, world):
    response = client.get(f"{API}/pages/find/?html_path=/blog/custom-back-pain/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/api/v2/pages/{world['page'].pk}/"


# --------------------------------------------------------------------------- the agency's block


def test_callout_rich_text_is_front_end_html_under_the_link_policy(client, world):
    full, _other = callout_blocks(detail(client, world["page"]))
    text = full["value"]["text"]
    assert isinstance(text, str), text
    assert '<a href="/linked/">live</a>' in text
    assert "<a>draft</a>" in text and "/unannounced/" not in text
    document = world["document"]
    assert f'<a href="http://localhost/documents/{document.pk}/intake-form.pdf">form</a>' in text
    assert "<a>js</a>" in text and "javascript" not in text
    assert '<a href="https://example.com/herbs">ext</a>' in text
    assert "linktype" not in text


def test_callout_image_is_the_package_image_object(client, world):
    full, without_image = callout_blocks(detail(client, world["page"]))
    image = full["value"]["image"]
    assert isinstance(image, dict), image
    assert image["id"] == world["image"].pk
    assert image["title"] == "Callout picture"
    assert (image["width"], image["height"]) == (640, 400)
    assert set(image["renditions"]) == RENDITION_NAMES
    assert image["renditions"]["thumbnail"]["url"].startswith("http://localhost/media/images/")
    assert without_image["value"]["image"] is None


def test_callout_snippet_is_an_object_and_an_unpublished_one_is_null(client, world):
    response = client.get(f"{API}/pages/{world['page'].pk}/")
    full, draft_partner = callout_blocks(response.json())
    assert full["value"]["partner"] == {
        "id": world["partner"].pk,
        "type": "custom_app.Partner",
        "title": "Acme Herbs",
    }
    assert draft_partner["value"]["partner"] is None
    assert b"Secret Partner" not in response.content


def test_callout_values_are_the_same_in_the_listing(client, world):
    listing = get_json(client, f"{API}/pages/?type={CUSTOM_TYPE}&fields=body")
    (item,) = [item for item in listing["items"] if item["id"] == world["page"].pk]
    assert callout_blocks(item) == callout_blocks(detail(client, world["page"]))


# --------------------------------------------------------------------------- package blocks


def test_package_blocks_work_in_the_custom_body(client, world):
    data = detail(client, world["page"])
    (heading_block,) = by_type(data, "heading")
    assert heading_block["value"] == {
        "text": "Why it works",
        "level": "h2",
        "anchor": "why-it-works",
    }
    (faq_block,) = by_type(data, "faq")
    assert faq_block["value"]["anchor"]
    assert faq_block["value"]["items"][0]["question"] == "Does it hurt?"
    assert faq_block["value"]["items"][0]["answer"] == "<p>Rarely.</p>"
    (cta,) = by_type(data, "booking_cta")
    assert cta["value"]["url"].startswith("https://booking.example.com/book?utm_source=")
    assert "utm_campaign=custom-back-pain" in cta["value"]["url"]
    assert cta["value"]["label"] == "Book a consultation"
    (treatments_block,) = by_type(data, "related_treatments")
    (treatment,) = treatments_block["value"]["treatments"]
    assert treatment["slug"] == "needles"
    assert treatment["url"] == "https://example.com/needles"


def test_related_treatments_and_related_articles_cross_page_types(client, world):
    data = detail(client, world["page"])
    assert [t["slug"] for t in data["related_treatments"]] == ["needles"]
    related = [(card["id"], card["type"]) for card in data["related_articles"]]
    assert related == [
        (world["package_article"].pk, "wagtail_acupuncture.ArticlePage"),
        (world["other_custom"].pk, CUSTOM_TYPE),
    ]
    package = detail(client, world["package_article"])
    assert [card["id"] for card in package["related_articles"]] == [
        world["page"].pk,
        world["other_custom"].pk,
    ]
    assert package["related_articles"][0]["url"] == "/blog/custom-back-pain/"


def test_table_of_contents_and_structured_data(client, world):
    data = detail(client, world["page"])
    toc = data["table_of_contents"]
    assert toc[0] == {"text": "Why it works", "anchor": "why-it-works", "level": 2}
    (faq_block,) = by_type(data, "faq")
    assert faq_block["value"]["anchor"] in [entry["anchor"] for entry in toc]
    graph = data["structured_data"]["@graph"]
    types = {}
    for node in graph:
        for node_type in [node["@type"]] if isinstance(node["@type"], str) else node["@type"]:
            types.setdefault(node_type, []).append(node)
    page_url = world["page"].full_url
    assert types["BlogPosting"][0]["@id"] == f"{page_url}#article"
    assert "FAQPage" in types and len(types["Question"]) == 1
    assert [t["url"] for t in types["MedicalTherapy"]] == ["https://example.com/needles"]
    crumbs = types["BreadcrumbList"][0]["itemListElement"]
    assert crumbs[-1]["item"] == page_url


def test_word_count_includes_the_callouts(client, index, clinic):
    page = make_custom_article(
        index,
        title="One two",
        intro="three four",
        body=[paragraph("p", "<p>five six</p>"), callout("c", "<p>seven eight nine</p>")],
    )
    data = detail(client, page)
    assert data["word_count"] == 9
    assert data["reading_time_minutes"] == 1


def test_a_custom_article_previews_in_its_detail_shape(client, index, clinic, targets, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"HEADLESS_PREVIEW_URL": "https://frontend.example.com/preview/"}
    page = make_custom_article(
        index,
        subtitle="Published subtitle",
        body=[callout("c", policy_html(targets), partner=targets["partner"])],
    )
    live = detail(client, page)
    page.subtitle = "Draft subtitle"  # an editor's unsaved change
    token = preview_token(page)
    response = client.get(f"{API}/page_preview/", {"token": token})
    assert response.status_code == 200, response.content[:300]
    draft = response.json()
    assert draft["subtitle"] == "Draft subtitle"
    assert set(draft) == set(live)
    assert callout_blocks(draft) == callout_blocks(live)
