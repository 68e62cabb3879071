"""A reader on the published article (issue 6, scenario 3): the FAQ works with the keyboard alone
and focus is always visible; the README's screenshot of the article is taken here."""

import pytest

from tests.browser.helpers import expect, save_screenshot
from tests.factories import BACK_PAIN_FAQ

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 80


def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def focus_ring(locator):
    """The computed outline of the focused element, and whether it matches :focus-visible."""
    return locator.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return {
                focusVisible: element.matches(':focus-visible'),
                style: style.outlineStyle,
                width: parseFloat(style.outlineWidth) || 0,
                color: style.outlineColor,
            };
        }"""
    )


def tab_to(page, locator):
    """Press Tab until ``locator`` has the focus; return how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(locator):
            return presses
    raise AssertionError(f"{locator} never got the focus in {MAX_TABS} presses of Tab")


def assert_visible_focus(locator):
    ring = focus_ring(locator)
    assert ring["focusVisible"], ring
    assert ring["style"] not in ("none", "hidden"), ring
    assert ring["width"] >= 2, ring


def test_faq_opens_and_closes_with_the_keyboard(seed_article, page):
    page.goto(seed_article.url)

    skip_link = page.get_by_role("link", name="Skip to content")
    page.keyboard.press("Tab")
    assert focused(skip_link), "the skip link is the first stop"
    expect(skip_link).to_be_in_viewport()
    assert_visible_focus(skip_link)

    items = page.locator(".acu-faq__item")
    summaries = page.locator(".acu-faq__summary")
    expect(summaries).to_have_count(len(BACK_PAIN_FAQ))
    first, answer = items.first, items.first.locator(".acu-faq__answer")
    tab_to(page, summaries.first)
    assert_visible_focus(summaries.first)
    expect(answer).to_be_hidden()

    page.keyboard.press("Enter")
    expect(first).to_have_js_property("open", True)
    expect(answer).to_be_visible()
    expect(answer).to_contain_text(BACK_PAIN_FAQ[0][1])
    assert focused(summaries.first), "the focus stays on the question"
    assert_visible_focus(summaries.first)
    save_screenshot(page, "article-faq-open-keyboard.png", locator=page.locator(".acu-faq"))

    page.keyboard.press("Enter")
    expect(first).to_have_js_property("open", False)
    expect(answer).to_be_hidden()

    page.keyboard.press("Space")
    expect(first).to_have_js_property("open", True)
    page.keyboard.press("Space")
    expect(first).to_have_js_property("open", False)

    # the next question is the next stop, and opens on its own
    page.keyboard.press("Tab")
    assert focused(summaries.nth(1))
    assert_visible_focus(summaries.nth(1))
    page.keyboard.press("Enter")
    expect(items.nth(1)).to_have_js_property("open", True)
    expect(first).to_have_js_property("open", False)
    assert not page.js_errors


def test_links_and_buttons_show_focus(seed_article, page):
    """Every link and summary of the article shows a visible focus ring when tabbed to."""
    page.goto(seed_article.url)
    seen = 0
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = page.locator(":focus")
        if not active.count() or not page.evaluate("document.activeElement.closest('main')"):
            if seen:
                break
            continue
        seen += 1
        assert_visible_focus(active)
    assert seen >= len(BACK_PAIN_FAQ)


def test_article_screenshot_and_small_screens(seed_article, page):
    page.goto(seed_article.url)
    page.locator(".acu-faq__summary").first.click()
    save_screenshot(page, "article.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(seed_article.url)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the article scrolls sideways on a phone ({overflow}px)"
    save_screenshot(page, "article-phone.png", full_page=True)
