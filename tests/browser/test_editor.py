"""An editor in the Wagtail admin, driving Chromium through the UI only (issue 6).

Scenario 1 composes, previews and publishes an article, then reads it back from the API and the
public page; scenario 2 publishes with errors, finds them at the fields with nothing typed lost,
fixes them and publishes. A third test deletes a treatment and a practitioner that articles use:
the delete page shows where they are used, and the articles keep working.
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import ArticleEditor, expect, login, save_screenshot
from tests.factories import (
    BACK_PAIN_FAQ,
    BACK_PAIN_INTRO,
    PractitionerFactory,
    TreatmentFactory,
    make_article,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Acupuncture for Back Pain"
SLUG = "acupuncture-for-back-pain"
PARAGRAPH = (
    "Back pain is one of the most common health problems people face today, affecting daily "
    "activities and quality of life."
)
KEY_POINTS = [
    (
        "Endorphin Release",
        "Acupuncture encourages the release of endorphins, the body’s natural feel-good hormones.",
    ),
    ("Muscle Relaxation", "Acupuncture targets specific points to release tight muscles."),
]
FAQ = BACK_PAIN_FAQ[:2]
NOTICE = (
    "Remember as we get closer to the end of the year, make sure to use up your remaining health "
    "benefits before they expire!"
)
TREATMENTS = ["Acupuncture For Digestion", "Acupuncture For Migraines"]


@pytest.fixture
def treatments():
    made = [TreatmentFactory(name=name) for name in (*TREATMENTS, "Acupuncture for Athletes")]
    return made[:2]


def text_order(haystack, needles):
    """Positions of ``needles`` in ``haystack``; fails on a missing one."""
    positions = []
    for needle in needles:
        assert needle in haystack, f"{needle!r} is missing"
        positions.append(haystack.index(needle))
    return positions


def test_editor_composes_previews_and_publishes_an_article(index, clinic, treatments, logged_in):
    page = logged_in
    editor = ArticleEditor(page).create_under(index)

    editor.title().fill(TITLE)
    editor.intro().fill(BACK_PAIN_INTRO)

    paragraph = editor.add_block("Paragraph")
    paragraph.type_rich_text(None, PARAGRAPH)

    key_points = editor.add_block("Key points")
    first, *rest = key_points.list_items()
    assert not rest, "a new key points block starts with one empty point"
    second = key_points.add_list_item()
    for item, (title, text) in zip((first, second), KEY_POINTS, strict=True):
        item.fill("title", title)
        item.type_rich_text("text", text)

    faq = editor.add_block("FAQ")
    expect(faq.input("heading")).to_have_value("Frequently Asked Questions")
    items = faq.list_items()
    assert len(items) == 1, "a new FAQ starts with one empty question"
    items.append(faq.add_list_item())
    for item, (question, answer) in zip(items, FAQ, strict=True):
        item.fill("question", question)
        item.type_rich_text("answer", answer)

    # the block chooser groups the package's blocks, and previews a booking call to action
    chooser = editor.open_block_chooser()
    groups = chooser.locator(".w-combobox__optgroup-label")
    expect(groups).to_have_text(["Text", "Media", "Clinic"])
    clinic_group = chooser.locator(".w-combobox__optgroup", has_text="Clinic")
    for label in ("FAQ", "Booking call to action", "Notice", "Related treatments"):
        expect(clinic_group.get_by_role("option", name=label, exact=True)).to_be_visible()
    row = chooser.locator(
        ".w-combobox__option-row", has=page.get_by_role("option", name="Booking call to action")
    )
    row.get_by_role("button", name="Preview").click()
    expect(chooser).to_contain_text("A box inviting readers to book")
    preview_frame = chooser.frame_locator("iframe")
    expect(preview_frame.locator(".acu-cta__button")).to_have_text("Book a consultation")
    save_screenshot(page, "editor-block-chooser-preview.png")

    cta = editor.add_block("Booking call to action", chooser)
    # the clinic's defaults show in the empty fields, and the link the block will use
    expect(cta.input("heading")).to_have_attribute("placeholder", clinic.default_cta_heading)
    expect(cta.input("text")).to_have_attribute("placeholder", clinic.default_cta_text)
    expect(cta.input("button_label")).to_have_attribute(
        "placeholder", clinic.default_cta_button_label
    )
    expect(cta.input("link_url")).to_have_attribute("placeholder", clinic.booking_url)
    hint = cta.element.locator("[data-acupuncture-cta-hint]")
    expect(hint).to_contain_text(f"Link used: {clinic.booking_url}")
    cta.input("placement").select_option("conclusion")

    notice = editor.add_block("Notice")
    notice.type_rich_text("text", NOTICE)
    notice.input("tone").select_option("seasonal")
    notice.fill("starts_at", "2024-10-01 00:00")
    page.keyboard.press("Escape")

    for name in TREATMENTS:
        editor.choose_treatment(name)
    editor.open_tab("Content")
    save_screenshot(page, "editor-new-article.png")

    editor.save_draft()
    expect(editor.messages()).to_contain_text(TITLE)
    page_id = int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))
    expect(editor.status()).to_contain_text("Draft")

    # the preview panel renders the real article, FAQ and notice included
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.locator(".acu-faq__question")).to_have_text([question for question, _ in FAQ])
    expect(preview.locator(".acu-notice")).to_contain_text(NOTICE)
    page.get_by_role("button", name="Toggle preview").click()

    editor.publish()
    expect(editor.messages()).to_contain_text("published")

    # the API delivers every piece, in order
    response = page.request.get("/api/v2/pages/?type=wagtail_acupuncture.ArticlePage&fields=*")
    assert response.ok, response.text()
    (item,) = [item for item in response.json()["items"] if item["id"] == page_id]
    assert item["title"] == TITLE
    assert item["intro"] == BACK_PAIN_INTRO
    body = item["body"]
    assert [block["type"] for block in body] == [
        "paragraph",
        "key_points",
        "faq",
        "booking_cta",
        "notice",
    ]
    assert PARAGRAPH in body[0]["value"]
    assert [point["title"] for point in body[1]["value"]["items"]] == [
        title for title, _ in KEY_POINTS
    ]
    for point, (_title, text) in zip(body[1]["value"]["items"], KEY_POINTS, strict=True):
        assert text in point["text"]
    faq_value = body[2]["value"]
    assert [entry["question"] for entry in faq_value["items"]] == [question for question, _ in FAQ]
    for entry, (_question, answer) in zip(faq_value["items"], FAQ, strict=True):
        assert answer in entry["answer"]
    cta_value = body[3]["value"]
    assert cta_value["heading"] == clinic.default_cta_heading
    assert cta_value["label"] == clinic.default_cta_button_label
    assert cta_value["placement"] == "conclusion"
    assert cta_value["url"].startswith(clinic.booking_url + "?")
    assert NOTICE in body[4]["value"]["text"]
    assert body[4]["value"]["tone"] == "seasonal"
    assert body[4]["value"]["active"] is True
    assert [treatment["name"] for treatment in item["related_treatments"]] == TREATMENTS

    # the public page shows every piece, in order
    page.goto(urlsplit(item["meta"]["html_url"]).path)
    expect(page.locator("h1")).to_have_text(TITLE)
    text = page.locator("main").inner_text()
    positions = text_order(
        text,
        [
            BACK_PAIN_INTRO,
            PARAGRAPH,
            *[title for title, _ in KEY_POINTS],
            *[question for question, _ in FAQ],
            clinic.default_cta_heading,
            NOTICE,
            *TREATMENTS,
        ],
    )
    assert positions == sorted(positions), text
    expect(page.locator(".acu-cta__button")).to_have_attribute(
        "href", re.compile(re.escape(clinic.booking_url))
    )
    save_screenshot(page, "article-published.png", full_page=True)
    assert not page.js_errors


def test_invalid_publish_shows_errors_at_the_fields_and_keeps_everything_typed(
    index, clinic, treatments, logged_in
):
    page = logged_in
    editor = ArticleEditor(page).create_under(index)
    question, answer = FAQ[1]
    editor.title().fill(TITLE)
    editor.intro().fill(BACK_PAIN_INTRO)
    editor.add_block("Paragraph").type_rich_text(None, PARAGRAPH)
    faq = editor.add_block("FAQ")
    (item,) = faq.list_items()
    item.fill("question", question)  # and no answer
    cta = editor.add_block("Booking call to action")
    cta.fill("heading", "Ready to feel better?")
    cta.fill("link_url", "javascript:alert(1)")
    expect(cta.element.locator("[data-acupuncture-cta-hint]")).to_contain_text(
        "will not be accepted"
    )
    notice = editor.add_block("Notice")
    notice.type_rich_text("text", NOTICE)
    notice.fill("starts_at", "2024-12-01 00:00")
    notice.fill("ends_at", "2024-11-01 00:00")  # before the start
    page.keyboard.press("Escape")
    editor.choose_treatment(TREATMENTS[0])
    editor.open_tab("Content")

    editor.publish()
    expect(editor.messages()).to_contain_text("could not be")
    expect(editor.messages()).to_contain_text("validation errors")

    # the errors are shown at the fields
    faq, cta, notice = editor.blocks()[1:]
    (item,) = faq.list_items()
    expect(item.errors("answer")).to_contain_text("This field is required.")
    expect(cta.errors("link_url")).to_contain_text("Enter a full link starting with https://")
    expect(notice.errors("ends_at")).to_contain_text(
        "The end must be after the start of the notice."
    )
    expect(item.errors("question")).to_have_text("")
    save_screenshot(page, "editor-validation-errors.png", locator=cta.element)

    # nothing typed is lost
    expect(editor.title()).to_have_value(TITLE)
    expect(editor.intro()).to_have_value(BACK_PAIN_INTRO)
    paragraph = editor.blocks()[0]
    expect(paragraph.rich_text()).to_have_text(PARAGRAPH)
    expect(faq.input("heading")).to_have_value("Frequently Asked Questions")
    expect(item.input("question")).to_have_value(question)
    expect(cta.input("heading")).to_have_value("Ready to feel better?")
    expect(cta.input("link_url")).to_have_value("javascript:alert(1)")
    expect(notice.rich_text("text")).to_have_text(NOTICE)
    expect(notice.input("starts_at")).to_have_value("2024-12-01 00:00")
    expect(notice.input("ends_at")).to_have_value("2024-11-01 00:00")
    editor.open_tab("Treatments & review")
    expect(page.locator("#id_related_treatments-FORMS")).to_contain_text(TREATMENTS[0])
    editor.open_tab("Content")

    # fixing the three fields is enough to publish
    item.type_rich_text("answer", answer)
    cta.fill("link_url", "https://booking.example.com/back-pain")
    notice.fill("ends_at", "2025-01-01 00:00")
    page.keyboard.press("Escape")
    editor.publish()
    expect(editor.messages()).to_contain_text("published")

    response = page.request.get(
        f"/api/v2/pages/?type=wagtail_acupuncture.ArticlePage&fields=*&slug={SLUG}"
    )
    assert response.ok, response.text()
    (article,) = response.json()["items"]
    assert article["title"] == TITLE
    assert article["intro"] == BACK_PAIN_INTRO
    body = article["body"]
    assert [block["type"] for block in body] == ["paragraph", "faq", "booking_cta", "notice"]
    assert PARAGRAPH in body[0]["value"]
    (entry,) = body[1]["value"]["items"]
    assert entry["question"] == question
    assert answer in entry["answer"]
    assert body[2]["value"]["heading"] == "Ready to feel better?"
    assert body[2]["value"]["url"].startswith("https://booking.example.com/back-pain?")
    assert NOTICE in body[3]["value"]["text"]
    assert body[3]["value"]["starts_at"].startswith("2024-12-01T00:00:00")
    assert body[3]["value"]["ends_at"].startswith("2025-01-01T00:00:00")
    assert [treatment["name"] for treatment in article["related_treatments"]] == TREATMENTS[:1]
    assert not page.js_errors


def delete_from_editor(page, kind, name, article_titles):
    """Open a snippet from the "Treatments & team" menu, check the delete page names its usage,
    delete it."""
    page.goto("/admin/")
    page.get_by_role("button", name="Treatments & team").click()
    page.get_by_role("link", name=kind).click()
    page.get_by_role("link", name=name, exact=True).first.click()
    page.get_by_role("button", name="Actions", exact=True).click()
    page.get_by_role("link", name="Delete").click()
    expect(page.locator("#main")).to_contain_text(
        re.compile(rf"is referenced {len(article_titles)} times?")
    )
    save_screenshot(page, f"snippet-delete-{kind.lower()}.png")
    delete_url = page.url
    page.get_by_role("link", name=re.compile(r"referenced")).click()
    for title in article_titles:
        expect(page.locator("#main")).to_contain_text(title)
    page.goto(delete_url)
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(".messages")).to_contain_text("deleted")


def test_deleting_used_snippets_shows_usage_and_never_breaks_articles(
    seed_article, index, editor, page
):
    digestion = seed_article.related_treatments.first().treatment
    teaser = make_article(
        index,
        title="Treatments for the gut",
        body=[
            {
                "type": "related_treatments",
                "value": {"heading": "Explore", "treatments": [digestion.pk]},
            }
        ],
    )
    login(page)
    delete_from_editor(
        page,
        "Treatments",
        digestion.name,
        [
            seed_article.title,
            "Acupuncture For Migraines: A Drug-Free Approach to Pain Relief",
            teaser.title,
        ],
    )
    delete_from_editor(page, "Practitioners", "Alex Morgan", [seed_article.title])

    for url in (seed_article.url, teaser.url, index.url):
        response = page.goto(url)
        assert response.status == 200, url
    page.goto(seed_article.url)
    expect(page.locator("h1")).to_have_text(seed_article.title)
    expect(page.locator(".acu-faq__item")).to_have_count(len(BACK_PAIN_FAQ))
    expect(page.locator("main")).not_to_contain_text(digestion.name)
    expect(page.locator(".acu-related-treatments")).to_contain_text("Acupuncture for Athletes")
    expect(page.locator(".acu-byline")).not_to_contain_text("Alex Morgan")
    expect(page.locator(".acu-byline")).to_contain_text("Reviewed by Sam Rivera")
    response = page.request.get(f"/api/v2/pages/{seed_article.pk}/")
    assert response.ok, response.text()
    data = response.json()
    assert data["author"] is None
    assert [treatment["name"] for treatment in data["related_treatments"]] == [
        "Acupuncture for Athletes"
    ]
    response = page.request.get(f"/api/v2/pages/{teaser.pk}/")
    assert response.ok, response.text()
    assert response.json()["body"][0]["value"]["treatments"] == []


def test_cta_note_follows_the_link_page_and_author(home, index, clinic, logged_in):
    PractitionerFactory(name="Alex Morgan", credentials="L.Ac.", booking_url="tel:+15035550100")
    page = logged_in
    editor = ArticleEditor(page).create_under(index)
    cta = editor.add_block("Booking call to action")
    note = cta.element.locator("[data-acupuncture-cta-hint]")
    expect(note).to_contain_text(f"Link used: {clinic.booking_url} (the clinic's default")

    cta.fill("link_url", "tel:+15035550199")
    expect(note).to_contain_text("Link used: the link URL entered below.")
    cta.fill("link_url", "javascript:alert(1)")
    expect(note).to_contain_text("will not be accepted: it must start with http://, https://")
    cta.fill("link_url", "")
    expect(note).to_contain_text(f"Link used: {clinic.booking_url}")

    cta.element.get_by_role("button", name="Choose a page").click()
    page.locator(".modal-dialog").get_by_role("link", name=home.title, exact=True).click()
    expect(note).to_contain_text("the chosen page while it is published; otherwise")

    # a block added later, here by duplicating this one, gets the note too
    cta.element.locator("[data-streamfield-action='DUPLICATE']").first.click()
    expect(page.locator("[data-acupuncture-cta-hint]")).to_have_count(2)

    # choosing the author switches the fallback to the author's booking link
    editor.open_tab("Treatments & review")
    page.get_by_role("button", name="Choose practitioner").first.click()
    page.locator(".modal-dialog").get_by_role("link", name="Alex Morgan").click()
    editor.open_tab("Content")
    duplicate = editor.blocks()[-1]
    expect(duplicate.element.locator("[data-acupuncture-cta-hint]")).to_contain_text(
        "otherwise tel:+15035550100 (the author's booking link)"
    )
    fresh = editor.add_block("Booking call to action")
    expect(fresh.element.locator("[data-acupuncture-cta-hint]")).to_contain_text(
        "Link used: tel:+15035550100 (the booking link of the author, Alex Morgan, L.Ac.)"
    )
    expect(fresh.input("link_url")).to_have_attribute("placeholder", "tel:+15035550100")
    assert not page.js_errors
