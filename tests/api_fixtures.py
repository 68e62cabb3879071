"""Test data and URLs for the API tests.

The URLconf mounts the package's endpoints under ``/api/v2/`` (``@pytest.mark.urls``), as the
example project does. :func:`build_back_pain_article` builds the client's seed article
(``shared/seed/acupuncture-for-back-pain.txt``) with every element of it: intro, headings,
paragraphs with links, two key-point lists with lead-ins, booking calls to action, the FAQ with
its four answered questions (the fifth has no answer in the seed and is left out), the seasonal
notice, six related treatments (each with its own article), author, reviewer and hero image.
Block and list item ids are fixed so the golden files stay readable.
"""

import datetime
import io
import json
import os
import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import include, path
from django.utils import timezone
from wagtail import urls as wagtail_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import get_document_model
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.models import Page, PageViewRestriction

from tests.factories import (
    BACK_PAIN_FAQ,
    ImageFactory,
    PractitionerFactory,
    TreatmentFactory,
    add_page,
    make_article,
    png_bytes,
)
from wagtail_acupuncture.api import register_endpoints

api_router = register_endpoints(WagtailAPIRouter("wagtailapi"))

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(wagtail_urls)),
]

API = "/api/v2"

BACK_PAIN_TITLE = "Acupuncture for Back Pain"
BACK_PAIN_SLUG = "acupuncture-for-back-pain"
BACK_PAIN_INTRO = (
    "Back pain is far more than a mild ache. If you’ve experienced it, you know it can bring "
    "intense discomfort, limited mobility, and constant frustration that can completely disrupt "
    "your life. While many people turn to medication, they often encounter side effects or only "
    "temporary relief. That’s where acupuncture for back pain can make a real difference. At our "
    "Portland clinic, we offer acupuncture for back pain as a natural, drug-free approach to "
    "managing symptoms and aiming for lasting relief."
)

HOW_IT_WORKS = [
    (
        "Endorphin Release",
        "Acupuncture encourages the release of endorphins, the body’s natural “feel-good” "
        "hormones. These endorphins help reduce the perception of pain and create a sense of "
        "relaxation, which is especially helpful for those dealing with chronic back pain.",
    ),
    (
        "Improved Blood Circulation",
        "Poor circulation is often a factor in back pain, as muscles and tissues need oxygen and "
        "nutrients to heal and function properly. Acupuncture boosts blood flow to the affected "
        "areas, helping the body repair damaged tissues and reduce inflammation.",
    ),
    (
        "Muscle Relaxation",
        "Tension and muscle tightness are common issues in those with back pain, whether due to "
        "stress, poor posture, or overuse. Acupuncture targets specific points to release tight "
        "muscles, easing stiffness and enhancing range of motion. These benefits make acupuncture "
        "ideal for relieving back pain without medications or invasive procedures.",
    ),
]

WHY_CHOOSE = [
    (
        "Non-Invasive Treatment",
        "Unlike surgery or other invasive procedures, acupuncture doesn’t involve incisions or "
        "recovery time. This gentle approach appeals to those seeking natural pain relief without "
        "the stress of an intensive recovery process.",
    ),
    (
        "Minimal Side Effects Compared to Medication or Surgery",
        "Many people turn to medications to alleviate back pain, but these can come with side "
        "effects like drowsiness, dependency, or stomach issues. Acupuncture offers a drug-free "
        "option with minimal side effects, making it ideal for those who prefer a more natural "
        "approach.",
    ),
    (
        "Promotes Overall Wellness",
        "Acupuncture isn’t just about reducing pain. It can also improve sleep, reduce stress, "
        "and lift mood by supporting the body’s natural processes. Many people find that regular "
        "acupuncture sessions help them feel more relaxed, sleep better, and experience an "
        "overall sense of wellness.",
    ),
]

#: The seed's four answered questions (shared with the structured-data tests).
FAQ = BACK_PAIN_FAQ

NOTICE = (
    "Remember as we get closer to the end of the year, make sure to use up your remaining health "
    "benefits before they expire!"
)

