"""The treatments, practitioners and clinic endpoints; registration and response headers."""

import pytest
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.models import Page, Site

from tests.api_fixtures import API, make_image
from tests.factories import PractitionerFactory, TreatmentFactory, add_page, make_article
from wagtail_acupuncture.api import (
    ClinicAPIViewSet,
    PagePreviewAPIViewSet,
    PagesAPIViewSet,
    PractitionersAPIViewSet,
    TreatmentPreviewAPIViewSet,
    TreatmentsAPIViewSet,
    register_endpoints,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content[:300]
    return response.json()


def test_register_endpoints_on_a_sites_router():
    router = WagtailAPIRouter("myapi")
    assert register_endpoints(router) is router
    assert router._endpoints == {
        "pages": PagesAPIViewSet,
        "treatments": TreatmentsAPIViewSet,
        "practitioners": PractitionersAPIViewSet,
        "clinic": ClinicAPIViewSet,
        "page_preview": PagePreviewAPIViewSet,
        "treatment_preview": TreatmentPreviewAPIViewSet,
    }


def test_register_endpoints_replaces_or_leaves_out_endpoints_by_name():
    class ClinicPagesAPIViewSet(PagesAPIViewSet):
        pass

    router = register_endpoints(
        WagtailAPIRouter("myapi"), pages=ClinicPagesAPIViewSet, practitioners=None
    )
    assert list(router._endpoints) == [
        "pages",
        "treatments",
        "clinic",
        "page_preview",
        "treatment_preview",
    ]
    assert router._endpoints["pages"] is ClinicPagesAPIViewSet
    # The page preview keeps the detail shape of the site's own pages endpoint.
    preview = router._endpoints["page_preview"]
    assert issubclass(preview, ClinicPagesAPIViewSet)
    assert (preview.name, preview.preview_model) == ("page_preview", Page)
    assert router._endpoints["treatment_preview"] is TreatmentPreviewAPIViewSet


def test_register_endpoints_previews_follow_their_live_endpoint():
    router = register_endpoints(WagtailAPIRouter("myapi"), treatments=None, clinic=None)
    assert list(router._endpoints) == ["pages", "practitioners", "page_preview"]

    class OwnPreview(PagePreviewAPIViewSet):
        pass

    router = register_endpoints(WagtailAPIRouter("myapi"), page_preview=OwnPreview)
    assert router._endpoints["page_preview"] is OwnPreview
    router = register_endpoints(WagtailAPIRouter("myapi"), page_preview=None)
    assert "page_preview" not in router._endpoints and "pages" in router._endpoints
    with pytest.raises(ValueError, match="page_preview endpoint needs the pages endpoint"):
        register_endpoints(WagtailAPIRouter("myapi"), pages=None, page_preview=OwnPreview)
    with pytest.raises(TypeError, match="unknown endpoint names page"):
        register_endpoints(WagtailAPIRouter("myapi"), page=PagesAPIViewSet)


def test_treatments_listing_detail_and_slug(client, index):
    page = make_article(index, slug="needles")
    image = make_image("Cupping")
    TreatmentFactory(name="Moxibustion", slug="moxa", url="https://example.com/moxa")
    cupping = TreatmentFactory(name="Cupping", slug="cupping", page=page, image=image, url="")
    TreatmentFactory(name="Acupressure", slug="acupressure", url="javascript:alert(1)")
    data = get_json(client, f"{API}/treatments/")
    assert data["meta"]["total_count"] == 3
    assert [item["name"] for item in data["items"]] == ["Acupressure", "Cupping", "Moxibustion"]
    item = data["items"][1]
    assert set(item) == {"id", "meta", "name", "slug", "summary", "url", "image", "booking"}
    assert item["meta"] == {
        "type": "wagtail_acupuncture.Treatment",
        "detail_url": f"http://localhost/api/v2/treatments/{cupping.pk}/",
    }
    assert item["url"] == "/blog/needles/"
    assert item["image"]["title"] == "Cupping"
    assert data["items"][0]["url"] is None
    assert data["items"][2]["url"] == "https://example.com/moxa"
    assert get_json(client, f"{API}/treatments/{cupping.pk}/") == item
    filtered = get_json(client, f"{API}/treatments/?slug=cupping")
    assert [i["id"] for i in filtered["items"]] == [cupping.pk]
    response = client.get(f"{API}/treatments/find/?slug=cupping")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/api/v2/treatments/{cupping.pk}/?")
    ordered = get_json(client, f"{API}/treatments/?order=-name&fields=-summary,-image,-url")
    assert [i["name"] for i in ordered["items"]] == ["Moxibustion", "Cupping", "Acupressure"]
    assert set(ordered["items"][0]) == {"id", "meta", "name", "slug", "booking"}


def test_practitioners(client):
    photo = make_image("Portrait")
    practitioner = PractitionerFactory(
        name="Mei Lin",
        credentials="L.Ac.",
        photo=photo,
        bio='<p>Bio <a href="vbscript:x">x</a></p>',
        booking_url="https://booking.example.com/mei",
        profile_url="ftp://example.com/mei",
    )
    data = get_json(client, f"{API}/practitioners/")
    (item,) = data["items"]
    assert item == get_json(client, f"{API}/practitioners/{practitioner.pk}/")
    assert item["display_name"] == "Mei Lin, L.Ac."
    assert item["bio"] == "<p>Bio <a>x</a></p>"
    assert item["booking_url"] == "https://booking.example.com/mei"
    assert item["profile_url"] is None
    assert item["photo"]["id"] == photo.pk


def test_clinic_is_the_request_sites(client, clinic, home):
    data = get_json(client, f"{API}/clinic/")
    assert data == {
        "name": "Portland Acupuncture Clinic",
        "booking_url": "https://booking.example.com/book",
        "phone": "+1-503-555-0100",
        "email": "hello@example.com",
        "address": {
            "street_address": "123 Example Street",
            "address_locality": "Portland",
            "address_region": "OR",
            "postal_code": "97201",
            "address_country": "US",
        },
        "default_cta": {
            "heading": "Ready to book?",
            "text": "Book a consultation with us today.",
            "button_label": "Book a consultation",
        },
        "logo": None,
        "geo": None,
        "opening_hours": [],
        "profile_urls": [],
        "faq_structured_data": True,
        "booking": {"provider": "url", "url": "https://booking.example.com/book", "new_tab": False},
        "medical_disclaimer": "",
    }
    from wagtail_acupuncture.models import ClinicSettings

    other_root = add_page(Page.get_first_root_node(), Page(title="Other", slug="other"))
    other_site = Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    ClinicSettings.objects.create(
        site=other_site, clinic_name="Seattle", booking_url="javascript:x"
    )
    other = get_json(client, f"{API}/clinic/", HTTP_HOST="other.example")
    assert other["name"] == "Seattle"
    assert other["booking_url"] is None


def test_clinic_location_hours_logo_and_profiles(client, clinic):
    from decimal import Decimal

    clinic.logo = make_image("Clinic logo", width=300, height=120)
    clinic.latitude, clinic.longitude = Decimal("45.523064"), Decimal("-122.676483")
    clinic.opening_hours = [
        ("hours", {"days": ["wednesday", "monday"], "opens": "09:00", "closes": "12:30"}),
        ("hours", {"days": ["saturday"], "opens": "10:00", "closes": "14:00"}),
    ]
    clinic.profile_urls = "https://www.instagram.com/example\n\n https://example.com/clinic "
    clinic.full_clean()
    clinic.save()
    data = get_json(client, f"{API}/clinic/")
    assert data["geo"] == {"latitude": 45.523064, "longitude": -122.676483}
    assert data["opening_hours"] == [
        {"days": ["monday", "wednesday"], "opens": "09:00", "closes": "12:30"},
        {"days": ["saturday"], "opens": "10:00", "closes": "14:00"},
    ]
    assert data["profile_urls"] == [
        "https://www.instagram.com/example",
        "https://example.com/clinic",
    ]
    assert data["logo"]["title"] == "Clinic logo"
    assert data["logo"]["renditions"]["thumbnail"]["url"].startswith("http://localhost/")


def test_clinic_without_any_site_is_404(client, db):
    Site.objects.all().delete()
    assert client.get(f"{API}/clinic/").status_code == 404
    assert client.get(f"{API}/pages/").json()["items"] == []


def test_successful_responses_are_cacheable(client, index, clinic, settings):
    page = make_article(index)
    response = client.get(f"{API}/pages/{page.pk}/")
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    assert "Accept" in response["Vary"]
    assert not client.get(f"{API}/pages/987654/").has_header("Cache-Control")
    settings.WAGTAIL_ACUPUNCTURE = {"API_CACHE_CONTROL": "no-store"}
    assert client.get(f"{API}/clinic/")["Cache-Control"] == "no-store"


def test_find_by_html_path_redirects_to_the_detail(client, index):
    page = make_article(index, slug="findable")
    response = client.get(f"{API}/pages/find/?html_path=/blog/findable/&fields=title")
    assert response.status_code == 302
    assert response["Location"] == f"http://localhost/api/v2/pages/{page.pk}/?fields=title"
    data = client.get(response["Location"]).json()
    assert data["title"] == page.title


def test_listing_with_filters_and_search(client, index, clinic):
    first = make_article(index, title="Acupuncture for migraines", slug="migraines")
    make_article(index, title="Cupping", slug="cupping")
    base = f"{API}/pages/?type=wagtail_acupuncture.ArticlePage"
    data = get_json(client, f"{base}&slug=migraines&fields=intro")
    assert [item["id"] for item in data["items"]] == [first.pk]
    assert set(data["items"][0]) == {"id", "meta", "title", "intro"}
    data = get_json(client, f"{base}&published_date={first.published_date.isoformat()}")
    assert first.pk in [item["id"] for item in data["items"]]
    data = get_json(client, f"{base}&search=migraines")
    assert [item["id"] for item in data["items"]] == [first.pk]
    data = get_json(client, f"{API}/pages/?child_of={index.pk}&order=-title&limit=1")
    assert data["meta"]["total_count"] == 2
    assert [item["title"] for item in data["items"]] == ["Cupping"]


def test_rich_text_fields_of_other_page_types_are_html(client, home, monkeypatch):
    """Any page type's RichTextField is front-end HTML (Wagtail 7 would give stored HTML)."""
    from clinic.models import HomePage

    monkeypatch.setattr(HomePage, "api_fields", ["intro"], raising=False)
    target = add_page(home, Page(title="Target", slug="target"))
    page = add_page(
        home,
        HomePage(
            title="Clinic home",
            slug="clinic-home",
            intro=f'<p><a linktype="page" id="{target.pk}">t</a></p>',
        ),
    )
    data = get_json(client, f"{API}/pages/{page.pk}/")
    assert data["intro"] == '<p><a href="/target/">t</a></p>'


@pytest.mark.parametrize(
    ("limit", "offset", "items"),
    [(2, 0, 2), (5, 0, 5), (10, 0, 5), (2, 4, 1), (2, 5, 0), (2, 9, 0), (0, 0, 0), (0, 7, 0)],
)
def test_total_count_is_right_on_every_page(client, index, settings, limit, offset, items):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.WAGTAIL_ACUPUNCTURE = {"RENDER_CACHE": False}
    articles = [make_article(index) for _ in range(5)]
    url = (
        f"{API}/pages/?type=wagtail_acupuncture.ArticlePage&fields=-structured_data"
        f"&order=id&limit={limit}&offset={offset}"
    )
    with CaptureQueriesContext(connection) as context:
        data = get_json(client, url)
    assert data["meta"]["total_count"] == 5
    assert [item["id"] for item in data["items"]] == [a.pk for a in articles][offset:][:items]
    counted = any("COUNT(" in query["sql"] for query in context.captured_queries)
    last_page = limit > 0 and offset < 5 <= offset + limit  # rows on it, none after it
    assert counted is not last_page



def test_serializer_classes_are_reused_per_fields_choice_and_bounded(client, index, clinic):
    from wagtail.api.v2.router import WagtailAPIRouter

    from wagtail_acupuncture.api.endpoints import serializer_class
    from wagtail_acupuncture.models import ArticlePage

    page = make_article(index, title="Fields choice")
    serializer_class.cache_clear()
    first = get_json(client, f"{API}/pages/{page.pk}/?fields=_,title")
    assert first == {"title": "Fields choice"}
    entries = serializer_class.cache_info().currsize
    assert entries >= 1
    assert get_json(client, f"{API}/pages/{page.pk}/?fields=_,title") == first
    assert serializer_class.cache_info().currsize == entries
    assert get_json(client, f"{API}/pages/{page.pk}/?fields=_,intro") == {"intro": page.intro}
    size = serializer_class.cache_info().maxsize
    router = WagtailAPIRouter("crawler")
    for n in range(1, size + 6):  # configurations a crawler could invent: title named n times
        PagesAPIViewSet._get_serializer_class(router, ArticlePage, [("_", False, None)] + [("title", False, None)] * n)
    assert serializer_class.cache_info().currsize == size
    assert get_json(client, f"{API}/pages/{page.pk}/?fields=_,title") == first
