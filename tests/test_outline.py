import pytest

from tests.factories import make_article
from wagtail_acupuncture.outline import build_outline

pytestmark = pytest.mark.django_db


def heading(text, level="h2", anchor=""):
    return {"type": "heading", "value": {"text": text, "level": level, "anchor": anchor}}


def test_anchors_are_unique_and_typed_anchors_win(index):
    page = make_article(
        index,
        body=[
            heading("Why Choose Acupuncture?"),
            heading("Why choose acupuncture"),
            heading("Custom", anchor="why-choose-acupuncture-2"),
            heading("Details", level="h3"),
            {
                "type": "faq",
                "value": {
                    "heading": "Details",
                    "items": [{"question": "Q?", "answer": "<p>A.</p>"}],
                    "structured_data": True,
                },
            },
        ],
    )
    toc = page.table_of_contents
    assert [entry["anchor"] for entry in toc] == [
        "why-choose-acupuncture",
        "why-choose-acupuncture-3",
        "why-choose-acupuncture-2",
        "details",
        "details-2",
    ]
    assert [entry["level"] for entry in toc] == [2, 2, 2, 3, 2]
    assert len({entry["anchor"] for entry in toc}) == len(toc)


def test_faq_heading_levels_fit_the_outline(index):
    page = make_article(
        index,
        body=[
            heading("Section"),
            {"type": "faq", "value": {"heading": "", "items": [{"question": "Q?", "answer": "<p>A.</p>"}]}},
            {"type": "faq", "value": {"heading": "FAQ", "items": [{"question": "Q2?", "answer": "<p>A.</p>"}]}},
            {"type": "key_points", "value": {"heading": "Points", "items": [{"title": "T", "text": "<p>x</p>"}]}},
        ],
    )
    outline = build_outline(page.body)
    faq_plain, faq_headed, points = (child.id for child in list(page.body)[1:])
    assert outline.tags[faq_plain] == {"heading_tag": None, "item_tag": "h3"}
    assert outline.tags[faq_headed] == {"heading_tag": "h2", "item_tag": "h3"}
    assert outline.tags[points] == {"heading_tag": "h3", "item_tag": "h4"}


def test_word_count_and_reading_time(index, settings):
    words = " ".join(["word"] * 450)
    page = make_article(
        index,
        title="Two words",
        intro="three more words",
        body=[{"type": "paragraph", "value": f"<p>{words}</p>"}],
    )
    assert page.word_count == 2 + 3 + 450
    settings.WAGTAIL_ACUPUNCTURE = {"WORDS_PER_MINUTE": 100}
    assert page.reading_time_minutes == 5
