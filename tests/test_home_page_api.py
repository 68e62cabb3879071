"""The example project's home page in the API: its fields, described by the OpenAPI document."""

import io

import pytest
from django.core.management import call_command

from clinic.models import HomePage
from tests.api_fixtures import API
from wagtail_acupuncture.api.schema import build_openapi, validator_for

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]


def test_demo_home_page_is_delivered_with_its_fields(client):
    call_command("load_acupuncture_demo", stdout=io.StringIO())
    home = HomePage.objects.get()
    response = client.get(f"{API}/pages/{home.pk}/")
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert data["meta"]["type"] == "clinic.HomePage"
    assert data["intro"].startswith("<p>") and data["title"] == home.title
    assert data["body_text"] == home.body_text != ""
    validator_for(build_openapi(), "HomePage").validate(data)
    listing = client.get(f"{API}/pages/?type=clinic.HomePage&fields=intro,body_text").json()
    assert [item["body_text"] for item in listing["items"]] == [home.body_text]
    validator_for(build_openapi(), "PageListing").validate(listing)


def test_home_page_intro_is_front_end_html(client, settings):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Clinic",
            slug="clinic-home",
            intro='<p>Hello <script>x</script><a href="javascript:alert(1)">bad</a></p>',
            body_text="<b>plain</b>",
        )
    )
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(root_page=home)
    data = client.get(f"{API}/pages/{home.pk}/").json()
    assert "<script" not in data["intro"] and "javascript:" not in data["intro"]
    assert data["body_text"] == "<b>plain</b>"  # plain text: a frontend prints it as text
