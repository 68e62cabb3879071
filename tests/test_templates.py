import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.factories import ImageFactory, PractitionerFactory, TreatmentFactory, make_article

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script><!-- \' " \u2028'


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings = []
        self.ids = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])


def parse(html):
    parser = Outline()
    parser.feed(html)
    return parser


def full_body(treatments, image):
    now = timezone.now()
    return [
        {"type": "paragraph", "value": "<p>Back pain is far more than a mild ache.</p>"},
        {"type": "booking_cta", "value": {"heading": "", "text": "Before we dive in", "placement": "intro"}},
        {"type": "heading", "value": {"text": "Understanding Back Pain", "level": "h2", "anchor": ""}},
        {"type": "paragraph", "value": "<p>Back pain is one of the most common health problems.</p>"},
        {"type": "image", "value": {"image": image.pk, "caption": "Treatment room", "alt_text": "A calm room"}},
        {"type": "heading", "value": {"text": "How Acupuncture Can Relieve Back Pain", "level": "h2", "anchor": ""}},
        {
            "type": "key_points",
            "value": {
                "heading": "",
                "items": [
                    {"title": "Endorphin Release", "text": "<p>Acupuncture encourages the release of endorphins.</p>"},
                    {"title": "Muscle Relaxation", "text": "<p>Release tight muscles.</p>"},
                ],
            },
        },
        {"type": "quote", "value": {"text": "Acupuncture needles are extremely thin.", "attribution": "Clinic"}},
        {
            "type": "faq",
            "value": {
                "heading": "Frequently Asked Questions",
                "intro": "<p>We understand.</p>",
                "items": [
                    {"question": "Is acupuncture painful?", "answer": "<p>Usually painless.</p>"},
                    {"question": "How long do the effects last?", "answer": "<p>They vary.</p>"},
                ],
                "structured_data": True,
            },
        },
        {"type": "heading", "value": {"text": "Finding Relief", "level": "h2", "anchor": ""}},
        {"type": "booking_cta", "value": {"placement": "conclusion"}},
        {
            "type": "notice",
            "value": {
                "text": "<p>Use up your remaining health benefits!</p>",
                "tone": "seasonal",
                "starts_at": (now - datetime.timedelta(days=1)).isoformat(),
                "ends_at": (now + datetime.timedelta(days=30)).isoformat(),
            },
        },
        {
            "type": "notice",
            "value": {
                "text": "<p>Expired notice</p>",
                "tone": "info",
                "starts_at": (now - datetime.timedelta(days=30)).isoformat(),
                "ends_at": (now - datetime.timedelta(days=1)).isoformat(),
            },
        },
        {"type": "related_treatments", "value": {"heading": "Explore", "treatments": [t.pk for t in treatments]}},
    ]


