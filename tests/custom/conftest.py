"""Fixtures of the custom article tests (``tests.settings_custom``, with ``tests/custom_app``)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from tests.api_fixtures import make_document, make_image
from tests.custom.helpers import make_partner
from tests.factories import add_page


@pytest.fixture
def admin_client(client):
    """A client logged in as a superuser."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def targets(home):
    """What callouts link to and show: pages live and draft, a document, an image, partners."""
    return {
        "live": add_page(home, Page(title="Linked", slug="linked")),
        "draft": add_page(home, Page(title="Unannounced", slug="unannounced", live=False)),
        "document": make_document("Intake form"),
        "image": make_image("Callout picture", width=640, height=400),
        "partner": make_partner("Acme Herbs"),
        "draft_partner": make_partner("Secret Partner", live=False),
    }