#: The six related treatments of the seed: (name, slug, teaser), newest article first.
RELATED = [
    (
        "Acupuncture For Digestion: Bloating, IBS, And Reflux Relief!",
        "acupuncture-for-digestion",
        "Bloating, acid reflux, and irritable bowel syndrome (IBS) are more than just “digestive "
        "annoyances.”",
    ),
    (
        "Acupuncture for Athletes: Improving Recovery, Performance, and Injury Prevention",
        "acupuncture-for-athletes",
        "Athletes face unique challenges when it comes to staying active and performing at their "
        "best.",
    ),
    (
        "Acupuncture For Migraines: A Drug-Free Approach to Pain Relief",
        "acupuncture-for-migraines",
        "Migraines are far more than “bad headaches.”",
    ),
    (
        "Acupuncture For Breast Health: A Natural Approach",
        "acupuncture-for-breast-health",
        "Breast health deserves our attention all year round, but October, as Breast Cancer "
        "Awareness Month, is a powerful reminder of just how important it is.",
    ),
    (
        "Natural Approaches to Endometriosis Pain Relief with Acupuncture",
        "endometriosis-pain-relief",
        "If you’re reading this, chances are you or someone close to you is dealing with the "
        "frustrating, exhausting symptoms of endometriosis.",
    ),
    (
        "Boosting Your Immune System with Acupuncture",
        "boosting-your-immune-system",
        "As the leaves start to change and the air gets crisp, we all know what’s here: "
        "back-to-school season and, not far behind, flu season.",
    ),
]


def image_file(name, width=640, height=400):
    return ImageFile(io.BytesIO(png_bytes(width, height)), name=name)


def make_image(title, *, description="", width=640, height=400, **kwargs):
    slug = title.lower().replace(" ", "-")
    return ImageFactory(
        title=title,
        description=description,
        file=image_file(f"{slug}.png", width, height),
        **kwargs,
    )


def make_document(title="Intake form"):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save("intake-form.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


def make_private(page):
    """Put a password view restriction on ``page``."""
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )


def paragraph(block_id, html):
    return {"type": "paragraph", "id": block_id, "value": html}


def heading(block_id, text, level="h2", anchor=""):
    return {
        "type": "heading",
        "id": block_id,
        "value": {"text": text, "level": level, "anchor": anchor},
    }


def key_points(block_id, points, heading_text=""):
    return {
        "type": "key_points",
        "id": block_id,
        "value": {
            "heading": heading_text,
            "items": [
                {
                    "type": "item",
                    "id": f"{block_id}-{n}",
                    "value": {"title": title, "text": f"<p>{text}</p>"},
                }
                for n, (title, text) in enumerate(points, start=1)
            ],
        },
    }


def faq(
    block_id, items, *, heading_text="Frequently Asked Questions", intro="", structured_data=True
):
    return {
        "type": "faq",
        "id": block_id,
        "value": {
            "heading": heading_text,
            "intro": intro,
            "items": [
                {
                    "type": "item",
                    "id": f"{block_id}-{n}",
                    "value": {"question": q, "answer": f"<p>{a}</p>"},
                }
                for n, (q, a) in enumerate(items, start=1)
            ],
            "structured_data": structured_data,
        },
    }


def booking_cta(
    block_id, *, text="", heading_text="", placement="inline", link_url="", link_page=None, label=""
):
    return {
        "type": "booking_cta",
        "id": block_id,
        "value": {
            "heading": heading_text,
            "text": text,
            "button_label": label,
            "link_url": link_url,
            "link_page": link_page,
            "placement": placement,
        },
    }


def notice(block_id, html, *, starts_at, ends_at=None, tone="seasonal"):
    return {
        "type": "notice",
        "id": block_id,
        "value": {
            "text": html,
            "tone": tone,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat() if ends_at else None,
        },
    }


