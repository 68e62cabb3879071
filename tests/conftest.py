import shutil
import socket
import tempfile

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Site

from tests.factories import make_index
from wagtail_acupuncture.delivery.runner import runner

#: ``tests/custom/`` runs with ``tests.settings_custom`` (its own run in ``tests/matrix.py``);
#: without the site's own article type installed there is nothing for it to test.
collect_ignore = [] if "tests.custom_app" in django_settings.INSTALLED_APPS else ["custom"]
#: ``tests/stack/`` runs the production stack on its own PostgreSQL database (PostgreSQL runs).
if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    collect_ignore.append("stack")


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


class RecordingBackend(BaseBackend):
    """Frontend-cache backend that records each batch it is asked to purge."""

    batches = []

    def purge(self, url):
        RecordingBackend.batches.append([url])

    def purge_batch(self, urls):
        RecordingBackend.batches.append(sorted(urls))


@pytest.fixture
def frontend_cache_installed(monkeypatch):
    """The package sees ``wagtail.contrib.frontend_cache`` as installed."""
    is_installed = apps.is_installed
    monkeypatch.setattr(
        apps,
        "is_installed",
        lambda name: name == "wagtail.contrib.frontend_cache" or is_installed(name),
    )


@pytest.fixture
def purged(settings, frontend_cache_installed):
    """Batches purged through ``wagtail.contrib.frontend_cache`` with a recording backend."""
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.conftest.RecordingBackend"}}
    RecordingBackend.batches = []
    return RecordingBackend.batches


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a callable and then the transaction's on-commit callbacks, as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        # Purges (and webhooks) on the in-process task backend run in the delivery threads.
        assert runner.wait_idle(30), "delivery jobs still running"
        return result

    return run


@pytest.fixture
def blackhole():
    """A URL on 127.0.0.1 that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/api/revalidate"
    sock.close()
