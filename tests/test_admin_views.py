"""The editor's call-to-action defaults: the admin JSON view and the editor script hook."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PractitionerFactory, make_article
from wagtail_acupuncture.blocks import BookingCTABlock

pytestmark = pytest.mark.django_db

URL_NAME = "wagtail_acupuncture_admin:cta_defaults"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def test_requires_admin_access(client, index):
    response = client.get(reverse(URL_NAME), {"page": index.pk})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_clinic_defaults_for_the_page_site(admin_client, index, clinic):
    data = admin_client.get(reverse(URL_NAME), {"page": index.pk}).json()
    assert data["heading"] == "Ready to book?"
    assert data["text"] == "Book a consultation with us today."
    assert data["button_label"] == "Book a consultation"
    assert data["booking_url"] == "https://booking.example.com/book"
    assert data["clinic_name"] == "Portland Acupuncture Clinic"
    assert data["author"] is None
    assert data["link"] == {"url": "https://booking.example.com/book", "source": "clinic"}
    assert data["allowed_schemes"] == ["http", "https", "tel", "mailto"]
    assert set(data["messages"]) >= {
        "intro",
        "typed_url",
        "unsafe_url",
        "page",
        "author",
        "clinic",
        "none",
    }


def test_author_booking_link_comes_first(admin_client, index, clinic):
    author = PractitionerFactory(
        name="Alex Morgan", credentials="L.Ac.", booking_url="tel:+15035550100"
    )
    page = make_article(index, author=author)
    data = admin_client.get(reverse(URL_NAME), {"page": page.pk, "author": author.pk}).json()
    assert data["author"] == {
        "id": author.pk,
        "name": "Alex Morgan, L.Ac.",
        "booking_url": "tel:+15035550100",
    }
    assert data["link"] == {"url": "tel:+15035550100", "source": "author"}


def test_unsafe_or_missing_links_are_not_offered(admin_client, index, clinic):
    clinic.booking_url = ""
    clinic.save()
    author = PractitionerFactory(booking_url="")
    data = admin_client.get(reverse(URL_NAME), {"page": index.pk, "author": author.pk}).json()
    assert data["link"] == {"url": None, "source": None}


def test_bad_parameters_fall_back_to_the_default_site(admin_client, clinic):
    for params in ({"page": "abc", "author": "-1"}, {"page": "9" * 30}, {"page": "999999"}, {}):
        response = admin_client.get(reverse(URL_NAME), params)
        assert response.status_code == 200, params
        assert response.json()["heading"] == "Ready to book?"


def test_only_get(admin_client):
    assert admin_client.post(reverse(URL_NAME)).status_code == 405


def test_editor_script_is_on_the_page_editor(admin_client, index):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_acupuncture", "articlepage", index.pk))
    html = admin_client.get(url).content.decode()
    assert "wagtail_acupuncture/js/editor.js" in html
    assert f'data-cta-defaults-url="{reverse(URL_NAME)}"' in html


def test_booking_cta_form_keeps_wagtail_struct_block_class():
    classes = BookingCTABlock().meta.form_classname.split()
    assert "struct-block" in classes
    assert "acupuncture-booking-cta-block" in classes