def back_pain_body(contact_page):
    """The seed article's body, in the seed's order."""
    return [
        paragraph(
            "intro-2",
            "<p>In this blog, we’ll dive into how acupuncture relieves back pain, the science "
            "behind its effectiveness, and why a personalized approach is key to helping you feel "
            "better long-term.</p>",
        ),
        booking_cta(
            "cta-intro",
            text="Before we dive in, are you in the Portland area and ready to learn how "
            "acupuncture can help with your back pain? Book a consultation with us today, and "
            "let’s create a personalized plan to bring you lasting relief and support!",
            placement="intro",
        ),
        heading("h-causes", "Understanding Back Pain: Common Causes and Daily Impact"),
        paragraph(
            "causes-1",
            "<p>Back pain is one of the most common health problems people face today, affecting "
            "daily activities and quality of life. From dull, nagging aches to more constant pain, "
            "back pain can come from many causes. Poor posture, for example, is a common cause; "
            "spending hours hunched over a computer or phone can strain your back muscles and lead "
            "to ongoing discomfort (we’ve all been there after a long day!). Injuries also play a "
            "major role, with sports mishaps, accidents, and sudden movements often causing "
            "long-lasting back pain. Stress is another major cause, as tension can make muscles "
            "tighten, especially in the back, leading to lasting pain that’s hard to ignore.</p>",
        ),
        paragraph(
            "causes-2",
            "<p>Whatever the cause, back pain can be incredibly challenging. Simple tasks like "
            "bending, lifting, or even sitting comfortably can feel difficult, and for many, it "
            "affects sleep and can lead to feelings of frustration or irritability. If you’re "
            "searching for a natural approach to relieve your pain and get back to the activities "
            "you enjoy, <b>acupuncture for back pain</b> may be the ideal solution. Acupuncture "
            "for back pain provides focused relief by treating both physical and energy-related "
            "causes of back pain, helping you find comfort and feel at ease in your daily life "
            "again (without relying on medications or invasive procedures).</p>",
        ),
        heading("h-how", "How Acupuncture Can Relieve Back Pain"),
        paragraph(
            "how-1",
            "<p>Acupuncture, an ancient practice rooted in traditional Chinese medicine, has "
            "gained widespread popularity as an effective method for back pain relief. By "
            "inserting fine needles into specific points on the body, acupuncture can stimulate "
            "your body’s natural healing processes. Here’s how acupuncture for back pain works to "
            "reduce discomfort and improve overall wellness:</p>",
        ),
        key_points("kp-how", HOW_IT_WORKS),
        heading("h-why", "Why Choose Acupuncture for Back Pain?"),
        paragraph(
            "why-1",
            "<p>Acupuncture offers a range of benefits that set it apart as a preferred option for "
            "managing back pain. Here’s why more and more people are choosing acupuncture for back "
            "pain:</p>",
        ),
        key_points("kp-why", WHY_CHOOSE),
        faq(
            "faq",
            FAQ,
            intro="<p>We understand—trying something new can feel a bit uncertain! To help you "
            "feel more at ease and informed, we’ve gathered answers to some of the most common "
            "questions about acupuncture:</p>",
        ),
        heading("h-relief", "Finding Relief and Reclaiming Comfort with Acupuncture"),
        paragraph(
            "relief-1",
            "<p>If back pain has been holding you back, acupuncture may offer the relief you’ve "
            "been looking for. With its natural, holistic approach, acupuncture for back pain "
            "allows you to reduce pain, relax your muscles, and reclaim your daily activities "
            "without the need for invasive treatments or medication.</p>",
        ),
        paragraph(
            "relief-2",
            '<p>If you’re interested in learning more, <a href="https://booking.example.com/book">'
            f'book a consultation</a> or <a linktype="page" id="{contact_page.pk}">contact us</a> '
            "today. Let us help you feel your best!</p>",
        ),
        booking_cta("cta-end", placement="conclusion"),
        notice(
            "notice-benefits",
            f"<p>{NOTICE}</p>",
            starts_at=timezone.make_aware(datetime.datetime(2024, 11, 1, 9, 0)),
            ends_at=timezone.make_aware(datetime.datetime(2099, 1, 1, 0, 0)),
        ),
    ]


