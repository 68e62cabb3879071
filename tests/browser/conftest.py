"""Fixtures of the browser tests: Debian's Chromium driven by Playwright against a live server.

One browser serves all browser tests in a row; every test gets its own context (cookies,
storage) and page. The live server (pytest-django's ``live_server``) serves
``tests.browser.urls``: the test project plus the API at ``/api/v2/`` and uploaded media. The
tests use transactional databases with serialized rollback (``pytestmark`` of each module), so
the data of Wagtail's migrations (root page, default site) is there for every test, and again
for the tests that run after them.

Chromium is ``$CHROMIUM_PATH`` (default ``/usr/bin/chromium``; ``tests/matrix.py`` installs
Debian's package when it is missing and it runs as root). Without it, or with
``ACUPUNCTURE_NO_CHROMIUM=1``, the tests are skipped with the reason, except with ``CI=true``,
where they fail. Playwright never downloads a browser here.

Screenshots go to ``test-artifacts/screenshots/``, with one of the page at the moment of failure
for each failing test; with ``ACUPUNCTURE_BROWSER_TRACE=1`` a Playwright trace of each failing
test goes to ``test-artifacts/traces/`` (open it with ``playwright show-trace``). With
``ACUPUNCTURE_UPDATE_SCREENSHOTS=1`` the README's screenshots in ``docs/screenshots/`` are
refreshed too.
"""

import os
import re

import pytest

from tests.browser.helpers import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    EDITOR_PASSWORD,
    EDITOR_USERNAME,
    SERVER_LOCK,
    TIMEOUT_MS,
    VIEWPORT,
    chromium_path,
    chromium_problem,
    login,
    serialize_requests,
    skip_or_fail,
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class BrowserSession:
    """Playwright and one headless Chromium, shared by the browser tests that run in a row.

    Started by the first test that asks for the ``browser`` fixture and stopped after the last
    one (:func:`pytest_runtest_teardown`), so that no asyncio loop is left running in this thread
    for the tests that come after them.
    """

    def __init__(self):
        self.playwright = None
        self.chromium = None
        self.previous_env = None

    def start(self, django_db_blocker):
        if self.chromium is not None:
            return self.chromium
        from django.db import connections
        from playwright.sync_api import expect, sync_playwright

        expect.set_options(timeout=TIMEOUT_MS)
        # Playwright's sync API keeps an asyncio loop running in this thread. Django's ORM
        # refuses to run where a loop is running unless told that it is safe (it is: the loop
        # only drives the browser), so allow it while the browser runs.
        self.previous_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        # With a loop running, Django looks its connections up per context instead of per thread
        # and would open new ones: without the test database's serialized contents (serialized
        # rollback would silently restore nothing) and, for in-memory SQLite, not the connection
        # the live server shares. Keep using the thread's own connections.
        with django_db_blocker.unblock():
            thread_connections = {alias: connections[alias] for alias in connections}
        self.playwright = sync_playwright().start()
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        try:
            self.chromium = self.playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
        except Exception:
            self.stop()
            raise
        return self.chromium

    def stop(self):
        if self.chromium is not None:
            self.chromium.close()
            self.chromium = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
            if self.previous_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.previous_env


