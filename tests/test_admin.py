import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import PractitionerFactory, TreatmentFactory, make_article
from wagtail_acupuncture.modeladmin import ArticleModelAdmin, articles_admin
from wagtail_acupuncture.models import ArticlePage, ClinicSettings, Practitioner, Treatment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def article_post(treatments=(), **overrides):
    body = overrides.pop(
        "body",
        [
            ("heading", {"text": "Why Choose Acupuncture?", "level": "h2", "anchor": ""}),
            ("paragraph", rich_text("<p>Acupuncture offers a range of benefits.</p>")),
            (
                "key_points",
                {
                    "heading": "",
                    "items": streamfield(
                        [
                            ("item", {"title": "Non-Invasive Treatment", "text": rich_text("<p>No incisions.</p>")}),
                            ("item", {"title": "Minimal Side Effects", "text": rich_text("<p>Few.</p>")}),
                        ]
                    ),
                },
            ),
            (
                "faq",
                {
                    "heading": "Frequently Asked Questions",
                    "intro": rich_text(""),
                    "items": streamfield(
                        [("item", {"question": "Is acupuncture painful?", "answer": rich_text("<p>Usually painless.</p>")})]
                    ),
                    "structured_data": "on",
                },
            ),
            (
                "booking_cta",
                {
                    "heading": "",
                    "text": "",
                    "button_label": "",
                    "link_url": "https://booking.example.com/",
                    "link_page": "",
                    "placement": "conclusion",
                },
            ),
        ],
    )
    data = {
        "title": "Acupuncture for Back Pain",
        "slug": "acupuncture-for-back-pain",
        "intro": "Back pain is far more than a mild ache.",
        "body": streamfield(body),
        "related_treatments": inline_formset([{"treatment": t.pk} for t in treatments]),
        "published_date": "",
        "last_reviewed": "",
        "author": "",
        "reviewed_by": "",
        "hero_image": "",
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_create_and_publish_article_through_the_admin_form(admin_client, index, clinic):
    treatments = [TreatmentFactory(name="Digestion"), TreatmentFactory(name="Migraines")]
    url = reverse("wagtailadmin_pages:add", args=("wagtail_acupuncture", "articlepage", index.pk))
    assert admin_client.get(url).status_code == 200
    data = article_post(treatments=treatments)
    data["action-publish"] = "publish"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    assert page.live
    assert [child.block_type for child in page.body] == ["heading", "paragraph", "key_points", "faq", "booking_cta"]
    assert page.get_live_treatments() == treatments
    assert page.published_date == datetime.date.today() or page.published_date is not None
    html = admin_client.get(page.url).content.decode()
    assert "Is acupuncture painful?" in html
    assert "Non-Invasive Treatment" in html


def test_invalid_article_keeps_everything_typed(admin_client, index):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_acupuncture", "articlepage", index.pk))
    body = [
        ("paragraph", rich_text("<p>Typed paragraph survives.</p>")),
        (
            "faq",
            {
                "heading": "FAQ heading typed",
                "intro": rich_text(""),
                "items": streamfield([("item", {"question": "Unanswered question typed", "answer": rich_text("")})]),
                "structured_data": "on",
            },
        ),
        (
            "booking_cta",
            {
                "heading": "CTA heading typed",
                "text": "",
                "button_label": "",
                "link_url": "javascript:alert(1)",
                "link_page": "",
                "placement": "inline",
            },
        ),
    ]
    data = article_post(body=body)
    data["action-publish"] = "publish"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="acupuncture-for-back-pain").exists()
    html = response.content.decode()
    assert "The page could not be created due to validation errors" in html
    # every typed value is sent back to the editor's form state
    for typed in ("Typed paragraph survives.", "FAQ heading typed", "Unanswered question typed", "CTA heading typed", "javascript:alert(1)"):
        assert typed in html, typed
    # block errors reach the fields
    assert "This field is required." in html
    assert "Enter a full link starting with https://" in html


def test_edit_article_through_the_admin(admin_client, index):
    page = make_article(index, title="Before", body=[{"type": "paragraph", "value": "<p>Old</p>"}])
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert admin_client.get(url).status_code == 200
    data = article_post(title="After", slug=page.slug, body=[("paragraph", rich_text("<p>New text</p>"))])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Before"  # saved as draft only
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "After"
    assert "New text" not in admin_client.get(page.url).content.decode()


def test_editor_has_tabs(admin_client, index):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_acupuncture", "articlepage", index.pk))
    html = admin_client.get(url).content.decode()
    for tab in ("Content", "Treatments &amp; review", "Promote", "Settings"):
        assert tab in html, tab


