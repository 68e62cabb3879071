"""The Next.js starter against the demo: every block as the package renders it (with a
references block, a sidebar call to action and a medical disclaimer added by the test), booking
buttons and their booking_click event, the FAQ by keyboard, axe, JSON-LD, draft preview through
signed tokens, and revalidation on publish."""

import hashlib
import hmac
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from tests.browser.helpers import expect, format_violations
from tests.frontend.conftest import FRONTEND, run
from wagtail_acupuncture.delivery.webhooks import sign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/blog/acupuncture-for-back-pain/"

#: The author's booking page on Jane, opening in a new tab (the demo's author has a plain URL).
JANE = [{"type": "jane", "value": {"clinic": "myclinic", "staff_member": "12", "new_tab": True}}]

#: Placeholder references (never real citations); the "<i>" must be printed as text.
REFERENCES = {
    "heading": "References",
    "items": [
        {"title": "Title of the study <i>not markup</i>", "authors": "Surname AB, Surname CD",
         "publisher": "Journal name", "year": 2020, "url": "", "doi": "10.1000/example.1",
         "pmid": "12345678"},
        {"title": "Title of the book", "authors": "", "publisher": "", "year": None,
         "url": "https://example.com/book", "doi": "", "pmid": ""},
        {"title": "Title without a link", "authors": "Surname EF", "publisher": "Publisher",
         "year": None, "url": "", "doi": "", "pmid": ""},
    ],
}

#: Read back from each booking button, on the package's page and the starter's alike.
BUTTON_FIELDS = """buttons => buttons.map(button => ({
    href: button.getAttribute("href"),
    target: button.getAttribute("target"),
    rel: button.getAttribute("rel"),
    placement: button.getAttribute("data-cta-placement"),
    article: button.getAttribute("data-cta-article"),
    provider: button.getAttribute("data-booking-provider"),
    bookingPlacement: button.getAttribute("data-booking-placement"),
    practitioner: button.getAttribute("data-booking-practitioner"),
    hidden: Array.from(button.querySelectorAll(".acu-visually-hidden"), span => span.textContent.trim()),
    text: button.textContent.replace(/\\s+/g, " ").trim(),
}))"""

#: Clicks every booking button with consent granted, then with it denied; returns the
#: dataLayer (navigation is prevented after the package's/starter's capturing listener ran).
CLICK_BOOKINGS = """() => {
    const stay = event => event.preventDefault();
    window.addEventListener("click", stay);
    window.dataLayer = [];
    const buttons = Array.from(document.querySelectorAll("a.acu-cta__button"));
    document.documentElement.setAttribute("data-acupuncture-consent", "granted");
    buttons.forEach(button => button.click());
    document.documentElement.setAttribute("data-acupuncture-consent", "denied");
    buttons.forEach(button => button.click());
    document.documentElement.removeAttribute("data-acupuncture-consent");
    window.dataLayer.push(["consent", "update", {analytics_storage: "granted"}]);
    buttons.slice(0, 1).forEach(button => button.click());
    window.removeEventListener("click", stay);
    return window.dataLayer;
}"""


def add_test_content(article):
    """What the demo lacks: a references block, a call to action beside the text (booked with
    the author on Jane, in a new tab) and the article's medical disclaimer; published."""
    author = article.author
    author.booking_target = JANE
    author.save()
    article.body.append(("references", REFERENCES))
    article.body.append(("booking_cta", {"heading": "", "text": "", "button_label": "",
                                         "link_url": "", "link_page": None, "placement": "sidebar"}))
    # Text from the client's article; rich text as the editor stores it.
    article.medical_disclaimer = (
        "<p>If you’re interested in learning more, <b>book a consultation</b> or contact us today.</p>"
    )
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def inner_html(page, selector):
    return page.locator(selector).first.evaluate("element => element.innerHTML")


def reference_fields(page):
    """Each reference's text and links."""
    return page.locator(".acu-references__item").evaluate_all(
        """items => items.map(item => ({
            id: item.id,
            text: item.textContent.replace(/\\s+/g, " ").trim(),
            links: Array.from(item.querySelectorAll("a"), a => [a.textContent, a.getAttribute("href")]),
            elements: item.querySelectorAll("i, script").length,
        }))"""
    )