BROWSER = BrowserSession()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Stop the browser once the next test does not use it (after this test's fixtures)."""
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        BROWSER.stop()


@pytest.fixture
def browser(django_db_setup, django_db_blocker):
    """The shared headless Chromium (:class:`BrowserSession`)."""
    problem = chromium_problem()
    if problem:
        skip_or_fail(problem)
    return BROWSER.start(django_db_blocker)


@pytest.fixture
def server(live_server, settings):
    """The live server's base URL (no trailing slash), serving ``tests.browser.urls``."""
    settings.ROOT_URLCONF = "tests.browser.urls"  # setting_changed clears the URL caches
    unserialize = serialize_requests(live_server)
    yield live_server.url.rstrip("/")
    unserialize()


def _artifact_name(nodeid):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_")


@pytest.fixture
def page(browser, server, request):
    """A fresh page in its own context; relative URLs go to the live server.

    Requests to other hosts are refused, so the admin's update check and the like neither wait
    for the network nor leave the machine. JavaScript errors are collected in ``page.js_errors``.
    """
    context = browser.new_context(
        base_url=server, viewport=VIEWPORT, locale="en-US", timezone_id="America/Los_Angeles"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tracing = os.environ.get("ACUPUNCTURE_BROWSER_TRACE") == "1"
    if tracing:
        context.tracing.start(screenshots=True, snapshots=True)
    local = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?/")
    context.route(
        re.compile(r"^https?://"),
        lambda route: route.continue_() if local.match(route.request.url) else route.abort(),
    )
    tab = context.new_page()
    tab.js_errors = []
    tab.on("pageerror", lambda error: tab.js_errors.append(str(error)))
    yield tab
    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    name = _artifact_name(request.node.nodeid)
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        except Exception:  # noqa: BLE001, S110 (a screenshot must never hide the failure)
            pass
    if tracing:
        context.tracing.stop(
            path=str(ARTIFACTS.parent / "traces" / f"{name}.zip") if failed else None
        )
    context.close()
    with SERVER_LOCK:
        pass  # let a request still in flight finish before the database is flushed


@pytest.fixture
def editor(django_user_model):
    """A Wagtail user who can create and publish articles and choose snippets."""
    return django_user_model.objects.create_superuser(
        EDITOR_USERNAME, "editor@example.com", EDITOR_PASSWORD
    )


@pytest.fixture
def logged_in(page, editor):
    """``page``, signed in to the Wagtail admin as ``editor`` through the login form."""
    login(page)
    return page


def _hero_image():
    """A soft two-tone placeholder photo (Pillow), nicer in the README than a flat colour."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image, ImageDraw, ImageFilter

    from tests.factories import ImageFactory

    width, height = 1600, 900
    picture = Image.new("RGB", (width, height), (214, 232, 226))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = int(40 * y / height)
        draw.line([(0, y), (width, y)], fill=(200 - shade, 226 - shade, 218 - shade))
    draw.ellipse((980, 120, 1440, 580), fill=(243, 247, 246))
    draw.rounded_rectangle((180, 520, 1420, 700), radius=60, fill=(29, 107, 95))
    picture = picture.filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return ImageFactory(
        title="Treatment room",
        description="A calm, light treatment room",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="treatment-room.png"),
    )


@pytest.fixture
def seed_article(index, clinic):
    """The client's seed article, published with its notice and two of the seed's related posts
    as treatments, and a second article sharing a treatment (so "Related articles" shows)."""
    from tests.factories import (
        PractitionerFactory,
        TreatmentFactory,
        back_pain_body,
        make_article,
        make_back_pain_article,
        notice_block,
    )

    treatments = [
        TreatmentFactory(
            name="Acupuncture For Digestion",
            slug="digestion",
            summary="Bloating, acid reflux, and irritable bowel syndrome (IBS) are more than just "
            "“digestive annoyances.”",
        ),
        TreatmentFactory(
            name="Acupuncture for Athletes",
            slug="athletes",
            summary="Improving recovery, performance, and injury prevention.",
        ),
    ]
    article = make_back_pain_article(
        index,
        body=[*back_pain_body(), notice_block()],
        hero_image=_hero_image(),
        author=PractitionerFactory(name="Alex Morgan", credentials="L.Ac., MSOM"),
        reviewed_by=PractitionerFactory(
            name="Sam Rivera", credentials="L.Ac.", profile_url="https://example.com/team/"
        ),
        treatments=treatments,
    )
    make_article(
        index,
        title="Acupuncture For Migraines: A Drug-Free Approach to Pain Relief",
        slug="acupuncture-for-migraines",
        intro="Migraines are far more than “bad headaches.” If you experience them, you know they "
        "bring severe pain, nausea, and light sensitivity that can completely disrupt your day.",
        treatments=treatments[:1],
    )
    return article