def test_create_treatment_snippet_through_the_admin(admin_client):
    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Acupuncture For Migraines",
            "slug": "migraines",
            "summary": "Migraines are far more than bad headaches.",
            "image": "",
            "page": "",
            "url": "https://other.example.com/migraines",
            "booking_target-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    treatment = Treatment.objects.get(slug="migraines")
    assert treatment.live
    assert treatment.revisions.count() == 1


def test_treatment_with_bad_link_shows_error(admin_client):
    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:add")
    response = admin_client.post(
        url,
        {
            "name": "Bad", "slug": "bad", "summary": "", "url": "javascript:alert(1)", "page": "",
            "image": "", "booking_target-count": "0",
        },
    )
    assert response.status_code == 200
    assert not Treatment.objects.filter(slug="bad").exists()
    html = response.content.decode()
    assert "javascript:alert(1)" in html


def test_treatment_listing_search_and_filter(admin_client):
    TreatmentFactory(name="Acupuncture for Digestion")
    TreatmentFactory(name="Acupuncture for Athletes", live=False)
    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:list")
    html = admin_client.get(url, {"q": "Digestion"}).content.decode()
    assert "Acupuncture for Digestion" in html
    assert "Acupuncture for Athletes" not in html
    html = admin_client.get(url, {"live": "false"}).content.decode()
    assert "Acupuncture for Athletes" in html
    assert "Acupuncture for Digestion" not in html


def test_treatment_usage_shows_articles(admin_client, index):
    treatment = TreatmentFactory(name="Used treatment")
    page = make_article(index, title="Article using it", treatments=[treatment])
    from wagtail.models import ReferenceIndex

    ReferenceIndex.create_or_update_for_object(page)
    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:usage", args=(treatment.pk,))
    html = admin_client.get(url).content.decode()
    assert "Article using it" in html
    delete_url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:delete", args=(treatment.pk,))
    assert "This treatment is referenced 1 time." in admin_client.get(delete_url).content.decode()


def test_practitioner_create_and_edit(admin_client):
    url = reverse("wagtailsnippets_wagtail_acupuncture_practitioner:add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name": "Demo Practitioner",
            "credentials": "L.Ac.",
            "job_title": "Licensed Acupuncturist",
            "photo": "",
            "bio": rich_text("<p>Bio</p>"),
            "booking_url": "tel:+15035550100",
            "profile_url": "",
            "booking_target-count": "0",
        },
    )
    assert response.status_code == 302
    practitioner = Practitioner.objects.get()
    edit = reverse("wagtailsnippets_wagtail_acupuncture_practitioner:edit", args=(practitioner.pk,))
    response = admin_client.post(
        edit,
        {
            "name": "Demo Practitioner",
            "credentials": "L.Ac., MSOM",
            "job_title": "",
            "photo": "",
            "bio": rich_text(""),
            "booking_url": "javascript:void(0)",
            "profile_url": "",
            "booking_target-count": "0",
        },
    )
    assert response.status_code == 200
    practitioner.refresh_from_db()
    assert practitioner.credentials == "L.Ac."


def clinic_settings_url(site):
    return reverse("wagtailsettings:edit", args=("wagtail_acupuncture", "clinicsettings", site.pk))


def clinic_form(days=("monday",), opens="09:00", closes="17:00", **fields):
    """POST data of the Clinic settings form: one row of opening hours plus ``fields``."""
    data = nested_form_data(
        {
            "clinic_name": "Portland Clinic",
            "utm_source": "website",
            "utm_medium": "article_cta",
            "opening_hours": streamfield([("hours", {"opens": opens, "closes": closes})]),
            "booking_target": streamfield([]),
            "medical_disclaimer": rich_text(""),
            **fields,
        }
    )
    data["opening_hours-0-value-days"] = list(days)  # checkboxes: one key, several values
    return data


def test_clinic_settings_edit(admin_client, site):
    url = clinic_settings_url(site)
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        clinic_form(
            days=["monday", "tuesday"],
            booking_url="https://booking.example.com/",
            phone="+1-503-555-0100",
            email="hello@example.com",
            address_locality="Portland",
            address_region="OR",
            address_country="US",
            default_cta_heading="Ready?",
            default_cta_button_label="Book",
            latitude="45.523064",
            longitude="-122.676483",
            profile_urls="https://www.facebook.com/example",
            faq_structured_data="on",
        ),
    )
    assert response.status_code == 302
    clinic = ClinicSettings.for_site(site)
    assert clinic.clinic_name == "Portland Clinic"
    assert clinic.opening_hours_list == [
        {"days": ["monday", "tuesday"], "opens": "09:00", "closes": "17:00"}
    ]
    assert clinic.geo == {"latitude": 45.523064, "longitude": -122.676483}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"latitude": "45.5"}, "longitude", "Enter both latitude and longitude"),
        ({"latitude": "95", "longitude": "10"}, "latitude", "less than or equal to 90"),
        ({"profile_urls": "https://ok.example\njavascript:alert(1)"}, "profile_urls", "javascript"),
        ({"closes": "08:00"}, None, "Closing must be after opening"),
    ],
)
def test_clinic_settings_refuse_bad_details_and_keep_them(
    admin_client, site, changes, field, message
):
    response = admin_client.post(clinic_settings_url(site), clinic_form(**changes))
    assert response.status_code == 200  # the form again, with the error
    content = response.content.decode()
    assert message in content
    if field is not None:
        assert field in response.context["form"].errors
    for value in changes.values():  # what the editor typed is shown again
        assert value.split("\n")[-1] in content
    assert not ClinicSettings.objects.filter(site=site, clinic_name="Portland Clinic").exists()