def all_axe_violations(page):
    """Every axe-core violation on the page, whatever its impact (``[{id, impact, help,
    nodes}]`` as ``tests.browser.helpers.axe_violations``, which counts serious and critical only)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [{"target": node["target"], "html": node["html"][:300]} for node in violation["nodes"]],
        }
        for violation in results.response["violations"]
    ]


def text_of(page, selector):
    """The text content of ``selector``, whitespace collapsed (the same for open and closed
    disclosures)."""
    raw = page.locator(selector).first.evaluate("element => element.textContent")
    return re.sub(r"\s+", " ", raw).strip()


def bare(text):
    """``text`` without whitespace."""
    return re.sub(r"\s+", "", text)


def block_texts(page):
    """The text of each child of the article body, whitespace removed."""
    return page.locator(".acu-article__body").evaluate(
        "body => Array.from(body.children, child => child.textContent.replace(/\\s+/g, ''))"
    )


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_delivery(known, timeout=60):
    """The first succeeded delivery whose id is not in ``known`` (ids are UUIDs: not ordered)."""
    from wagtail_acupuncture.models import WebhookDelivery

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = WebhookDelivery.objects.exclude(pk__in=known)
        done = new.filter(status="succeeded")
        if done.exists():
            return done.first()
        failed = new.filter(status="failed").first()
        assert failed is None, f"webhook failed: {failed.response_status} {failed.last_error}"
        time.sleep(0.3)
    raise AssertionError("the webhook was not delivered")


def test_types_are_current_and_compile(frontend_installed):
    """The committed src/api/types.d.ts is what acupuncture_api_schema writes; tsc passes."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example_project.settings.dev"}
    generated = subprocess.run(
        [sys.executable, "manage.py", "acupuncture_api_schema", "--format", "typescript"],
        cwd=FRONTEND.parent, env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    committed = (FRONTEND / "src" / "api" / "types.d.ts").read_text()
    assert committed == generated, (
        "src/api/types.d.ts is out of date: run `npm run types` in example_project/frontend"
    )
    run(["node_modules/.bin/tsc", "--noEmit"], frontend_installed)


def test_starter_renders_previews_and_revalidates(page, server, frontend, settings):
    from wagtail_acupuncture.models import ArticlePage, WebhookDelivery

    call_command("load_acupuncture_demo", "--site-url", server, stdout=io.StringIO())
    # Before the webhooks are configured: the starter renders the page on its first visit.
    article = add_test_content(ArticlePage.objects.get(slug="acupuncture-for-back-pain"))
    settings.WAGTAIL_ACUPUNCTURE = {
        **settings.WAGTAIL_ACUPUNCTURE,
        "REVALIDATE_WEBHOOKS": [{"url": f"{frontend.url}/api/revalidate/", "secret": frontend.secret}],
        "HEADLESS_PREVIEW_URL": f"{frontend.url}/api/preview/",
        "HEADLESS_PREVIEW_MODE": None,
    }

    # 1. Every block, with the same text as the package's own page.
    page.goto(f"{server}{ARTICLE_PATH}")
    package_blocks = block_texts(page)
    package_title = text_of(page, ".acu-article__title")
    package_sidebar = text_of(page, ".acu-article__sidebar")
    package_disclaimer = text_of(page, ".acu-disclaimer")
    package_disclaimer_html = inner_html(page, ".acu-disclaimer")
    package_references = reference_fields(page)
    package_buttons = page.locator("a.acu-cta__button").evaluate_all(BUTTON_FIELDS)
    package_events = page.evaluate(CLICK_BOOKINGS)
    page.goto(f"{frontend.url}{ARTICLE_PATH}")
    assert text_of(page, ".acu-article__title") == package_title
    # Block by block (the body's children, in order), text compared without whitespace:
    # templates put line breaks between elements where React puts none.
    assert block_texts(page) == package_blocks
    sidebar = [block for block in article.body if block.block_type == "booking_cta" and block.value["placement"] == "sidebar"]
    # A notice outside its window is absent; sidebar blocks are beside the body.
    assert len(package_blocks) >= len(article.body) - 1 - len(sidebar)
    # Text compared without whitespace, as the blocks.
    assert len(sidebar) == 1 and bare(text_of(page, ".acu-article__sidebar")) == bare(package_sidebar)
    assert page.locator(".acu-article__layout > .acu-article__sidebar .acu-cta--sidebar").count() == 1
    # References: numbered, the same text and links; the title's "<i>" is text.
    assert page.locator(".acu-references ol.acu-references__list > li").count() == len(REFERENCES["items"])
    assert reference_fields(page) == package_references
    assert package_references[0]["links"][0][1] == "https://doi.org/10.1000/example.1"
    assert "<i>not markup</i>" in package_references[0]["text"]
    assert all(item["elements"] == 0 for item in package_references)
    # The disclaimer: the API's rich text HTML, after the body as on the package's page.
    expect(page.locator(".acu-article__layout + .acu-disclaimer[aria-label='Medical disclaimer']")).to_have_count(1)
    assert bare(text_of(page, ".acu-disclaimer")) == bare(package_disclaimer)
    assert inner_html(page, ".acu-disclaimer > div") == package_disclaimer_html.strip()
    # Booking buttons: the package's href, data-booking-* attributes and accessible name.
    buttons = page.locator("a.acu-cta__button").evaluate_all(BUTTON_FIELDS)
    assert buttons == package_buttons
    booked_with_author = [button for button in buttons if button["provider"] == "jane"]
    assert booked_with_author, buttons
    for button in booked_with_author:
        assert button["practitioner"] == article.author.name
        assert button["hidden"] == [f"with {article.author.name}", "(opens in a new tab)"]
        assert (button["target"], button["rel"]) == ("_blank", "noopener")
    name = page.get_by_role("link", name=f"with {article.author.name} (opens in a new tab)")
    assert name.count() == len(booked_with_author)
    # booking_click: the same events as the package's script, only with consent.
    events = page.evaluate(CLICK_BOOKINGS)
    assert events == package_events
    pushed = [event for event in events if isinstance(event, dict)]
    # Each button once while granted, none while denied, the first under Consent Mode.
    assert len(pushed) == len(buttons) + 1, json.dumps(events)
    assert set(pushed[0]) == {"event", "provider", "placement", "practitioner"}
    assert {"event": "booking_click", "provider": "jane", "placement": "sidebar",
            "practitioner": article.author.name} in pushed
    block_types = {block.block_type for block in article.body}
    selectors = {
        "heading": ".acu-heading",
        "paragraph": ".acu-paragraph",
        "key_points": ".acu-key-points",
        "image": ".acu-figure",
        "quote": ".acu-quote",
        "faq": ".acu-faq",
        "booking_cta": ".acu-cta[data-cta-placement] a.acu-cta__button[href*='utm_source']",
        "notice": ".acu-notice",
        "related_treatments": ".acu-related-treatments-block",
        "references": ".acu-references ol.acu-references__list",
    }
    for block_type in block_types:
        assert page.locator(f".acu-article__body {selectors[block_type]}").count() > 0, block_type
    assert page.locator(".acu-byline__author").count() == 1
    assert page.title().startswith(article.seo_title or article.title)
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == f"{frontend.url}{ARTICLE_PATH}"
    assert page.locator("meta[property='og:title']").count() == 1

    # JSON-LD: the API's structured_data, printed with "<" escaped.
    script = page.locator("script[type='application/ld+json']").first
    raw = script.evaluate("element => element.textContent")
    api = json.loads(urllib.request.urlopen(f"{server}/api/v2/pages/{article.pk}/").read())
    assert json.loads(raw) == api["structured_data"]
    assert "<" not in raw

    # 2. The FAQ opens by keyboard.
    summary = page.locator(".acu-faq__summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".acu-faq__item").first).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(page.locator(".acu-faq__item").first).not_to_have_attribute("open", "")

    # 3. axe: no serious or critical violation.
    violations = all_axe_violations(page)
    assert not violations, format_violations(violations)

    # 4. A forged webhook is refused.
    body = json.dumps({"event": "published", "id": "x", "paths": [ARTICLE_PATH]}).encode()
    hook = f"{frontend.url}/api/revalidate/"
    json_type = {"Content-Type": "application/json"}
    assert post(hook, body, json_type)[0] == 401
    forged = sign(body, "not-the-secret")
    assert post(hook, body, {**json_type, "X-Acupuncture-Signature": forged})[0] == 401
    stale = sign(body, frontend.secret, timestamp=int(time.time()) - 3600)
    assert post(hook, body, {**json_type, "X-Acupuncture-Signature": stale})[0] == 401
    good = sign(body, frontend.secret)
    tampered = body.replace(b"published", b"deleted")
    assert post(hook, tampered, {**json_type, "X-Acupuncture-Signature": good})[0] == 401
    status, answer = post(hook, body, {**json_type, "X-Acupuncture-Signature": good})
    assert status == 200 and json.loads(answer)["revalidated"] is True
    # The signature is the package's: HMAC-SHA256 of "<t>." + body.
    t, v1 = (item.split("=", 1)[1] for item in good.split(","))
    assert v1 == hmac.new(frontend.secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()

    # 5. A draft is visible through preview, not on the public page.
    draft_title = "Acupuncture for Back Pain: what to expect"
    article.title = draft_title
    revision = article.save_revision()
    request = RequestFactory().get(f"/admin/pages/{article.pk}/edit/preview/")
    request.user = None
    redirect = article.specific.serve_preview(request, article.default_preview_mode)
    preview_url = redirect["Location"]
    assert preview_url.startswith(f"{frontend.url}/api/preview/?")
    page.goto(preview_url)
    expect(page.locator(".acu-article__title")).to_have_text(draft_title)
    assert page.url.startswith(f"{frontend.url}/preview")
    public = page.context.browser.new_context()
    try:
        reader = public.new_page()
        # Rendered again after the signed webhook above, then served from Next's cache: without
        # a webhook it stays as it is.
        response = reader.goto(f"{frontend.url}{ARTICLE_PATH}")
        assert response.headers.get("x-nextjs-cache") == "MISS"
        response = reader.goto(f"{frontend.url}{ARTICLE_PATH}")
        assert response.headers.get("x-nextjs-cache") == "HIT"
        expect(reader.locator(".acu-article__title")).to_have_text(package_title)
        # A forged token shows an error page, never content.
        response = reader.goto(f"{frontend.url}/api/preview/?token=forged:1:x&content_type=wagtail_acupuncture.articlepage")
        assert response.status == 403
        assert reader.locator(".acu-article__title").count() == 0
        assert draft_title not in reader.content()
        response = reader.goto(f"{frontend.url}/preview/")
        assert reader.locator(".acu-article__title").count() == 0

        # 6. Publishing sends the webhook; after it the public page shows the change.
        known = set(WebhookDelivery.objects.values_list("pk", flat=True))
        revision.publish()
        delivery = wait_for_delivery(known)
        assert ARTICLE_PATH in delivery.payload["paths"]
        reader.goto(f"{frontend.url}{ARTICLE_PATH}")
        expect(reader.locator(".acu-article__title")).to_have_text(draft_title)

        # 7. An expired token: a 401 page, no content.
        settings.WAGTAIL_ACUPUNCTURE = {
            **settings.WAGTAIL_ACUPUNCTURE,
            "HEADLESS_PREVIEW_TOKEN_MAX_AGE": 1,
        }
        article.refresh_from_db()
        article.intro = "An unpublished intro that must not be shown."
        expired_url = article.serve_preview(request, article.default_preview_mode)["Location"]
        time.sleep(2.5)
        response = reader.goto(expired_url)
        assert response.status == 401
        assert "expired" in reader.content()
        assert article.intro not in reader.content()
    finally:
        public.close()


def test_home_index_and_treatment_filter(page, server, frontend):
    from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, Treatment

    call_command("load_acupuncture_demo", "--site-url", server, stdout=io.StringIO())
    page.goto(f"{frontend.url}/")
    from clinic.models import HomePage

    home = HomePage.objects.get()
    expect(page.locator("h1")).to_have_text(home.title)
    assert page.locator(".acu-card--article").count() >= 1
    violations = all_axe_violations(page)
    assert not violations, format_violations(violations)

    index = ArticleIndexPage.objects.get()
    treatment = next(
        t for t in Treatment.objects.filter(live=True).order_by("pk")
        if ArticlePage.objects.live().filter(related_treatments__treatment=t).exists()
    )
    expected = set(
        ArticlePage.objects.live().public().child_of(index)
        .filter(related_treatments__treatment=treatment).values_list("title", flat=True)
    )
    page.goto(f"{frontend.url}{index.url}")
    assert page.locator(".acu-card--article").count() == ArticlePage.objects.live().child_of(index).count()
    page.select_option("#treatment-filter", treatment.slug)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"treatment={treatment.slug}"))
    titles = set(page.locator(".acu-card--article .acu-card__title").all_inner_texts())
    assert titles == expected
    violations = all_axe_violations(page)
    assert not violations, format_violations(violations)

    page.goto(f"{frontend.url}/treatments/")
    # Treatments linked to pages of the Wagtail site link to the starter's own paths.
    hrefs = page.locator(".acu-card--treatment .acu-card__title a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert hrefs and all(href.startswith("/") for href in hrefs), hrefs
    names = page.locator(".acu-card--treatment .acu-card__title").all_inner_texts()
    assert names == list(Treatment.objects.filter(live=True).order_by("name", "pk").values_list("name", flat=True))
    violations = all_axe_violations(page)
    assert not violations, format_violations(violations)
    assert page.goto(f"{frontend.url}/no-such-page/").status == 404
