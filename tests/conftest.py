import shutil
import tempfile

import pytest
from wagtail.models import Site

from tests.factories import make_index


@pytest.fixture(autouse=True)
def _clear_caches():
    """Wagtail caches renditions; ids and media folders are reused between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings):
    path = tempfile.mkdtemp(prefix="acupuncture-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def render_cache_off(settings):
    """Every request renders: for tests of what a render does (queries, bulk loading)."""
    settings.WAGTAIL_ACUPUNCTURE = {**settings.WAGTAIL_ACUPUNCTURE, "RENDER_CACHE": False}


@pytest.fixture
def home(db):
    """The default site's root page (Wagtail's 'Welcome' page from its initial migration)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def site(home):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def index(home):
    return make_index(home)


@pytest.fixture
def clinic(site):
    from wagtail_acupuncture.models import ClinicSettings

    settings = ClinicSettings.for_site(site)
    settings.clinic_name = "Portland Acupuncture Clinic"
    settings.booking_url = "https://booking.example.com/book"
    settings.phone = "+1-503-555-0100"
    settings.email = "hello@example.com"
    settings.street_address = "123 Example Street"
    settings.address_locality = "Portland"
    settings.address_region = "OR"
    settings.postal_code = "97201"
    settings.address_country = "US"
    settings.default_cta_heading = "Ready to book?"
    settings.default_cta_text = "Book a consultation with us today."
    settings.default_cta_button_label = "Book a consultation"
    settings.save()
    return settings