class TestArticlesIndex:
    def url(self, name="index"):
        return reverse(f"wagtail_acupuncture_articlepage_modeladmin_{name}")

    def test_lists_filters_and_searches(self, admin_client, index):
        needles = TreatmentFactory(name="Needles")
        make_article(index, title="Fresh article", last_reviewed=datetime.date.today(), treatments=[needles])
        make_article(index, title="Review overdue", last_reviewed=datetime.date(2000, 1, 1))
        make_article(index, title="Still a draft", live=False)
        html = admin_client.get(self.url()).content.decode()
        for title in ("Fresh article", "Review overdue", "Still a draft"):
            assert title in html
        assert "Review due" in html
        html = admin_client.get(self.url(), {"review": "due"}).content.decode()
        assert "Review overdue" in html and "Fresh article" not in html
        html = admin_client.get(self.url(), {"status": "draft"}).content.decode()
        assert "Still a draft" in html and "Review overdue" not in html
        html = admin_client.get(self.url(), {"treatment": needles.slug}).content.decode()
        assert "Fresh article" in html and "Review overdue" not in html
        html = admin_client.get(self.url(), {"q": "overdue"}).content.decode()
        assert "Review overdue" in html and "Fresh article" not in html

    def test_links_to_edit_and_view_live(self, admin_client, index):
        page = make_article(index, title="Linked article")
        draft = make_article(index, title="Draft article", live=False)
        html = admin_client.get(self.url()).content.decode()
        assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
        assert reverse("wagtailadmin_pages:edit", args=(draft.pk,)) in html
        assert f'<a href="{page.url}" target="_blank" rel="noopener">View live</a>' in html
        assert html.count(">View live</a>") == 1

    def test_csv_export(self, admin_client, index):
        needles = TreatmentFactory(name="Needles")
        make_article(index, title="Exported, with comma", treatments=[needles], published_date=datetime.date(2024, 5, 6))
        response = admin_client.get(self.url(), {"export": "csv"})
        assert response.status_code == 200
        content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        rows = list(csv.reader(io.StringIO(content)))
        assert rows[0][0].lower() == "title"
        row = next(r for r in rows if r[0] == "Exported, with comma")
        assert "2024-05-06" in row
        assert "Needles" in row

    def test_csv_exports_neutralise_formulas(self, admin_client, index):
        formulas = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)"]
        needles = TreatmentFactory(name="=cmd|' /C calc'!A0", summary=formulas[1])
        for title in formulas:
            make_article(index, title=title, treatments=[needles])
        PractitionerFactory(name="@Dr Formula", job_title="-Acupuncturist")
        exports = {
            "articles": self.url(),
            "treatments": reverse("wagtailsnippets_wagtail_acupuncture_treatment:list"),
            "practitioners": reverse("wagtailsnippets_wagtail_acupuncture_practitioner:list"),
        }
        cells = {}
        for name, url in exports.items():
            response = admin_client.get(url, {"export": "csv"})
            assert response.status_code == 200, name
            content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
            cells[name] = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
        everything = [cell for values in cells.values() for cell in values]
        assert not [cell for cell in everything if cell[:1] in ("=", "+", "-", "@")]
        for title in formulas:
            assert "'" + title in cells["articles"]
        assert "'=cmd|' /C calc'!A0" in cells["treatments"] and "'+1+1" in cells["treatments"]
        assert "'@Dr Formula" in cells["practitioners"] and "'-Acupuncturist" in cells["practitioners"]

    def test_one_article_type_keeps_one_menu_item(self):
        assert articles_admin() is ArticleModelAdmin
        assert ArticleModelAdmin.model is ArticlePage

    def test_can_be_switched_off(self):
        from wagtail_acupuncture.conf import DEFAULTS

        assert DEFAULTS["MODELADMIN_ENABLED"] is True
