"""Content written outside the admin (ORM, imports, scripts): rich text is cleaned before it
is stored, bad choice values are delivered as the block's default."""

import pytest

from tests.api_fixtures import API, paragraph
from tests.factories import PractitionerFactory, make_article
from wagtail_acupuncture.content.sanitize import clean_rich_text
from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, Practitioner

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

HOSTILE = (
    '<p onclick="alert(2)">Hi <script>alert(1)</script><img src=x onerror=alert(3)>'
    '<a href="javascript:alert(4)">j</a><iframe src="https://e.example"></iframe>'
    '<b style="color:red">bold</b><style>p{}</style></p>'
)
EDITOR_MADE = [
    '<p>Book <a linktype="page" id="3">now</a> or <a href="https://x.example/a?b=1&amp;c=2">go</a>.</p>',
    '<ul><li><b>Lead-in:</b> text</li></ul><h2>Heading</h2><p><i>it</i><br/>next</p>',
    '<p><a href="tel:+15035551234">Call</a> <a href="mailto:a@b.example">Mail</a> <a href="#faq">FAQ</a></p>',
    '<p><a linktype="document" id="2">Doc</a></p><embed alt="x" embedtype="image" format="left" id="1"/>',
    '<embed embedtype="media" url="https://www.youtube.com/watch?v=abc"/>',
    "Plain text, no markup",
]


def assert_harmless(html):
    for needle in ("<script", "onclick", "onerror", "javascript:", "<iframe", "style=", "<style", "<img src=x"):
        assert needle not in html, needle


def test_what_the_editor_stores_passes_unchanged():
    for html in EDITOR_MADE:
        assert clean_rich_text(html) == html


def test_hostile_markup_is_removed_and_the_text_kept():
    cleaned = clean_rich_text(HOSTILE)
    assert_harmless(cleaned)
    assert "Hi" in cleaned and "<b>bold</b>" in cleaned and ">j</a>" in cleaned


def test_each_value_keeps_only_the_elements_of_its_own_features():
    stored = '<h2>Title</h2><p><b>b</b> <i>i</i> <code>c</code></p><embed embedtype="image" id="1"/>'
    assert clean_rich_text(stored, ["bold"]) == "Title<p><b>b</b> i c</p>"
    assert clean_rich_text(stored, ["bold", "italic", "h2", "image"]) == (
        '<h2>Title</h2><p><b>b</b> <i>i</i> c</p><embed embedtype="image" id="1"/>'
    )
    # A feature outside Wagtail's defaults counts once the field or block names it.
    assert "<code>c</code>" in clean_rich_text(stored, ["code"])
    # No features given: Wagtail's default features (headings h2-h4, images, ...), no code.
    assert clean_rich_text(stored) == (
        '<h2>Title</h2><p><b>b</b> <i>i</i> c</p><embed embedtype="image" id="1"/>'
    )


def test_a_body_written_with_the_orm_keeps_what_each_block_allows(index):
    answer = '<h2>Not an answer heading</h2><p><b>Yes</b>, see <a href="https://e.example">this</a>.</p>'
    faq = {
        "type": "faq",
        "id": "f1",
        "value": {"heading": "FAQ", "items": [{"question": "Safe?", "answer": answer}]},
    }
    image_paragraph = '<p>Text</p><embed alt="x" embedtype="image" format="left" id="1"/>'
    page = make_article(index, body=[paragraph("p1", image_paragraph), faq])
    body = ArticlePage.objects.get(pk=page.pk).body.raw_data
    # The paragraph block has the image feature: unchanged. The FAQ answer has no headings.
    assert body[0]["value"] == image_paragraph
    stored_answer = body[1]["value"]["items"][0]["value"]["answer"]
    assert stored_answer == (
        'Not an answer heading<p><b>Yes</b>, see <a href="https://e.example">this</a>.</p>'
    )


def test_a_rich_text_field_keeps_only_its_features(index):
    # ArticleIndexPage.intro: bold, italic and link.
    index.intro = '<h2>Big</h2><p><b>Welcome</b> <a href="https://e.example">in</a></p>'
    index.save()
    index.refresh_from_db()
    assert index.intro == 'Big<p><b>Welcome</b> <a href="https://e.example">in</a></p>'


def test_an_article_written_with_the_orm_is_stored_clean(client, index, clinic):
    faq = {
        "type": "faq",
        "id": "f1",
        "value": {"heading": "FAQ", "items": [{"question": "Safe?", "answer": HOSTILE}]},
    }
    page = make_article(index, body=[paragraph("p1", HOSTILE), faq])
    stored = ArticlePage.objects.get(pk=page.pk)
    raw = str(stored.body.raw_data)
    assert_harmless(raw)
    assert "bold" in raw and "Safe?" in raw
    for output in (client.get(page.url).content.decode(), client.get(f"{API}/pages/{page.pk}/").content.decode()):
        assert "alert(" not in output and "onerror" not in output and "onclick" not in output


def test_an_index_intro_is_stored_clean(index):
    index.intro = HOSTILE
    index.save_revision().publish()
    assert_harmless(ArticleIndexPage.objects.get(pk=index.pk).intro)


def test_a_practitioners_biography_is_stored_clean(index):
    person = PractitionerFactory(bio=HOSTILE)
    assert_harmless(Practitioner.objects.get(pk=person.pk).bio)


def test_fixtures_loaded_raw_are_left_as_they_are(index):
    person = PractitionerFactory(bio="<p>ok</p>")
    person.bio = HOSTILE
    person.save_base(raw=True)  # loaddata: a fixture is the site's own dump
    assert Practitioner.objects.get(pk=person.pk).bio == HOSTILE


def test_bad_choice_values_stored_outside_the_admin_are_delivered_as_defaults(client, index, clinic, caplog):
    import datetime

    from django.utils import timezone

    from tests.api_fixtures import booking_cta, heading, notice

    bad = '"><script>alert(1)</script>'
    page = make_article(
        index,
        body=[
            heading("h1", "Head", level=bad),
            booking_cta("b1", text="Book", placement=bad, link_url="https://x.example"),
            notice("n1", "<p>Closed</p>", starts_at=timezone.now() - datetime.timedelta(days=1), tone=bad),
        ],
    )
    for url in (f"{API}/pages/{page.pk}/", f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=body"):
        response = client.get(url)
        assert response.status_code == 200
        assert "alert(1)" not in response.content.decode()
    body = client.get(f"{API}/pages/{page.pk}/").json()["body"]
    values = {block["type"]: block["value"] for block in body}
    assert values["heading"]["level"] == "h2"
    assert values["booking_cta"]["placement"] == "inline"
    assert values["notice"]["tone"] == "info"
    assert "invalid choice" in caplog.text
    html = client.get(page.url)
    assert html.status_code == 200 and "<script>alert(1)" not in html.content.decode()