def test_full_article_renders_every_block_in_order(index, clinic, client):
    treatments = [TreatmentFactory(name="Acupuncture For Digestion"), TreatmentFactory(name="Draft one", live=False)]
    image = ImageFactory(title="Room", description="")
    author = PractitionerFactory(name="Demo Practitioner", credentials="L.Ac.")
    page = make_article(
        index,
        title="Acupuncture for Back Pain",
        intro="Back pain is far more than a mild ache.",
        hero_image=ImageFactory(),
        author=author,
        reviewed_by=author,
        last_reviewed=datetime.date(2025, 10, 1),
        body=full_body(treatments, image),
        treatments=treatments,
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    markers = [
        "<p>Back pain is far more than a mild ache.</p>",
        "Before we dive in",
        'id="understanding-back-pain"',
        "Back pain is one of the most common health problems.",
        'alt="A calm room"',
        "Treatment room",
        'id="how-acupuncture-can-relieve-back-pain"',
        "Endorphin Release",
        "Muscle Relaxation",
        "Acupuncture needles are extremely thin.",
        'id="frequently-asked-questions"',
        "Is acupuncture painful?",
        "How long do the effects last?",
        'id="finding-relief"',
        'data-cta-placement="conclusion"',
        "Use up your remaining health benefits!",
        "Acupuncture For Digestion",
    ]
    body = html[html.index('class="acu-article__body"') :]
    positions = [body.index(marker) for marker in markers]
    assert positions == sorted(positions)
    assert "Expired notice" not in html
    assert "Draft one" not in html
    assert "srcset=" in html
    assert "By Demo Practitioner, L.Ac." in html
    assert "Reviewed by Demo Practitioner, L.Ac." in html
    # table of contents links to the anchors
    parsed = parse(html)
    for anchor in ("understanding-back-pain", "how-acupuncture-can-relieve-back-pain", "frequently-asked-questions"):
        assert f"#{anchor}" in parsed.hrefs
        assert anchor in parsed.ids


def test_heading_outline_has_one_h1_and_no_skipped_levels(index, clinic, client):
    treatments = [TreatmentFactory()]
    page = make_article(index, body=full_body(treatments, ImageFactory()), treatments=treatments)
    other = make_article(index, treatments=treatments)
    assert other.pk
    parsed = parse(client.get(page.url).content.decode())
    assert parsed.headings.count(1) == 1
    assert parsed.headings[0] == 1
    for previous, current in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert current <= previous + 1, parsed.headings
    assert len(parsed.ids) == len(set(parsed.ids))


def test_editor_text_is_escaped_everywhere(index, clinic, client):
    treatment = TreatmentFactory(name=HOSTILE, summary=HOSTILE)
    author = PractitionerFactory(name=HOSTILE, credentials=HOSTILE)
    image = ImageFactory(title=HOSTILE)
    page = make_article(
        index,
        title=HOSTILE,
        intro=HOSTILE,
        author=author,
        reviewed_by=author,
        hero_image=image,
        treatments=[treatment],
        body=[
            {"type": "heading", "value": {"text": HOSTILE, "level": "h2", "anchor": ""}},
            {"type": "key_points", "value": {"heading": HOSTILE, "items": [{"title": HOSTILE, "text": "<p>x</p>"}]}},
            {"type": "image", "value": {"image": image.pk, "caption": HOSTILE, "alt_text": HOSTILE}},
            {"type": "quote", "value": {"text": HOSTILE, "attribution": HOSTILE}},
            {"type": "faq", "value": {"heading": HOSTILE, "items": [{"question": HOSTILE, "answer": "<p>a</p>"}]}},
            {
                "type": "booking_cta",
                "value": {"heading": HOSTILE, "text": HOSTILE, "button_label": HOSTILE, "placement": "inline"},
            },
            {"type": "related_treatments", "value": {"heading": HOSTILE, "treatments": [treatment.pk]}},
        ],
    )
    html = client.get(page.url).content.decode()
    assert 'alert("x")' not in html
    assert "<script>alert" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in html


def test_article_card_and_index(index, client):
    make_article(index, title="Card title", intro="Card intro text", hero_image=ImageFactory())
    html = client.get(index.url).content.decode()
    assert "Card title" in html
    assert "Card intro text" in html
    parsed = parse(html)
    assert parsed.headings.count(1) == 1


def test_treatment_preview_template(index):
    from django.test import RequestFactory

    treatment = TreatmentFactory(name="Previewed treatment")
    request = RequestFactory().get("/")
    response = treatment.serve_preview(request, treatment.default_preview_mode)
    assert "Previewed treatment" in response.render().content.decode()


def test_links_to_drafts_and_private_pages_print_no_address(index, clinic, client, home):
    from wagtail.models import Page, PageViewRestriction

    from tests.factories import add_page

    live = add_page(home, Page(title="Contact", slug="contact"))
    draft = add_page(home, Page(title="Unannounced", slug="unannounced-programme", live=False))
    private = add_page(home, Page(title="Staff", slug="staff-only"))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    links = "".join(
        f'<a linktype="page" id="{page.pk}">to {page.slug}</a> ' for page in (live, draft, private)
    )
    page = make_article(
        index, body=[{"type": "paragraph", "id": "p1", "value": f"<p>{links}</p>"}]
    )
    html = client.get(page.url).content.decode()
    assert '<a href="/contact/">to contact</a>' in html
    assert "<a>to unannounced-programme</a>" in html and "<a>to staff-only</a>" in html
    assert "/unannounced-programme/" not in html and "/staff-only/" not in html
    index.intro = f"<p>{links}</p>"
    index.save_revision().publish()
    listing = client.get(index.url).content.decode()
    assert '<a href="/contact/">to contact</a>' in listing
    assert "/unannounced-programme/" not in listing and "/staff-only/" not in listing
    draft.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<a href="/unannounced-programme/">to unannounced-programme</a>' in html
    listing = client.get(index.url).content.decode()
    assert '<a href="/unannounced-programme/">to unannounced-programme</a>' in listing


def _large_image(width=2000, height=1000):
    import io

    from django.core.files.images import ImageFile

    from tests.factories import png_bytes

    return ImageFactory(title="Wide", file=ImageFile(io.BytesIO(png_bytes(width, height)), name="wide.png"))


def rich_text_image_tags(html):
    return re.findall(r"<img [^>]*richtext-image[^>]*>", html)


def test_rich_text_images_are_responsive(index, clinic, client):
    from wagtail.images.formats import get_image_format

    from wagtail_acupuncture.image_formats import ResponsiveImageFormat

    assert isinstance(get_image_format("fullwidth"), ResponsiveImageFormat)
    image = _large_image()
    body = [
        {
            "type": "paragraph",
            "value": f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Room"/>'
            f'<p>Text.</p><embed embedtype="image" id="{image.pk}" format="left" alt="Left"/>',
        }
    ]
    page = make_article(index, body=body)
    full, left = rich_text_image_tags(client.get(page.url).content.decode())
    assert 'class="richtext-image full-width"' in full
    assert 'width="800"' in full and 'height="400"' in full
    srcset = re.search(r'srcset="([^"]+)"', full)[1]
    assert [entry.split()[-1] for entry in srcset.split(", ")] == ["480w", "800w", "1600w"]
    assert 'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"' in full
    assert 'loading="lazy"' in full
    assert 'class="richtext-image left"' in left and 'width="500"' in left and 'height="250"' in left
    srcset = re.search(r'srcset="([^"]+)"', left)[1]
    assert [entry.split()[-1] for entry in srcset.split(", ")] == ["320w", "500w", "1000w"]


def test_rich_text_image_srcset_leaves_out_widths_the_image_lacks(index, clinic, client):
    image = _large_image(600, 300)
    body = [{"type": "paragraph", "value": f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="x"/>'}]
    (tag,) = rich_text_image_tags(client.get(make_article(index, body=body).url).content.decode())
    srcset = re.search(r'srcset="([^"]+)"', tag)[1]
    assert [entry.split()[-1] for entry in srcset.split(", ")] == ["480w", "600w"]


def test_configured_rich_text_rendition_has_no_srcset(index, clinic, client, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"API_RICH_TEXT_IMAGE_RENDITION": "width-300"}
    image = _large_image()
    body = [{"type": "paragraph", "value": f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="x"/>'}]
    (tag,) = rich_text_image_tags(client.get(make_article(index, body=body).url).content.decode())
    assert "srcset" not in tag and 'width="300"' in tag and 'height="150"' in tag
