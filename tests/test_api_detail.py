"""The pages endpoint's article representation: golden files and the block representations.

Golden files (``tests/golden/``) hold the normalised detail and listing of the client's seed
article (see ``tests.api_fixtures.normalise`` for what is normalised and why); run the tests
with ``ACUPUNCTURE_REGENERATE_GOLDEN=1`` to rewrite them after an intended change, and review
the diff.
"""

import datetime

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from tests.api_fixtures import (
    API,
    FAQ,
    HOW_IT_WORKS,
    NOTICE,
    WHY_CHOOSE,
    assert_matches_golden,
    booking_cta,
    build_back_pain_article,
    faq,
    heading,
    make_document,
    make_image,
    make_private,
    notice,
    paragraph,
)
from tests.factories import PractitionerFactory, TreatmentFactory, make_article
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.structured_data import build_article_graph

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def detail(client, page, query=""):
    return get_json(client, f"{API}/pages/{page.pk}/{query}")


def body_blocks(data, block_type):
    return [child for child in data["body"] if child["type"] == block_type]


@pytest.fixture
def back_pain(index, clinic):
    return build_back_pain_article(index)


# ------------------------------------------------------------------------------------- golden


def test_back_pain_detail_matches_golden(client, back_pain):
    assert_matches_golden("back_pain_detail", detail(client, back_pain["page"]))


