"""The editorial "Articles" index (wagtail-modeladmin) at 1280 and 1440 px: whole words in the
titles, one actions menu per row, a short treatments column. The README's screenshot of the
index is taken here."""

import re

import pytest

from tests.browser.helpers import expect, login, save_screenshot
from tests.factories import TreatmentFactory, make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLES = [
    "Acupuncture for Back Pain",
    "Acupuncture For Digestion: Bloating, IBS, And Reflux Relief!",
    "Acupuncture for Athletes: Improving Recovery, Performance, and Injury Prevention",
    "Natural Approaches to Endometriosis Pain Relief with Acupuncture",
]

#: Words of an element's text that the browser broke over two lines.
BROKEN_WORDS = """element => {
    const broken = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (lines.size > 1) broken.push(match[0]);
        }
    }
    return broken;
}"""


@pytest.fixture
def articles(index, clinic):
    treatments = [
        TreatmentFactory(name=name)
        for name in (
            "Acupuncture for back pain",
            "Acupuncture for digestion",
            "Acupuncture for athletes",
            "Acupuncture for endometriosis",
        )
    ]
    pages = [make_article(index, title=title, treatments=treatments[: n + 1]) for n, title in enumerate(TITLES)]
    make_article(index, title="A draft about cupping", live=False)
    return pages


@pytest.mark.parametrize("width", [1280, 1440])
def test_articles_index_layout(articles, editor, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page)
    page.goto("/admin/wagtail_acupuncture/articlepage/")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(len(TITLES) + 1)

    for row in rows.all():
        title = row.locator(".acu-index-row__title")
        assert title.evaluate(BROKEN_WORDS) == [], title.inner_text()
        # one menu, no stacked buttons
        expect(row.locator(".w-dropdown__toggle")).to_have_count(1)
        expect(row.locator("ul.actions")).to_have_count(0)
        for cell in row.locator("td").all():
            assert cell.evaluate(BROKEN_WORDS) == [], cell.inner_text()

    # the treatments column: two names and "+N", every name on hover
    last = rows.filter(has=page.get_by_role("link", name=TITLES[-1], exact=True))
    treatments = last.locator(".acu-index-treatments")
    expect(treatments).to_have_text(re.compile(r"^Acupuncture for back pain, Acupuncture for digestion\s*\+2$"))
    assert "Acupuncture for endometriosis" in treatments.get_attribute("title")

    # the title opens the editor; the menu holds the row's actions
    first = rows.filter(has=page.get_by_role("link", name=TITLES[0], exact=True))
    href = first.locator(".acu-index-row__title").get_attribute("href")
    assert re.match(rf"^/admin/pages/{articles[0].pk}/edit/", href)
    first.locator(".w-dropdown__toggle").click()
    menu = page.locator(".w-dropdown__content:visible, [data-tippy-root] .w-dropdown__content").last
    for label in ("Edit", "View live", "Copy", "Unpublish", "Delete"):
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    draft = rows.filter(has=page.get_by_role("link", name="A draft about cupping", exact=True))
    draft.locator(".w-dropdown__toggle").click()
    draft_menu = page.locator("[data-tippy-root] .w-dropdown__content").last
    expect(draft_menu.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    expect(draft_menu.get_by_role("link", name="View live")).to_have_count(0)
    page.keyboard.press("Escape")

    # one "Clinic" in the admin menu: the settings; the snippets have their own name
    sidebar = page.locator("#wagtail-sidebar")
    expect(sidebar.get_by_role("button", name="Treatments & team")).to_have_count(1)
    expect(sidebar.get_by_role("button", name="Clinic", exact=True)).to_have_count(0)
    sidebar.get_by_role("button", name="Settings").click()
    expect(sidebar.get_by_role("link", name="Clinic", exact=True)).to_have_count(1)
    page.keyboard.press("Escape")
    save_screenshot(
        page, f"articles-index-{width}.png", docs_name="articles-index.png" if width == 1440 else None
    )
