"""Booking calls to action: resolution order, the rendered button (accessible name, new tab, data
attributes, escaping), no box without a link, the sidebar placement, and the same data in the API."""

import re

import pytest
from wagtail.models import Page

from tests.api_fixtures import API, booking_cta
from tests.factories import PractitionerFactory, TreatmentFactory, add_page, make_article
from wagtail_acupuncture.booking import resolve_booking

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("render_cache_off")]

JANE = [{"type": "jane", "value": {"clinic": "myclinic", "staff_member": "12", "new_tab": True}}]
ACUITY = [{"type": "acuity", "value": {"account": "clinic", "appointment_type": "7"}}]
MINDBODY = [{"type": "mindbody", "value": {"studio_id": "555"}}]


def buttons(html):
    return re.findall(r"<a class=\"acu-cta__button\"[^>]*>.*?</a>", html, flags=re.S)


def test_resolution_order(index, clinic, home):
    booking_page = add_page(home, Page(title="Book", slug="book"))
    treatment = TreatmentFactory(name="Acupuncture for digestion", booking_target=ACUITY)
    author = PractitionerFactory(name="Alex Morgan", booking_target=JANE, booking_url="tel:+15035550100")
    page = make_article(index, author=author, treatments=[TreatmentFactory(), treatment])
    clinic.booking_target = MINDBODY
    clinic.save()

    def resolved(**value):
        return resolve_booking(value, page=page, clinic=clinic)

    assert resolved(link_url="https://x.example.com/")["provider"] == "url"
    assert resolved(link_page=booking_page)["provider"] == "page"
    by_author = resolved()
    assert by_author["url"] == "https://myclinic.janeapp.com/#/staff_member/12"
    assert by_author["practitioner"] == author

    author.booking_target = []
    author.save()
    page.refresh_from_db()
    assert resolved()["url"] == "tel:+15035550100"  # the author's plain booking URL next

    author.booking_url = ""
    author.save()
    page.refresh_from_db()
    by_treatment = resolved()
    assert by_treatment["url"] == "https://clinic.acuityscheduling.com/schedule.php?appointmentType=7"
    assert by_treatment["treatment"] == treatment
    assert by_treatment["practitioner"] is None

    treatment.booking_target = []
    treatment.save()
    page.refresh_from_db()
    assert resolved()["url"] == "https://clients.mindbodyonline.com/classic/ws?studioid=555"
    clinic.booking_target = []
    assert resolved()["url"] == "https://booking.example.com/book"
    clinic.booking_url = ""
    assert resolved()["url"] is None


def test_unpublished_treatment_is_never_used(index, clinic):
    draft = TreatmentFactory(name="Draft treatment", live=False, booking_target=ACUITY)
    page = make_article(index, treatments=[draft])
    assert resolve_booking({}, page=page, clinic=clinic)["url"] == "https://booking.example.com/book"


def test_button_names_the_practitioner_and_says_it_opens_a_new_tab(client, index, clinic):
    author = PractitionerFactory(name="Alex Morgan", booking_target=JANE)
    page = make_article(index, author=author, body=[booking_cta("cta", placement="conclusion")])
    html = client.get(page.url).content.decode()
    (button,) = buttons(html)
    assert 'href="https://myclinic.janeapp.com/?utm_source=website&amp;utm_medium=article_cta' in button
    assert "#/staff_member/12" in button
    assert 'target="_blank" rel="noopener"' in button
    assert 'data-booking-provider="jane"' in button
    assert 'data-booking-placement="conclusion"' in button
    assert 'data-booking-practitioner="Alex Morgan"' in button
    assert '<span class="acu-visually-hidden"> with Alex Morgan</span>' in button
    assert '<span class="acu-visually-hidden"> (opens in a new tab)</span>' in button
    assert "booking-click.js" in html


def test_button_names_the_treatment_but_its_data_never_does(client, index, clinic):
    treatment = TreatmentFactory(name="Acupuncture for digestion", booking_target=ACUITY)
    page = make_article(index, treatments=[treatment], body=[booking_cta("cta")])
    (button,) = buttons(client.get(page.url).content.decode())
    assert '<span class="acu-visually-hidden"> for Acupuncture for digestion</span>' in button
    data = dict(re.findall(r'(data-booking-[a-z]+)="([^"]*)"', button))
    assert data == {"data-booking-provider": "acuity", "data-booking-placement": "inline"}
    assert "target=" not in button and "new tab" not in button


