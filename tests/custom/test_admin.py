"""The admin serves a custom article type as it serves ArticlePage.

Editors create it below the package's article index, its editor shows the fields it adds (the
app extends ``content_panels`` only, as Wagtail's convention has it), and the editorial
"Articles" index has an index for it, with the same filters and export.
"""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ReferenceIndex
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from tests.custom.helpers import callout, make_custom_article
from tests.custom_app.models import CustomArticlePage, CustomArticlePageTreatment
from tests.factories import TreatmentFactory, make_article
from tests.test_admin import article_post
from wagtail_acupuncture.modeladmin import ArticleModelAdminGroup, articles_admin
from wagtail_acupuncture.models import ArticleIndexPage, ArticlePage, ArticlePageTreatment
from wagtail_acupuncture.models.registry import (
    article_page_models,
    article_treatment_models,
    is_article,
)

pytestmark = pytest.mark.django_db


def index_url(model, name="index"):
    return reverse(f"{model._meta.app_label}_{model._meta.model_name}_modeladmin_{name}")


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("custom_app", "customarticlepage", index.pk))


def test_the_project_passes_the_system_checks(settings):
    # The test settings are a development set-up (in-process tasks, LocMemCache): with DEBUG
    # off the production-stack checks (W003, W004) would rightly flag them.
    settings.DEBUG = True
    call_command("check", fail_level="WARNING")


def test_the_registry_finds_the_custom_models():
    assert set(article_page_models()) == {ArticlePage, CustomArticlePage}
    assert set(article_treatment_models()) == {ArticlePageTreatment, CustomArticlePageTreatment}
    assert is_article(CustomArticlePage) and is_article(CustomArticlePage())


class TestPageTree(WagtailPageTestCase):
    def test_custom_articles_can_be_created_below_the_package_index(self):
        self.assertCanCreateAt(ArticleIndexPage, CustomArticlePage)
        self.assertAllowedParentPageTypes(CustomArticlePage, {ArticleIndexPage})

    def test_the_package_index_still_takes_articles(self):
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)


def test_the_editor_shows_the_custom_fields(admin_client, index):
    html = admin_client.get(add_url(index)).content.decode()
    assert 'name="subtitle"' in html
    assert 'name="audience"' in html
    assert 'name="related_treatments-TOTAL_FORMS"' in html  # the base's "Treatments" tab


def test_create_and_publish_a_custom_article_through_the_admin_form(
    admin_client, index, clinic, targets
):
    needles = TreatmentFactory(name="Needles")
    data = article_post(
        treatments=[needles],
        title="Custom from the admin",
        slug="custom-from-the-admin",
        subtitle="Typed subtitle",
        audience="practitioners",
        body=[
            ("heading", {"text": "Why it works", "level": "h2", "anchor": ""}),
            (
                "callout",
                {
                    "text": rich_text("<p>Our partner helps.</p>"),
                    "partner": targets["partner"].pk,
                    "image": targets["image"].pk,
                },
            ),
        ],
    )
    data["action-publish"] = "publish"
    response = admin_client.post(add_url(index), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = CustomArticlePage.objects.get(slug="custom-from-the-admin")
    assert page.live
    assert (page.subtitle, page.audience) == ("Typed subtitle", "practitioners")
    assert [child.block_type for child in page.body] == ["heading", "callout"]
    assert page.body[1].value["partner"] == targets["partner"]
    assert page.get_live_treatments() == [needles]


def test_the_articles_index_has_an_index_of_custom_articles(admin_client, index):
    needles = TreatmentFactory(name="Needles")
    make_custom_article(
        index, title="Fresh custom", last_reviewed=datetime.date.today(), treatments=[needles]
    )
    make_custom_article(index, title="Overdue custom", last_reviewed=datetime.date(2000, 1, 1))
    make_custom_article(index, title="Draft custom", live=False)
    make_article(index, title="Package article")
    url = index_url(CustomArticlePage)
    html = admin_client.get(url).content.decode()
    for title in ("Fresh custom", "Overdue custom", "Draft custom"):
        assert title in html
    assert "Package article" not in html
    assert "Review due" in html
    html = admin_client.get(url, {"review": "due"}).content.decode()
    assert "Overdue custom" in html and "Fresh custom" not in html
    html = admin_client.get(url, {"treatment": needles.slug}).content.decode()
    assert "Fresh custom" in html and "Overdue custom" not in html
    html = admin_client.get(url, {"q": "overdue"}).content.decode()
    assert "Overdue custom" in html and "Fresh custom" not in html
    assert "Package article" in admin_client.get(index_url(ArticlePage)).content.decode()


def test_the_admin_menu_groups_the_indexes_under_articles(admin_client):
    group = articles_admin()
    assert issubclass(group, ArticleModelAdminGroup)
    assert [admin.model for admin in group.items] == [ArticlePage, CustomArticlePage]
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert index_url(ArticlePage) in html
    assert index_url(CustomArticlePage) in html
    assert "Custom articles" in html


def test_custom_articles_export_as_csv(admin_client, index):
    needles = TreatmentFactory(name="Needles")
    make_custom_article(
        index,
        title="Exported custom",
        treatments=[needles],
        published_date=datetime.date(2024, 5, 6),
        body=[callout("c", "<p>Hi</p>")],
    )
    response = admin_client.get(index_url(CustomArticlePage), {"export": "csv"})
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    rows = list(csv.reader(io.StringIO(content)))
    row = next(r for r in rows if r[0] == "Exported custom")
    assert "2024-05-06" in row and "Needles" in row


def test_treatment_usage_lists_custom_articles(admin_client, index):
    treatment = TreatmentFactory(name="Needles")
    page = make_custom_article(index, title="Custom using needles", treatments=[treatment])
    ReferenceIndex.create_or_update_for_object(page)
    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:usage", args=(treatment.pk,))
    assert "Custom using needles" in admin_client.get(url).content.decode()