def build_back_pain_article(index):
    """Build the seed article and what it links to; returns a dict of the created objects."""
    home = index.get_parent().specific
    contact = add_page(home, Page(title="Contact", slug="contact"))
    author = PractitionerFactory(
        name="Mei Lin",
        credentials="L.Ac., MSOM",
        job_title="Licensed Acupuncturist",
        photo=make_image("Mei Lin portrait", width=300, height=300),
        bio="<p>Mei has treated back pain in Portland for ten years. "
        '<a href="javascript:alert(1)">x</a></p>',
        booking_url="https://booking.example.com/mei-lin",
    )
    reviewer = PractitionerFactory(
        name="Sam Carter",
        credentials="L.Ac., DACM",
        job_title="Clinical Director",
        profile_url="https://example.com/team/sam-carter/",
    )
    related_articles, treatments = [], []
    for days, (name, slug, teaser) in enumerate(RELATED):
        treatment = TreatmentFactory(name=name, slug=slug, summary=teaser)
        article = make_article(
            index,
            title=name,
            slug=slug,
            intro=teaser,
            published_date=datetime.date(2024, 10, 30) - datetime.timedelta(days=7 * days),
            hero_image=make_image(f"{slug} hero"),
            treatments=[treatment],
        )
        treatment.page = article
        treatment.save()
        treatments.append(treatment)
        related_articles.append(article)
    unpublished = TreatmentFactory(name="Cupping", slug="cupping", live=False)
    hero = make_image(
        "Acupuncture for back pain",
        description="Fine acupuncture needles along the lower back",
        width=1200,
        height=750,
        focal_point_x=600,
        focal_point_y=300,
        focal_point_width=200,
        focal_point_height=200,
    )
    page = make_article(
        index,
        title=BACK_PAIN_TITLE,
        slug=BACK_PAIN_SLUG,
        intro=BACK_PAIN_INTRO,
        body=back_pain_body(contact),
        hero_image=hero,
        author=author,
        reviewed_by=reviewer,
        published_date=datetime.date(2024, 11, 4),
        last_reviewed=datetime.date(2025, 1, 15),
        treatments=[*treatments, unpublished],
    )
    return {
        "page": page,
        "contact": contact,
        "author": author,
        "reviewer": reviewer,
        "hero": hero,
        "treatments": treatments,
        "unpublished_treatment": unpublished,
        "related_articles": related_articles,
    }


# --------------------------------------------------------------------------------- golden files

#: Golden files live here; ``ACUPUNCTURE_REGENERATE_GOLDEN=1`` rewrites them from the responses.
GOLDEN_DIR = Path(__file__).parent / "golden"
REGENERATE_ENV = "ACUPUNCTURE_REGENERATE_GOLDEN"

_HASH = re.compile(r"\.[0-9a-f]{8}\.")
_API_ID = re.compile(r"(/api/v2/[a-z_]+/)\d+/")
_DOCUMENT_ID = re.compile(r"/documents/\d+/")
_DATETIME_KEYS = {"first_published_at", "last_published_at"}


def normalise(data):
    """``data`` with its volatile values replaced, for comparison with a golden file.

    * an integer under an ``id`` key becomes ``"<id N>"``, N numbering the distinct values
      met at the same place (the key path with list positions left out), in order: database
      ids differ between runs and databases, their order of appearance does not;
    * ids in API and document URLs become ``<id>``;
    * the 8-hex-digit hash in rendition file names becomes ``<hash>``;
    * ``first_published_at``/``last_published_at`` become ``"<datetime>"``;
    * ``structured_data`` becomes a marker: its content is owned and tested by the structured
      data module; the API tests check it equals ``build_article_graph`` for the page.
    """
    numbering = {}

    def walk(value, path):
        if isinstance(value, dict):
            return {key: walk_item(key, item, f"{path}.{key}") for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, f"{path}[]") for item in value]
        if isinstance(value, str):
            value = _HASH.sub(".<hash>.", value)
            value = _API_ID.sub(r"\1<id>/", value)
            return _DOCUMENT_ID.sub("/documents/<id>/", value)
        return value

    def walk_item(key, item, path):
        if key == "id" and isinstance(item, int) and not isinstance(item, bool):
            seen = numbering.setdefault(path, {})
            return f"<id {seen.setdefault(item, len(seen) + 1)}>"
        if key in _DATETIME_KEYS and item is not None:
            return "<datetime>"
        if key == "structured_data" and item is not None:
            return "<structured_data>"
        return walk(item, path)

    return walk(data, "")


def assert_matches_golden(name, data):
    """Compare ``normalise(data)`` with ``tests/golden/<name>.json`` (or rewrite it)."""
    normalised = normalise(data)
    path = GOLDEN_DIR / f"{name}.json"
    if os.environ.get(REGENERATE_ENV):
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            json.dumps(normalised, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    assert path.exists(), f"{path} is missing: run the tests with {REGENERATE_ENV}=1"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert normalised == expected, f"response differs from {path} ({REGENERATE_ENV}=1 rewrites it)"
