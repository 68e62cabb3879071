"""Settings > WordPress import: upload an export, see the report; superusers only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page

from tests.wordpress_helpers import FIXTURES, SAMPLE
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.wordpress.views import URL_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    return client


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/xml")


def test_the_form_is_listed_under_settings_for_superusers(admin_client, index):
    response = admin_client.get(reverse(URL_NAME))
    assert response.status_code == 200
    assert b"WordPress export" in response.content
    assert f'<option value="{index.pk}">'.encode() in response.content
    assert reverse(URL_NAME).encode() in admin_client.get(reverse("wagtailadmin_home")).content


def test_editors_are_refused(client, index):
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    # Wagtail's admin answers a refused view with a redirect to the dashboard and a message.
    response = client.get(reverse(URL_NAME))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    response = client.post(reverse(URL_NAME), {"export": upload(SAMPLE), "index": index.pk})
    assert response.status_code == 302
    assert not ArticlePage.objects.exists()
    assert reverse(URL_NAME).encode() not in client.get(reverse("wagtailadmin_home")).content


def test_a_dry_run_upload_shows_the_report_and_writes_nothing(admin_client, index):
    pages = Page.objects.count()
    response = admin_client.post(reverse(URL_NAME), {
        "export": upload(SAMPLE), "index": index.pk, "dry_run": "on",
    })
    assert response.status_code == 200
    assert b"nothing was written" in response.content
    assert b"would create" in response.content
    assert Page.objects.count() == pages


def test_an_upload_imports_and_escapes_the_report(admin_client, index):
    response = admin_client.post(reverse(URL_NAME), {
        "export": upload(FIXTURES / "script-in-content.xml"), "index": index.pk, "redirects": "on",
    })
    assert response.status_code == 200
    assert ArticlePage.objects.filter(slug="acupuncture-for-back-pain").exists()
    assert b"Removed &lt;script&gt; from the content." in response.content
    assert b"<script>alert" not in response.content


def test_a_hostile_upload_is_a_form_error(admin_client, index):
    response = admin_client.post(reverse(URL_NAME), {
        "export": upload(FIXTURES / "billion-laughs.xml"), "index": index.pk,
    })
    assert response.status_code == 400
    assert b"line 2: the export declares a document type" in response.content
    response = admin_client.post(reverse(URL_NAME), {"index": index.pk})
    assert response.status_code == 400
