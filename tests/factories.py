"""Factories for the package's models."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Page

from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, Practitioner, Treatment


def png_bytes(width=64, height=48, color=(29, 107, 95)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Image {n}")
    description = ""
    file = factory.LazyAttribute(
        lambda o: ImageFile(io.BytesIO(png_bytes()), name=f"{o.title.replace(' ', '-').lower()}.png")
    )


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    name = factory.Sequence(lambda n: f"Practitioner {n}")
    credentials = "L.Ac."
    job_title = "Licensed Acupuncturist"


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment

    name = factory.Sequence(lambda n: f"Treatment {n}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    summary = "A short summary."
    live = True


def add_page(parent, page):
    """Add ``page`` below ``parent`` and publish it (unless ``page.live`` is False)."""
    publish = page.live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    else:
        page.live = False
        page.save()
    return page


def make_index(parent, **kwargs):
    kwargs.setdefault("title", "Blog")
    kwargs.setdefault("slug", "blog")
    return add_page(parent, ArticleIndexPage(**kwargs))


_article_counter = iter(range(1, 10**9))


def make_article(index, *, treatments=(), live=True, model=ArticlePage, **kwargs):
    """An article of page type ``model`` below ``index``, published unless ``live`` is False."""
    n = next(_article_counter)
    kwargs.setdefault("title", f"Article {n}")
    kwargs.setdefault("slug", f"article-{n}")
    kwargs.setdefault("intro", f"Intro of article {n}.")
    page = model(live=live, **kwargs)
    for order, treatment in enumerate(treatments):
        page.related_treatments.add(page.related_treatments.model(treatment=treatment, sort_order=order))
    return add_page(index, page)


def root_page():
    return Page.objects.get(depth=1)


# --- Structured data / SEO helpers (added for issue 5) -------------------------------------------
# The article text below is taken verbatim from the client's seed article
# (shared/seed/acupuncture-for-back-pain.txt); nothing is added to it. The seed's fifth question
# ("Can acupuncture help with other health issues beyond back pain?") has no answer there, so it
# is left out rather than answered here.

BACK_PAIN_TITLE = "Acupuncture for Back Pain"
BACK_PAIN_INTRO = (
    "Back pain is far more than a mild ache. If you’ve experienced it, you know it can bring "
    "intense discomfort, limited mobility, and constant frustration that can completely disrupt "
    "your life."
)
BACK_PAIN_FAQ = [
    (
        "How long does it take to feel relief from acupuncture?",
        "Many people experience relief after the first session, while others may notice a gradual "
        "improvement over several treatments. Chronic back pain may require a series of sessions "
        "to achieve optimal results, as acupuncture’s effects often build over time.",
    ),
    (
        "Is acupuncture painful?",
        "Acupuncture needles are extremely thin, so the procedure is usually painless. Some people "
        "feel a mild tingling sensation or a dull ache at the insertion points, but the overall "
        "experience is typically relaxing.",
    ),
    (
        "Are there any side effects of acupuncture for back pain?",
        "Side effects are minimal but can include mild soreness or bruising at needle sites. "
        "Unlike medications, acupuncture doesn’t carry the risk of significant side effects, "
        "making it a safe option for most people.",
    ),
    (
        "How long do the effects of acupuncture last?",
        "The effects vary depending on the individual and the severity of the back pain. Some "
        "people experience lasting relief, while others benefit from occasional follow-up "
        "sessions to keep the pain at bay.",
    ),
]


def faq_block(items, *, heading="Frequently Asked Questions", structured_data=True, prefix="q"):
    """Raw stream data for one ``faq`` block; ``items`` are ``(question, answer_html)`` pairs."""
    return {
        "type": "faq",
        "value": {
            "heading": heading,
            "intro": "",
            "items": [
                {
                    "type": "item",
                    "id": f"{prefix}{n}",
                    "value": {"question": question, "answer": answer},
                }
                for n, (question, answer) in enumerate(items, start=1)
            ],
            "structured_data": structured_data,
        },
    }


def back_pain_body():
    """Raw stream data of the seed article: sections, key points, the FAQ and a booking CTA."""
    return [
        {
            "type": "paragraph",
            "value": (
                "<p>While many people turn to medication, they often encounter side effects or "
                "only temporary relief. That’s where acupuncture for back pain can make a real "
                "difference.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "How Acupuncture Can Relieve Back Pain", "level": "h2", "anchor": ""},
        },
        {
            "type": "key_points",
            "value": {
                "heading": "",
                "items": [
                    {
                        "title": "Endorphin Release",
                        "text": "<p>Acupuncture encourages the release of endorphins, the body’s "
                        "natural “feel-good” hormones.</p>",
                    },
                    {
                        "title": "Muscle Relaxation",
                        "text": "<p>Acupuncture targets specific points to release tight "
                        "muscles, easing stiffness and enhancing range of motion.</p>",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {"text": "Why Choose Acupuncture for Back Pain?", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": "<p>Acupuncture offers a range of benefits that set it apart as a preferred "
            "option for managing back pain.</p>",
        },
        faq_block([(q, f"<p>{a}</p>") for q, a in BACK_PAIN_FAQ]),
        {
            "type": "booking_cta",
            "value": {
                "heading": "",
                "text": "Book a consultation with us today, and let’s create a personalized plan "
                "to bring you lasting relief and support!",
                "button_label": "",
                "link_url": "",
                "link_page": None,
                "placement": "conclusion",
            },
        },
    ]


def make_back_pain_article(index, **kwargs):
    """The seed article, published, with author, reviewer, hero image and live treatments."""
    import datetime

    kwargs.setdefault("title", BACK_PAIN_TITLE)
    kwargs.setdefault("slug", "acupuncture-for-back-pain")
    kwargs.setdefault("intro", BACK_PAIN_INTRO)
    kwargs.setdefault("body", back_pain_body())
    kwargs.setdefault("hero_image", ImageFactory(title="Back pain hero", file=_hero_file()))
    kwargs.setdefault("author", PractitionerFactory(credentials="L.Ac., MSOM"))
    kwargs.setdefault("reviewed_by", PractitionerFactory(profile_url="https://example.com/team/"))
    kwargs.setdefault("published_date", datetime.date(2024, 11, 4))
    kwargs.setdefault("last_reviewed", datetime.date(2025, 1, 15))
    kwargs.setdefault(
        "treatments",
        [
            TreatmentFactory(name="Acupuncture", slug="acupuncture"),
            TreatmentFactory(),
        ],
    )
    return make_article(index, **kwargs)


def _hero_file():
    return ImageFile(io.BytesIO(png_bytes(1600, 1000)), name="back-pain-hero.png")


# --- Browser test helpers (added for issue 6) -----------------------------------------------------
# The seed article's end-of-year reminder, as a notice shown from a day ago for a year.

BACK_PAIN_NOTICE = (
    "Remember as we get closer to the end of the year, make sure to use up your remaining health "
    "benefits before they expire!"
)


def notice_block(text=BACK_PAIN_NOTICE, *, tone="seasonal", days_before=1, days_after=365):
    """Raw stream data for one ``notice`` block, active from ``days_before`` ago."""
    import datetime

    from django.utils import timezone

    now = timezone.now()
    return {
        "type": "notice",
        "value": {
            "text": f"<p>{text}</p>",
            "tone": tone,
            "starts_at": (now - datetime.timedelta(days=days_before)).isoformat(),
            "ends_at": (now + datetime.timedelta(days=days_after)).isoformat() if days_after else None,
        },
    }
