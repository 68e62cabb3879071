"""The example project's CORS settings (django-cors-headers): the API only, read-only, no cookies."""

import importlib

import pytest
from django.test import override_settings

from tests.api_fixtures import API

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api_fixtures")]

FRONTEND = "http://localhost:3000"


@pytest.fixture
def example_cors(settings):
    """The example project's development settings for CORS and its middleware, applied here."""
    dev = importlib.import_module("example_project.settings.dev")
    assert "corsheaders" in dev.INSTALLED_APPS
    cors = {name: getattr(dev, name) for name in dir(dev) if name.startswith("CORS_")}
    with override_settings(MIDDLEWARE=dev.MIDDLEWARE, **cors):
        yield cors


def test_api_answers_the_frontends_origin(client, index, example_cors):
    assert FRONTEND in example_cors["CORS_ALLOWED_ORIGINS"]
    response = client.get(f"{API}/pages/", HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "Access-Control-Allow-Credentials" not in response
    assert "etag" in response["Access-Control-Expose-Headers"].lower()
    assert "origin" in response["Vary"].lower()
    preflight = client.options(
        f"{API}/pages/",
        HTTP_ORIGIN=FRONTEND,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == FRONTEND
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_other_origins_and_other_urls_get_no_cors_headers(client, index, example_cors):
    other = client.get(f"{API}/pages/", HTTP_ORIGIN="https://evil.example")
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other
    page = client.get(index.url, HTTP_ORIGIN=FRONTEND)
    assert page.status_code == 200 and "Access-Control-Allow-Origin" not in page


def test_origins_come_from_the_environment(monkeypatch):
    import example_project.settings.base as base

    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://www.example-clinic.com, https://b.example")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CORS_ALLOWED_ORIGINS == ["https://www.example-clinic.com", "https://b.example"]
    finally:
        monkeypatch.delenv("CORS_ALLOWED_ORIGINS")
        importlib.reload(base)