def test_back_pain_listing_matches_golden(client, back_pain):
    data = get_json(client, f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=*")
    assert data["meta"]["total_count"] == 7
    assert_matches_golden("back_pain_listing", data)


def test_structured_data_is_the_pages_graph(client, back_pain):
    data = detail(client, back_pain["page"])
    request = RequestFactory().get("/")
    page = ArticlePage.objects.get(pk=back_pain["page"].pk)
    assert data["structured_data"] == build_article_graph(page, request=request)
    assert data["structured_data"]["@graph"]


def test_listing_star_includes_structured_data(client, back_pain):
    url = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage"
    star = get_json(client, f"{url}&fields=*")["items"]
    request = RequestFactory().get("/")
    for item in star:
        page = ArticlePage.objects.get(pk=item["id"])
        assert item["structured_data"] == build_article_graph(page, request=request)
    named = get_json(client, f"{url}&fields=title,structured_data")["items"]
    assert [item["structured_data"] for item in named] == [item["structured_data"] for item in star]


# ------------------------------------------------------------------------------------- seed


def test_every_element_of_the_seed_is_delivered(client, back_pain):
    data = detail(client, back_pain["page"])
    assert data["title"] == "Acupuncture for Back Pain"
    assert data["intro"].startswith("Back pain is far more than a mild ache.")
    headings = [child["value"]["text"] for child in body_blocks(data, "heading")]
    assert headings == [
        "Understanding Back Pain: Common Causes and Daily Impact",
        "How Acupuncture Can Relieve Back Pain",
        "Why Choose Acupuncture for Back Pain?",
        "Finding Relief and Reclaiming Comfort with Acupuncture",
    ]
    lists = body_blocks(data, "key_points")
    assert [[item["title"] for item in block["value"]["items"]] for block in lists] == [
        [title for title, _ in HOW_IT_WORKS],
        [title for title, _ in WHY_CHOOSE],
    ]
    (faq_block,) = body_blocks(data, "faq")
    assert [item["question"] for item in faq_block["value"]["items"]] == [q for q, _ in FAQ]
    assert [item["answer"] for item in faq_block["value"]["items"]] == [
        f"<p>{a}</p>" for _, a in FAQ
    ]
    assert faq_block["value"]["structured_data"] is True
    assert [cta["value"]["placement"] for cta in body_blocks(data, "booking_cta")] == [
        "intro",
        "conclusion",
    ]
    (seasonal,) = body_blocks(data, "notice")
    assert seasonal["value"]["text"] == f"<p>{NOTICE}</p>"
    assert [t["slug"] for t in data["related_treatments"]] == [
        t.slug for t in back_pain["treatments"]
    ]
    assert data["author"]["display_name"] == "Mei Lin, L.Ac., MSOM"
    assert data["reviewed_by"]["profile_url"] == "https://example.com/team/sam-carter/"
    assert data["hero_image"]["alt"] == "Fine acupuncture needles along the lower back"


def test_computed_fields_match_the_page(client, back_pain):
    data = detail(client, back_pain["page"])
    page = ArticlePage.objects.get(pk=back_pain["page"].pk)
    assert data["word_count"] == page.word_count
    assert data["reading_time_minutes"] == page.reading_time_minutes
    assert data["table_of_contents"] == page.table_of_contents
    assert data["published_date"] == "2024-11-04"
    assert data["last_reviewed"] == "2025-01-15"


# ------------------------------------------------------------------------------------- blocks


def test_heading_anchors_are_the_table_of_contents_anchors(client, index, clinic):
    page = make_article(
        index,
        body=[
            heading("a", "Back pain"),
            heading("b", "Back pain", level="h3"),
            heading("c", "Typed", anchor="my-anchor"),
            heading("d", "My anchor"),
            faq("f", FAQ[:1]),
            faq("g", FAQ[:1], heading_text=""),
        ],
    )
    data = detail(client, page)
    anchors = [child["value"]["anchor"] for child in data["body"]]
    assert anchors == [
        "back-pain",
        "back-pain-2",
        "my-anchor",
        "my-anchor-2",
        "frequently-asked-questions",
        None,
    ]
    toc = data["table_of_contents"]
    assert [entry["anchor"] for entry in toc] == anchors[:5]
    assert [entry["level"] for entry in toc] == [2, 3, 2, 2, 2]
    assert [child["value"]["level"] for child in data["body"][:4]] == ["h2", "h3", "h2", "h2"]


def test_list_items_carry_their_stored_ids(client, back_pain):
    first = detail(client, back_pain["page"])
    second = detail(client, back_pain["page"])
    (faq_block,) = body_blocks(first, "faq")
    assert [item["id"] for item in faq_block["value"]["items"]] == [
        "faq-1",
        "faq-2",
        "faq-3",
        "faq-4",
    ]
    assert set(faq_block["value"]["items"][0]) == {"id", "question", "answer"}
    assert [child["id"] for child in first["body"]] == [child["id"] for child in second["body"]]
    kp = body_blocks(first, "key_points")[0]["value"]["items"]
    assert [item["id"] for item in kp] == ["kp-how-1", "kp-how-2", "kp-how-3"]


def test_booking_cta_resolution(client, index, clinic, home):
    from wagtail.models import Page

    from tests.factories import add_page

    booking_page = add_page(home, Page(title="Book", slug="book"))
    draft = add_page(home, Page(title="Draft", slug="draft", live=False))
    author = PractitionerFactory(booking_url="tel:+15035550100")
    page = make_article(
        index,
        slug="cta-article",
        author=author,
        body=[
            booking_cta(
                "explicit", link_url="https://booking.example.com/x?utm_source=partner", label="Go"
            ),
            booking_cta("page", link_page=booking_page.pk, placement="sidebar"),
            booking_cta("draft", link_page=draft.pk),
            booking_cta("author"),
        ],
    )
    ctas = {child["id"]: child["value"] for child in detail(client, page)["body"]}
    assert ctas["explicit"] == {
        "heading": "Ready to book?",
        "text": "Book a consultation with us today.",
        "placement": "inline",
        "url": "https://booking.example.com/x?utm_source=partner&utm_medium=article_cta"
        "&utm_campaign=cta-article&utm_content=inline",
        "label": "Go",
        "provider": "url",
        "practitioner": None,
        "new_tab": False,
        "accessible_name": "Go",
    }
    assert ctas["page"]["url"].split("?")[0] == "/book/"
    assert "utm_content=sidebar" in ctas["page"]["url"]
    assert ctas["draft"]["url"] == "tel:+15035550100"
    assert ctas["author"]["url"] == "tel:+15035550100"
    assert ctas["author"]["label"] == "Book a consultation"


def test_cta_without_any_link_has_null_url(client, index, site):
    page = make_article(index, body=[booking_cta("none")])
    (cta,) = detail(client, page)["body"]
    assert cta["value"]["url"] is None


def test_notices_carry_their_window_and_active_flag(client, index):
    now = timezone.now()
    page = make_article(
        index,
        body=[
            notice(
                "current",
                "<p>Now</p>",
                starts_at=now - datetime.timedelta(days=1),
                ends_at=now + datetime.timedelta(days=1),
            ),
            notice(
                "past",
                "<p>Past</p>",
                starts_at=now - datetime.timedelta(days=9),
                ends_at=now - datetime.timedelta(days=2),
            ),
            notice("future", "<p>Soon</p>", starts_at=now + datetime.timedelta(days=2)),
        ],
    )
    notices = {child["id"]: child["value"] for child in detail(client, page)["body"]}
    assert {key: value["active"] for key, value in notices.items()} == {
        "current": True,
        "past": False,
        "future": False,
    }
    assert notices["future"]["ends_at"] is None
    starts = datetime.datetime.fromisoformat(notices["past"]["starts_at"])
    assert starts.tzinfo is not None
    assert abs(starts - (now - datetime.timedelta(days=9))) < datetime.timedelta(seconds=1)
    assert set(notices["past"]) == {"text", "tone", "starts_at", "ends_at", "active"}


def test_image_block_and_rendition_settings(client, index):
    image = make_image("Room", description="A calm treatment room")
    page = make_article(
        index,
        body=[
            {
                "type": "image",
                "id": "i1",
                "value": {"image": image.pk, "caption": "Room", "alt_text": "Our room"},
            },
            {
                "type": "image",
                "id": "i2",
                "value": {"image": image.pk, "caption": "", "alt_text": ""},
            },
        ],
    )
    first, second = (child["value"] for child in detail(client, page)["body"])
    assert set(first) == {"image", "caption"}
    assert first["image"]["alt"] == "Our room"
    assert second["image"]["alt"] == "A calm treatment room"
    assert set(first["image"]["renditions"]) == {"thumbnail", "medium", "large", "fallback"}
    thumb = first["image"]["renditions"]["thumbnail"]
    assert (thumb["width"], thumb["height"]) == (480, 320)
    assert thumb["url"].startswith("http://localhost/media/images/") and thumb["url"].endswith(
        ".webp"
    )
    assert first["image"]["renditions"]["fallback"]["url"].endswith(".jpg")
    with override_settings(WAGTAIL_ACUPUNCTURE={"IMAGE_RENDITIONS": {"square": "fill-100x100"}}):
        value = detail(client, page)["body"][0]["value"]
    assert list(value["image"]["renditions"]) == ["square"]
    assert value["image"]["renditions"]["square"]["width"] == 100


def test_image_with_missing_file_has_no_renditions(client, index):
    image = make_image("Gone")
    image.file.storage.delete(image.file.name)
    page = make_article(
        index,
        body=[
            {
                "type": "image",
                "id": "i",
                "value": {"image": image.pk, "caption": "", "alt_text": ""},
            }
        ],
    )
    (block,) = detail(client, page)["body"]
    assert block["value"]["image"]["renditions"] == {}
    assert block["value"]["image"]["title"] == "Gone"


def test_rich_text_is_front_end_html(client, index, home):
    from wagtail.models import Page

    from tests.factories import add_page

    live = add_page(home, Page(title="Live", slug="live"))
    draft = add_page(home, Page(title="Draft", slug="draft", live=False))
    private = add_page(home, Page(title="Private", slug="private"))
    make_private(private)
    document = make_document()
    image = make_image("Needles", description="Needles")
    html = (
        f'<p><a linktype="page" id="{live.pk}">live</a> '
        f'<a linktype="page" id="{draft.pk}">draft</a> '
        f'<a linktype="page" id="{private.pk}">private</a> <a linktype="page" id="999999">gone</a> '
        f'<a linktype="document" id="{document.pk}">form</a> '
        '<a href="javascript:alert(1)">js</a> <a href="tel:+15035550100">call</a> '
        '<a href="mailto:hi@example.com">mail</a> <a href="#faq">faq</a> '
        '<a href="https://example.com/?a=1&amp;b=2" onclick="x()">ext</a></p>'
        f'<embed embedtype="image" id="{image.pk}" format="left" alt="Fine needles"/>'
        '<embed embedtype="image" id="999999" format="left" alt="gone"/>'
    )
    page = make_article(index, body=[paragraph("p", html)])
    (block,) = detail(client, page)["body"]
    value = block["value"]
    assert '<a href="/live/">live</a>' in value
    assert "<a>draft</a>" in value and "<a>private</a>" in value and "<a>gone</a>" in value
    assert f'<a href="http://localhost/documents/{document.pk}/intake-form.pdf">form</a>' in value
    assert "<a>js</a>" in value and "javascript" not in value
    assert '<a href="tel:+15035550100">call</a>' in value
    assert '<a href="mailto:hi@example.com">mail</a>' in value
    assert '<a href="#faq">faq</a>' in value
    assert '<a href="https://example.com/?a=1&amp;b=2">ext</a>' in value and "onclick" not in value
    assert "linktype" not in value and "embed" not in value
    assert value.count("<img ") == 1
    assert 'alt="Fine needles" class="richtext-image left" height="' in value
    assert 'src="http://localhost/media/images/needles.' in value
    assert 'width="500"' in value


def test_private_collection_documents_are_not_linked(client, index):
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    private = root.add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    document = make_document()
    document.collection = private
    document.save()
    page = make_article(
        index, body=[paragraph("p", f'<p><a linktype="document" id="{document.pk}">form</a></p>')]
    )
    assert detail(client, page)["body"][0]["value"] == "<p><a>form</a></p>"


def test_related_treatments_block_leaves_out_unpublished(client, index):
    shown, hidden = TreatmentFactory(name="Shown"), TreatmentFactory(name="Hidden", live=False)
    gone = TreatmentFactory(name="Gone")
    page = make_article(
        index,
        body=[
            {
                "type": "related_treatments",
                "id": "rt",
                "value": {
                    "heading": "Related",
                    "treatments": [
                        {"type": "item", "id": "a", "value": hidden.pk},
                        {"type": "item", "id": "b", "value": shown.pk},
                        {"type": "item", "id": "c", "value": gone.pk},
                    ],
                },
            }
        ],
    )
    gone.delete()
    (block,) = detail(client, page)["body"]
    assert block["value"]["heading"] == "Related"
    assert [t["name"] for t in block["value"]["treatments"]] == ["Shown"]


def test_related_articles_match_get_related_articles(client, back_pain):
    data = detail(client, back_pain["page"])
    page = ArticlePage.objects.get(pk=back_pain["page"].pk)
    expected = list(page.get_related_articles())
    assert [card["id"] for card in data["related_articles"]] == [p.pk for p in expected]
    assert len(expected) == 3
    assert [card["published_date"] for card in data["related_articles"]] == [
        "2024-10-30",
        "2024-10-23",
        "2024-10-16",
    ]
    for article in back_pain["related_articles"]:
        other = detail(client, article)
        fresh = ArticlePage.objects.get(pk=article.pk)
        assert [c["id"] for c in other["related_articles"]] == [
            p.pk for p in fresh.get_related_articles()
        ]


@pytest.mark.parametrize("private", [0, 2, 5])
def test_related_articles_skip_private_ones_and_still_fill_up(client, index, clinic, private):
    """The newest articles sharing the treatment are private: the next public ones take their
    place, in the API and on the page (the exact query runs when the candidates fall short)."""
    from wagtail.models import PageViewRestriction

    treatment = TreatmentFactory(slug="shared-related")
    page = make_article(index, slug="related-owner", treatments=[treatment])
    others = [
        make_article(
            index,
            slug=f"related-{i}",
            treatments=[treatment],
            published_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(8)
    ]
    newest_first = others[::-1]
    for hidden in newest_first[:private]:
        PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    expected = [article.pk for article in newest_first[private : private + 3]]
    assert [card["id"] for card in detail(client, page)["related_articles"]] == expected
    fresh = ArticlePage.objects.get(pk=page.pk)
    assert [article.pk for article in fresh.get_related_articles()] == expected
    html = client.get(page.url).content.decode()
    for hidden in newest_first[:private]:
        assert hidden.url not in html
    for article in newest_first[private : private + 3]:
        assert article.url in html


def test_rich_text_format(client, back_pain):
    page = back_pain["page"]
    assert detail(client, page, "?rich_text_format=html")["body"] == detail(client, page)["body"]
    for value in ("db_html", "markdown", "nonsense"):
        data = get_json(client, f"{API}/pages/{page.pk}/?rich_text_format={value}", status=400)
        assert "rich_text_format" in data["message"]


@override_settings(WAGTAILAPI_RICH_TEXT_FORMAT="db_html")
def test_wagtail_rich_text_setting_does_not_change_the_output(client, back_pain):
    data = detail(client, back_pain["page"])
    paragraph_html = [
        c["value"] for c in body_blocks(data, "paragraph") if "contact us" in c["value"]
    ][0]
    assert 'href="/contact/"' in paragraph_html and "linktype" not in paragraph_html


def test_article_index_intro_is_html(client, home):
    from tests.factories import make_index

    blog = make_index(
        home,
        slug="news",
        title="News",
        intro=f'<p>See <a linktype="page" id="{home.pk}">home</a></p>',
    )
    data = detail(client, blog)
    assert data["intro"] == '<p>See <a href="/">home</a></p>'
    assert data["meta"]["type"] == "wagtail_acupuncture.ArticleIndexPage"
