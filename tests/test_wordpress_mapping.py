"""Blocks and classic HTML mapped to the article body's blocks."""

import pytest

from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.wordpress.gutenberg import parse_blocks
from wagtail_acupuncture.wordpress.mapping import BodyMapper, classic_blocks, wpautop


def mapper(links=None, images=None):
    return BodyMapper(
        ArticlePage.body.field.stream_block,
        lambda href: (links or {}).get(href),
        lambda attachment_id, url: ((images or {}).get(attachment_id), "alt"),
        lambda url: "book" in url,
    )


def types(items):
    return [item["type"] for item in items]


def test_wpautop_paragraphs_and_line_breaks():
    assert wpautop("One\nline\n\nTwo\n<h2>Head</h2>\nThree") == (
        "<p>One<br>line</p>\n<p>Two</p>\n<h2>Head</h2>\n<p>Three</p>"
    )


def test_classic_post_with_an_faq_heading_and_question_headings():
    html = (
        "Intro text\n\n<h2>Frequently Asked Questions</h2>\nWe answer.\n\n"
        "<h3>Is it painful?</h3>\nUsually not.\n\n<h3>Unanswered?</h3>\n<h2>Next</h2>\nEnd."
    )
    m = mapper()
    items = m.map(classic_blocks(html))
    assert types(items) == ["paragraph", "faq", "heading", "paragraph"]
    faq = items[1]["value"]
    assert faq["heading"] == "Frequently Asked Questions"
    assert faq["intro"] == "<p>We answer.</p>"
    assert [(i["value"]["question"], i["value"]["answer"]) for i in faq["items"]] == [
        ("Is it painful?", "<p>Usually not.</p>")
    ]
    assert ("faq_unanswered", "Left out the FAQ question 'Unanswered?': it has no answer.") in m.notes


def test_lists_with_bold_lead_ins_are_key_points_others_rich_text():
    items = mapper().map(parse_blocks(
        "<!-- wp:list --><ul><li><strong>Rest:</strong> Sleep <em>well</em>.</li>"
        "<li><b>Move</b> – gently.</li></ul><!-- /wp:list -->"
        "<!-- wp:list --><ul><li>plain</li><li><strong>bold</strong> item</li></ul><!-- /wp:list -->"
    ))
    assert types(items) == ["key_points", "paragraph"]
    points = [i["value"] for i in items[0]["value"]["items"]]
    assert points == [
        {"title": "Rest", "text": "<p>Sleep <i>well</i>.</p>"},
        {"title": "Move", "text": "<p>gently.</p>"},
    ]
    assert items[1]["value"] == "<ul><li>plain</li><li><b>bold</b> item</li></ul>"


def test_headings_keep_level_and_anchor():
    items = mapper().map(parse_blocks(
        '<!-- wp:heading {"level":3,"anchor":"Causes"} --><h3 id="Causes">Causes</h3><!-- /wp:heading -->'
        "<!-- wp:heading {\"level\":6} --><h6>Deep</h6><!-- /wp:heading -->"
    ))
    assert [i["value"] for i in items] == [
        {"text": "Causes", "level": "h3", "anchor": "causes"},
        {"text": "Deep", "level": "h4", "anchor": ""},
    ]


def test_quotes_and_pullquotes():
    items = mapper().map(parse_blocks(
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Calm.</p><cite>A patient</cite>'
        "</blockquote><!-- /wp:quote -->"
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Still.</p>'
        "</blockquote></figure><!-- /wp:pullquote -->"
    ))
    assert [i["value"] for i in items] == [
        {"text": "Calm.", "attribution": "A patient"},
        {"text": "Still.", "attribution": ""},
    ]


def test_images_links_and_unmapped_blocks():
    m = mapper(links={"https://old.example/post/": 42}, images={7: 3})
    items = m.map(parse_blocks(
        '<!-- wp:image {"id":7} --><figure><img src="x.jpg"/><figcaption>Cap</figcaption></figure>'
        "<!-- /wp:image -->"
        '<!-- wp:paragraph --><p><a href="https://old.example/post/">See</a> '
        '<a href="https://else.example/">else</a></p><!-- /wp:paragraph -->'
        "<!-- wp:table --><figure><table><tr><td>Cell</td></tr></table></figure><!-- /wp:table -->"
    ))
    assert items[0] == {"type": "image", "value": {"image": 3, "caption": "Cap", "alt_text": "alt"}}
    assert items[1]["value"] == (
        '<p><a id="42" linktype="page">See</a> <a href="https://else.example/">else</a></p>'
    )
    assert items[2] == {"type": "paragraph", "value": "<p>Cell</p>"}
    assert ("unmapped", "Kept the block core/table as rich text.") in m.notes


def test_a_booking_group_is_a_call_to_action_placed_by_position():
    group = (
        '<!-- wp:group --><div><!-- wp:paragraph --><p>Ready?</p><!-- /wp:paragraph -->'
        "<!-- wp:paragraph --><p>Book today.</p><!-- /wp:paragraph -->"
        '<!-- wp:buttons --><div><!-- wp:button --><div><a href="https://x.example/book">Book now</a>'
        "</div><!-- /wp:button --></div><!-- /wp:buttons --></div><!-- /wp:group -->"
    )
    heading = "<!-- wp:heading --><h2>Middle</h2><!-- /wp:heading -->"
    items = mapper().map(parse_blocks(group + heading + group))
    assert types(items) == ["booking_cta", "heading", "booking_cta"]
    assert items[0]["value"] == {
        "heading": "Ready?", "text": "Book today.", "button_label": "Book now",
        "link_url": "https://x.example/book", "link_page": None, "placement": "intro",
    }
    assert items[2]["value"]["placement"] == "conclusion"


@pytest.mark.parametrize("attrs", [
    '{"questions":[{"jsonQuestion":"Q?","jsonAnswer":"A."}]}',
    '{"questions":[{"question":["Q?"],"answer":["A."]}]}',
])
def test_yoast_faq_from_its_attributes(attrs):
    items = mapper().map(parse_blocks(f"<!-- wp:yoast/faq-block {attrs} --><div></div><!-- /wp:yoast/faq-block -->"))
    assert [(i["value"]["question"], i["value"]["answer"]) for i in items[0]["value"]["items"]] == [
        ("Q?", "<p>A.</p>")
    ]


def test_yoast_faq_from_its_saved_html_when_attributes_are_missing():
    items = mapper().map(parse_blocks(
        '<!-- wp:yoast/faq-block --><div class="schema-faq"><div class="schema-faq-section">'
        '<strong class="schema-faq-question">Q?</strong><p class="schema-faq-answer">A.</p></div>'
        "</div><!-- /wp:yoast/faq-block -->"
    ))
    assert items[0]["value"]["items"][0]["value"] == {"question": "Q?", "answer": "<p>A.</p>"}
