"""A reader clicks a booking button: the `booking_click` event reaches `window.dataLayer` only
with analytics consent, carrying provider, placement and practitioner and nothing else."""

import json

import pytest

from tests.api_fixtures import booking_cta
from tests.browser.helpers import expect, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JANE = [{"type": "jane", "value": {"clinic": "myclinic", "staff_member": "12", "new_tab": True}}]
ACUITY = [{"type": "acuity", "value": {"account": "clinic", "appointment_type": "7"}}]


@pytest.fixture
def article(index, clinic):
    from tests.factories import PractitionerFactory, TreatmentFactory, make_article

    return make_article(
        index,
        slug="acupuncture-for-back-pain",
        author=PractitionerFactory(name="Alex Morgan", booking_target=JANE),
        treatments=[TreatmentFactory(name="Acupuncture for digestion", booking_target=ACUITY)],
        body=[booking_cta("cta", placement="conclusion")],
    )


@pytest.fixture
def treatment_article(index, clinic):
    from tests.factories import TreatmentFactory, make_article

    return make_article(
        index,
        slug="acupuncture-for-digestion",
        treatments=[TreatmentFactory(name="Acupuncture for digestion", booking_target=ACUITY)],
        body=[booking_cta("cta", placement="sidebar")],
    )


def open_article(page, article, consent_script=""):
    """Open ``article`` with clicks kept on the page (links are not followed), after
    ``consent_script`` ran as the site's consent banner would."""
    if consent_script:
        page.add_init_script(consent_script)
    page.goto(article.url)
    page.evaluate("document.addEventListener('click', event => event.preventDefault())")


def booking_events(page):
    return page.evaluate(
        "JSON.stringify((window.dataLayer || []).filter(e => e && e.event === 'booking_click'))"
    )


def test_no_event_without_consent(page, article):
    open_article(page, article)
    button = page.get_by_role(
        "link", name="Book a consultation with Alex Morgan (opens in a new tab)"
    )
    expect(button).to_have_attribute("target", "_blank")
    button.click()
    assert json.loads(booking_events(page)) == []
    assert page.js_errors == []


def test_event_with_consent_carries_provider_placement_practitioner_only(page, article):
    open_article(
        page,
        article,
        "document.addEventListener('DOMContentLoaded', () => "
        "document.documentElement.setAttribute('data-acupuncture-consent', 'granted'))",
    )
    page.get_by_role("link", name="Book a consultation with Alex Morgan (opens in a new tab)").click()
    (event,) = json.loads(booking_events(page))
    assert event == {
        "event": "booking_click",
        "provider": "jane",
        "placement": "conclusion",
        "practitioner": "Alex Morgan",
    }
    text = json.dumps(event)
    assert "back-pain" not in text and "digestion" not in text
    assert page.js_errors == []


def test_google_consent_mode_is_respected(page, treatment_article):
    open_article(
        page,
        treatment_article,
        "window.dataLayer = window.dataLayer || [];"
        "window.gtag = function () { window.dataLayer.push(arguments); };"
        "gtag('consent', 'default', {analytics_storage: 'denied'});",
    )
    button = page.get_by_role("link", name="Book a consultation for Acupuncture for digestion")
    button.click()
    assert json.loads(booking_events(page)) == []
    page.evaluate("gtag('consent', 'update', {analytics_storage: 'granted'})")
    button.click()
    (event,) = json.loads(booking_events(page))
    # The treatment names the button for screen readers, never the event.
    assert event == {
        "event": "booking_click",
        "provider": "acuity",
        "placement": "sidebar",
        "practitioner": None,
    }
    assert page.js_errors == []


def test_sidebar_placement_is_beside_the_text_on_wide_screens(page, treatment_article, clinic):
    clinic.medical_disclaimer = "<p>General information, not medical advice.</p>"
    clinic.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(treatment_article.url)
    body = page.locator(".acu-article__body").bounding_box()
    sidebar = page.locator(".acu-article__sidebar .acu-cta").bounding_box()
    assert sidebar["x"] >= body["x"] + body["width"], (body, sidebar)
    assert sidebar["x"] + sidebar["width"] <= 1440
    expect(page.locator(".acu-disclaimer")).to_contain_text("not medical advice")
    save_screenshot(page, "article-sidebar-1440.png")

    page.set_viewport_size({"width": 390, "height": 844})
    body = page.locator(".acu-article__body").bounding_box()
    sidebar = page.locator(".acu-article__sidebar .acu-cta").bounding_box()
    assert sidebar["y"] >= body["y"] + body["height"], (body, sidebar)
    assert sidebar["x"] + sidebar["width"] <= 390
    save_screenshot(page, "article-sidebar-390.png", full_page=True)
