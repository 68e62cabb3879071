"""Editorial warnings: the pure checks and the panel showing them in the article editor."""

import datetime

import pytest
from django.test import override_settings
from wagtail.test.utils.form_data import querydict_from_html

from tests.factories import ImageFactory, PractitionerFactory, make_article
from wagtail_acupuncture.editor_checks import get_editor_warnings
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.panels import EditorChecksPanel

TODAY = datetime.date(2026, 6, 1)


def codes(page, today=TODAY):
    return [warning.code for warning in get_editor_warnings(page, today=today)]


def complete_article(**kwargs):
    """An unsaved article with everything the checks look for (no database needed)."""
    values = {
        "title": "Acupuncture for Back Pain",
        "seo_title": "Acupuncture for Back Pain in Portland",
        "search_description": "How acupuncture for back pain works.",
        "intro": "Back pain is far more than a mild ache.",
        "author_id": 1,
        "reviewed_by_id": 2,
        "last_reviewed": TODAY - datetime.timedelta(days=30),
        "hero_image_id": 3,
    }
    values.update(kwargs)
    return ArticlePage(**values)


# --- pure checks ---------------------------------------------------------------------------


def test_complete_article_has_no_warnings():
    assert codes(complete_article()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"seo_title": ""}, ["seo_title_missing"]),
        ({"seo_title": "   "}, ["seo_title_missing"]),
        ({"seo_title": "x" * 61}, ["seo_title_too_long"]),
        ({"search_description": ""}, ["seo_description_missing"]),
        ({"search_description": "x" * 161}, ["seo_description_too_long"]),
        ({"author_id": None}, ["author_missing"]),
        ({"reviewed_by_id": None}, ["reviewer_missing"]),
        ({"author_id": None, "reviewed_by_id": None}, ["author_missing", "reviewer_missing"]),
        ({"last_reviewed": None}, ["review_date_missing"]),
        ({"last_reviewed": TODAY - datetime.timedelta(days=366)}, ["review_outdated"]),
        ({"hero_image_id": None}, ["hero_image_missing"]),
    ],
)
def test_each_check(changes, expected):
    assert codes(complete_article(**changes)) == expected


def test_limits_are_inclusive():
    page = complete_article(
        seo_title="x" * 60,
        search_description="x" * 160,
        last_reviewed=TODAY - datetime.timedelta(days=365),
    )
    assert codes(page) == []


@override_settings(
    WAGTAIL_ACUPUNCTURE={
        "SEO_TITLE_MAX_LENGTH": 10,
        "SEO_DESCRIPTION_MAX_LENGTH": 20,
        "REVIEW_MAX_AGE_DAYS": 7,
    }
)
def test_limits_come_from_settings():
    page = complete_article(
        seo_title="x" * 11,
        search_description="x" * 21,
        last_reviewed=TODAY - datetime.timedelta(days=8),
    )
    assert codes(page) == ["seo_title_too_long", "seo_description_too_long", "review_outdated"]
    warnings = get_editor_warnings(page, today=TODAY)
    assert "11" in warnings[0].message and "10" in warnings[0].message
    assert "8 days" in warnings[2].message and "7 days" in warnings[2].message


def test_warnings_name_their_field():
    page = ArticlePage(title="Bare")
    fields = {w.code: w.field for w in get_editor_warnings(page, today=TODAY)}
    assert fields == {
        "seo_title_missing": "seo_title",
        "seo_description_missing": "search_description",
        "author_missing": "author",
        "reviewer_missing": "reviewed_by",
        "review_date_missing": "last_reviewed",
        "hero_image_missing": "hero_image",
    }


# --- the panel in the editor -----------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


def test_panel_adds_no_form_field():
    panel = EditorChecksPanel().bind_to_model(ArticlePage)
    assert panel.get_form_options() == {}


@pytest.mark.django_db
def test_editor_shows_the_warnings(admin_client, index):
    page = make_article(index)
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "data-acupuncture-editor-checks" in content
    for code in codes(page):
        assert f'data-check="{code}"' in content


@pytest.mark.django_db
def test_editor_hides_the_panel_when_all_is_well(admin_client, index):
    page = make_article(
        index,
        seo_title="A short SEO title",
        search_description="A short description.",
        author=PractitionerFactory(),
        reviewed_by=PractitionerFactory(),
        last_reviewed=datetime.date.today(),
        hero_image=ImageFactory(),
    )
    assert codes(page, today=datetime.date.today()) == []
    content = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "data-acupuncture-editor-checks" not in content


@pytest.mark.django_db
def test_editor_checks_the_latest_draft(admin_client, index):
    page = make_article(index)
    draft = ArticlePage.objects.get(pk=page.pk)
    draft.seo_title = "x" * 100
    draft.save_revision()
    content = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'data-check="seo_title_too_long"' in content
    assert 'data-check="seo_title_missing"' not in content


@pytest.mark.django_db
def test_create_form_shows_no_panel(admin_client, index):
    response = admin_client.get(f"/admin/pages/add/wagtail_acupuncture/articlepage/{index.pk}/")
    assert response.status_code == 200
    assert "data-acupuncture-editor-checks" not in response.content.decode()


@pytest.mark.django_db
def test_warnings_do_not_block_publishing(admin_client, index):
    page = make_article(index, live=False)
    assert codes(page)
    url = f"/admin/pages/{page.pk}/edit/"
    data = querydict_from_html(admin_client.get(url).content.decode(), form_id="page-edit-form")
    data["body-count"] = "0"  # the StreamField widget is built in the browser; the body is empty
    data["action-publish"] = "action-publish"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=page.pk).live