def test_editor_text_is_escaped(client, index, clinic):
    author = PractitionerFactory(name='Al "<script>alert(1)</script>', booking_target=JANE)
    page = make_article(
        index,
        author=author,
        body=[booking_cta("cta", label='<b onclick="x">Go</b>', heading_text="<img src=x onerror=y>")],
    )
    html = client.get(page.url).content.decode()
    (button,) = buttons(html)
    assert "<script>alert(1)" not in html
    assert 'data-booking-practitioner="Al &quot;&lt;script&gt;alert(1)&lt;/script&gt;"' in button
    assert "&lt;b onclick=&quot;x&quot;&gt;Go&lt;/b&gt;" in button
    assert "<img src=x" not in html


def test_cta_without_any_link_renders_nothing_on_the_live_page(client, index, site):
    page = make_article(index, body=[booking_cta("none", heading_text="Ready?", text="Call us.")])
    html = client.get(page.url).content.decode()
    assert "acu-cta" not in html
    assert "Ready?" not in html


def test_preview_of_a_cta_without_link_shows_a_note(index, site):
    page = make_article(index, body=[booking_cta("none")])
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert "acu-cta--empty" in html
    assert "Preview only: this booking call to action has no link" in html


def test_sidebar_placement_renders_in_the_sidebar_region(client, index, clinic):
    page = make_article(
        index,
        body=[
            booking_cta("inline", heading_text="Inline heading"),
            booking_cta("side", heading_text="Sidebar heading", placement="sidebar"),
        ],
    )
    html = client.get(page.url).content.decode()
    body = html.split('<div class="acu-article__body">', 1)[1].split('<div class="acu-article__sidebar">', 1)
    assert "Inline heading" in body[0] and "Sidebar heading" not in body[0]
    assert "Sidebar heading" in body[1]
    assert html.count("Sidebar heading") == 1


@pytest.mark.urls("tests.api_fixtures")
def test_api_delivers_the_same_data(client, index, clinic):
    author = PractitionerFactory(name="Alex Morgan", booking_target=JANE)
    treatment = TreatmentFactory(name="Acupuncture for digestion", booking_target=ACUITY)
    page = make_article(
        index, author=author, treatments=[treatment], body=[booking_cta("cta", placement="sidebar")]
    )
    data = client.get(f"{API}/pages/{page.pk}/").json()
    (cta,) = data["body"]
    assert cta["value"]["placement"] == "sidebar"
    assert cta["value"]["provider"] == "jane"
    assert cta["value"]["practitioner"] == "Alex Morgan"
    assert cta["value"]["new_tab"] is True
    assert cta["value"]["accessible_name"] == "Book a consultation with Alex Morgan (opens in a new tab)"
    assert data["author"]["booking"] == {
        "provider": "jane",
        "url": "https://myclinic.janeapp.com/#/staff_member/12",
        "new_tab": True,
    }
    assert data["related_treatments"][0]["booking"]["provider"] == "acuity"
    practitioner = client.get(f"{API}/practitioners/{author.pk}/").json()
    assert practitioner["booking"]["provider"] == "jane"
    treatment_data = client.get(f"{API}/treatments/{treatment.pk}/").json()
    assert treatment_data["booking"]["url"].startswith("https://clinic.acuityscheduling.com/")
    clinic.booking_target = MINDBODY
    clinic.save()
    assert client.get(f"{API}/clinic/").json()["booking"] == {
        "provider": "mindbody",
        "url": "https://clients.mindbodyonline.com/classic/ws?studioid=555",
        "new_tab": False,
    }


def test_editor_hint_names_the_booking_target(admin_client, index, clinic):
    from django.urls import reverse

    author = PractitionerFactory(name="Alex Morgan", booking_target=JANE)
    url = reverse("wagtail_acupuncture_admin:cta_defaults")
    data = admin_client.get(url, {"page": index.pk, "author": author.pk}).json()
    assert data["link"] == {"url": "https://myclinic.janeapp.com/#/staff_member/12", "source": "author"}
    clinic.booking_url = ""
    clinic.booking_target = MINDBODY
    clinic.save()
    data = admin_client.get(url, {"page": index.pk}).json()
    assert data["link"]["url"] == "https://clients.mindbodyonline.com/classic/ws?studioid=555"
    clinic.booking_target = []
    clinic.save()
    data = admin_client.get(url, {"page": index.pk}).json()
    assert data["link"] == {"url": None, "source": None}  # the editor keeps its warning
