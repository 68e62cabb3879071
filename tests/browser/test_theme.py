"""The example project's clinic theme with the demo content, at 1280 and 390 px: the package's
pages inside the theme's layout (``BASE_TEMPLATE``), with header, navigation, booking button and
footer, no sideways scrolling on a phone, images with their size, print styles for articles,
and axe-core clean. The README's screenshots of the site are taken here."""

import pytest

from tests.browser.helpers import (
    axe_violations,
    expect,
    format_violations,
    heading_levels,
    outline_problems,
    save_screenshot,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/blog/acupuncture-for-back-pain/"
PAGES = {
    "home": "/",
    "blog": "/blog/",
    "article": ARTICLE,
    "treatment": "/blog/?treatment=digestion",
}
WIDTHS = (1280, 390)


@pytest.fixture
def demo(settings):
    """The demo content, loaded as ``make demo`` does, served in the clinic theme."""
    from clinic.demo.loader import DemoLoader

    settings.WAGTAIL_ACUPUNCTURE = {"BASE_TEMPLATE": "clinic/base.html"}
    DemoLoader().load()


def assert_layout(page):
    header = page.locator("header.clinic-header")
    expect(header).to_be_visible()
    expect(header.locator(".clinic-header__logo")).to_be_visible()
    expect(header.get_by_text("Example Acupuncture Clinic")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Blog")).to_be_visible()
    expect(header.get_by_role("link", name="Book a consultation")).to_have_attribute(
        "href", "https://booking.example.com/example-acupuncture-clinic"
    )
    footer = page.locator("footer.clinic-footer")
    expect(footer).to_be_visible()
    expect(footer.get_by_text("123 Example Street")).to_be_visible()
    expect(footer.get_by_role("link", name="+1-503-555-0100")).to_be_visible()
    expect(footer.get_by_role("heading", name="Opening hours")).to_be_visible()
    expect(footer.locator(".clinic-hours__row")).to_have_count(3)
    expect(footer.get_by_role("link", name="social.example.com/example-acupuncture-clinic")).to_be_visible()
    expect(page.locator("main#main")).to_have_count(1)


def assert_no_overflow(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways ({overflow}px)"


def assert_images_have_sizes(page):
    unsized = page.evaluate(
        """[...document.images]
            .filter(img => !img.getAttribute('width') || !img.getAttribute('height'))
            .map(img => img.outerHTML.slice(0, 120))"""
    )
    assert unsized == [], unsized


def load_lazy_images(page):
    """Load the images below the fold (``loading="lazy"``), for a full-page screenshot."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    problems = outline_problems(heading_levels(page, "main"))
    assert not problems, problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_theme_pages(demo, page, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(PAGES[name])
    assert response.status == 200
    assert_layout(page)
    assert_no_overflow(page)
    assert_images_have_sizes(page)
    assert_accessible(page)
    stylesheets = page.eval_on_selector_all(
        "head link[rel=stylesheet]", "links => links.map(l => new URL(l.href).pathname)"
    )
    assert "/static/clinic/css/theme.css" in stylesheets
    if name != "home":
        assert "/static/wagtail_acupuncture/css/acupuncture.css" in stylesheets
        expect(page.locator("head script[type='application/ld+json']")).to_have_count(1)
    load_lazy_images(page)
    suffix = "" if width == 1280 else "-phone"
    docs = {"home": "home", "blog": "blog", "article": "article"}.get(name)
    save_screenshot(
        page,
        f"theme-{name}{suffix}.png",
        docs_name=f"{docs}{suffix}.png" if docs else None,
        full_page=name == "article" and width == 1280,
    )


def test_treatment_filter_lists_the_treatments_article(demo, page):
    page.goto(PAGES["treatment"])
    cards = page.locator(".acu-index__list .acu-card__title")
    expect(cards).to_have_count(1)
    expect(cards).to_have_text("Acupuncture For Digestion: Bloating, IBS, And Reflux Relief!")
    expect(page.locator(".acu-index__filters [aria-current=page]")).to_have_text(
        "Acupuncture for digestion"
    )


def test_article_shows_reviewer_related_articles_and_navigation_state(demo, page):
    page.goto(ARTICLE)
    expect(page.get_by_text("Reviewed by Demo Reviewer")).to_be_visible()
    expect(page.locator(".acu-related-articles .acu-card")).to_have_count(3)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Blog")).to_have_attribute(
        "aria-current", "true"
    )
    assert page.title() == "Acupuncture for Back Pain in Portland"


def test_article_print_styles(demo, page):
    page.goto(ARTICLE)
    page.emulate_media(media="print")
    for selector in (".clinic-nav", ".clinic-header__book", ".acu-cta", ".acu-related-articles"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    expect(page.locator(".acu-article__title")).to_be_visible()
    expect(page.locator(".acu-article__body")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".clinic-nav")).to_be_visible()


def test_favicon_and_readable_line_length(demo, page):
    page.goto(ARTICLE)
    icon = page.locator("head link[rel=icon]")
    assert page.request.get(icon.get_attribute("href")).status == 200
    # about 60-80 characters a line: the body text column is at most 44rem wide
    width = page.locator(".acu-article__body p").first.evaluate("p => p.getBoundingClientRect().width")
    font = page.locator(".acu-article__body p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert width / font <= 40, (width, font)
