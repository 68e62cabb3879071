"""Helpers of the browser tests: Chromium lookup, login, screenshots, the article editor driven
as an editor drives it, axe-core and the heading outline."""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports it: a skip, or a failure with CI=true
    expect = None

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
#: Default timeout of Playwright actions and assertions, in milliseconds.
TIMEOUT_MS = 15_000

EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "acupuncture-editor-pw"


# --- Chromium ---------------------------------------------------------------------------------


def is_ci():
    return os.environ.get("CI", "").strip().lower() == "true"


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def chromium_problem():
    """Why the browser tests cannot run here, or ``None``."""
    if os.environ.get("ACUPUNCTURE_NO_CHROMIUM") == "1":
        return (
            "Chromium is not available "
            "(ACUPUNCTURE_NO_CHROMIUM=1: tests/matrix.py could not install it)"
        )
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return (
            f"Chromium not found at {path} (install Debian's chromium package or set CHROMIUM_PATH)"
        )
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[test]')"
    return None


def skip_or_fail(reason):
    """Skip with ``reason``; with ``CI=true`` fail instead: in CI the browser tests must run."""
    if is_ci():
        pytest.fail(f"{reason}; CI=true: the browser tests must run, not skip", pytrace=False)
    pytest.skip(reason)


# --- Live server ------------------------------------------------------------------------------

#: Held while the live server handles a request on the in-memory SQLite database.
SERVER_LOCK = threading.RLock()


class SerializedApp:
    """WSGI wrapper that handles one non-static request at a time.

    With an in-memory SQLite database the live server's request threads and the test share one
    connection, which is not safe to use from two threads at once (Django's documentation says
    so for ``LiveServerTestCase``); the editor's background requests (autosave, preview, editing
    sessions) would otherwise meet. Static files need no database and are not serialized.
    """

    def __init__(self, app, static_prefix):
        self.app = app
        self.static_prefix = static_prefix

    def __call__(self, environ, start_response):
        if self.static_prefix and environ.get("PATH_INFO", "").startswith(self.static_prefix):
            return self.app(environ, start_response)
        with SERVER_LOCK:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


def serialize_requests(live_server):
    """Install :class:`SerializedApp` on pytest-django's live server when it shares an
    in-memory SQLite connection (nothing to do for PostgreSQL); return a function that removes
    it again, so that other tests get the live server as it was."""
    from django.conf import settings

    thread = live_server.thread
    httpd = getattr(thread, "httpd", None)
    if (
        not thread.connections_override
        or httpd is None
        or isinstance(httpd.get_app(), SerializedApp)
    ):
        return lambda: None
    original = httpd.get_app()
    httpd.set_app(SerializedApp(original, settings.STATIC_URL))
    return lambda: httpd.set_app(original)


# --- Session and artifacts --------------------------------------------------------------------


def login(page, username=EDITOR_USERNAME, password=EDITOR_PASSWORD):
    """Sign in through Wagtail's login form."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def save_screenshot(page, name, *, docs_name=None, full_page=False, locator=None):
    """Save a screenshot as a test artifact and, when asked, as a README screenshot.

    ``docs_name`` is written to ``docs/screenshots/`` only with
    ``ACUPUNCTURE_UPDATE_SCREENSHOTS=1``, so that a normal test run never changes tracked files.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    if locator is not None:
        locator.screenshot(path=str(path), animations="disabled")
    else:
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    if docs_name and os.environ.get("ACUPUNCTURE_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / docs_name)
    return path


# --- The article editor -----------------------------------------------------------------------


def click_until(locator, done, *, attempts=3, wait_ms=2000):
    """Click ``locator`` until ``done()`` is true, polling up to ``wait_ms`` after each click.

    Wagtail's autosave re-renders parts of the editor's header while an editor works; a click
    that lands during such a layout shift is lost, and a person would simply click again.
    """
    page = locator.page
    for _attempt in range(attempts):
        locator.click()
        for _poll in range(wait_ms // 100):
            if done():
                return
            page.wait_for_timeout(100)
    raise AssertionError(f"clicking {locator} {attempts} times did not have the expected effect")


class Block:
    """One StreamField block (or list item) in the editor, addressed by its form prefix."""

    def __init__(self, editor, element, prefix):
        self.editor = editor
        self.page = editor.page
        #: The block's ``[data-streamfield-child]`` element.
        self.element = element
        #: Form field prefix, e.g. ``body-2`` or ``body-2-value-items-1``.
        self.prefix = prefix

    def name(self, child=None):
        """Form field name of the block's value or of one of its children."""
        return f"{self.prefix}-value" + (f"-{child}" if child else "")

    def input(self, child=None):
        return self.page.locator(f"[name='{self.name(child)}']")

    def fill(self, child, text):
        self.input(child).fill(text)

    def rich_text(self, child=None):
        """The Draftail editor (a contenteditable) of the block's value or of a child."""
        return self.page.locator(
            f"input[name='{self.name(child)}'] + [data-draftail-editor-wrapper] "
            "[contenteditable='true']"
        )

    def type_rich_text(self, child, text):
        """Type into a Draftail editor with the keyboard, as an editor does."""
        editor = self.rich_text(child)
        editor.click()
        self.page.keyboard.press("End")
        self.page.keyboard.type(text)

    def errors(self, child=None):
        """The error container Wagtail shows at the field."""
        return self.page.locator(f"[id='{self.name(child)}-errors']")

    def list_items(self, child="items"):
        """The list items of a ListBlock child, as :class:`Block` objects."""
        count = int(self.page.locator(f"[name='{self.name(child)}-count']").input_value())
        items = []
        for n in range(count):
            prefix = f"{self.name(child)}-{n}"
            deleted = self.page.locator(f"[name='{prefix}-deleted']")
            if deleted.count() and deleted.input_value():
                continue
            element = self.page.locator(
                "[data-streamfield-child]", has=self.page.locator(f"> [name='{prefix}-id']")
            )
            items.append(Block(self.editor, element, prefix))
        return items

    def add_list_item(self, child="items"):
        """Append an item to a ListBlock child; return it."""
        count = self.page.locator(f"[name='{self.name(child)}-count']")
        before = int(count.input_value())
        container = self.page.locator(f"[data-contentpath='{child}']", has=count)
        click_until(
            container.locator("button[data-streamfield-list-add]").last,
            lambda: int(count.input_value()) > before,
        )
        return self.list_items(child)[-1]


class ArticleEditor:
    """The Wagtail page editor of an ArticlePage, driven through the UI."""

    STREAM = "#body-root > [data-streamfield-stream-container]"
    #: A pause longer than Wagtail's autosave delay (``WAGTAIL_AUTOSAVE_INTERVAL``, 500 ms).
    AUTOSAVE_PAUSE_MS = 800

    def __init__(self, page):
        self.page = page
        self.autosaves = set()
        page.on("request", self._request_started)
        page.on("requestfinished", self._request_ended)
        page.on("requestfailed", self._request_ended)

    def _request_started(self, request):
        # Wagtail's autosave posts the form with fetch, asking for JSON
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            self.autosaves.add(request)

    def _request_ended(self, request):
        self.autosaves.discard(request)

    def settle(self):
        """Pause, as a person does before clicking Save or Publish, until Wagtail's autosave has
        sent the last change and its answer arrived.

        Without the pause a click can race the autosave that creates the page: the form is then
        posted to the "add" view once more, and Wagtail answers that the slug is in use.
        """
        self.page.wait_for_timeout(self.AUTOSAVE_PAUSE_MS)
        for _poll in range(TIMEOUT_MS // 50):
            if not self.autosaves:
                break
            self.page.wait_for_timeout(50)
        self.page.wait_for_timeout(100)  # the autosave's answer updates the form's action

    # navigation
    def create_under(self, index):
        """From the index's listing in the page explorer, start a new article below it."""
        self.page.goto(f"/admin/pages/{index.pk}/")
        self.page.get_by_role("link", name=re.compile(r"^Add child page")).first.click()
        self.page.wait_for_url(re.compile(r"/admin/pages/add/wagtail_acupuncture/articlepage/\d+/"))
        self.wait_for_stream()
        return self

    def wait_for_stream(self):
        self.page.locator(f"{self.STREAM}").wait_for(state="attached")

    # fields
    def title(self):
        return self.page.locator("#id_title")

    def intro(self):
        return self.page.locator("#id_intro")

    def blocks(self):
        """The body's top-level blocks, in order."""
        count = int(self.page.locator("[name='body-count']").input_value())
        found = []
        for n in range(count):
            prefix = f"body-{n}"
            if self.page.locator(f"[name='{prefix}-deleted']").input_value():
                continue
            order = int(self.page.locator(f"[name='{prefix}-order']").input_value())
            element = self.page.locator(
                f"{self.STREAM} > [data-streamfield-child]",
                has=self.page.locator(f"> [name='{prefix}-id']"),
            )
            found.append((order, Block(self, element, prefix)))
        return [block for _order, block in sorted(found, key=lambda pair: pair[0])]

    def open_block_chooser(self):
        """Open the block chooser at the end of the body; return its popup."""
        button = self.page.locator(f"{self.STREAM} > div > button.c-sf-add-button").last
        click_until(button, lambda: button.get_attribute("aria-expanded") == "true")
        # the newest popup: the one of a block chooser used before may still be fading out
        chooser = self.page.locator("[data-tippy-root]", has=self.page.get_by_role("listbox")).last
        chooser.get_by_role("option").first.wait_for()
        return chooser

    def wait_for_choosers_closed(self):
        """Wait until no block chooser popup is left (one fades out after a block is added)."""
        self.page.locator("[data-tippy-root]", has=self.page.get_by_role("listbox")).first.wait_for(
            state="detached"
        )

    def add_block(self, label, chooser=None):
        """Add a block at the end of the body through the block chooser; return it."""
        count = self.page.locator("[name='body-count']")
        before = int(count.input_value())
        chooser = chooser or self.open_block_chooser()
        click_until(
            chooser.get_by_role("option", name=label, exact=True),
            lambda: int(count.input_value()) > before,
        )
        block = self.blocks()[-1]
        block.element.wait_for()
        return block

    def open_tab(self, name):
        tab = self.page.get_by_role("tab", name=name)
        click_until(tab, lambda: tab.get_attribute("aria-selected") == "true")

    def choose_treatment(self, name):
        """Add a related treatment, found by typing its name into the chooser's search."""
        self.open_tab("Treatments & review")
        forms = self.page.locator(
            "#id_related_treatments-FORMS > [id^='inline_child_']:not(.deleted)"
        )
        before = forms.count()
        self.page.get_by_role("button", name=re.compile(r"^Add treatment$", re.I)).click()
        row = forms.nth(before)
        row.get_by_role("button", name=re.compile(r"Choose treatment", re.I)).click()
        modal = self.page.locator(".modal-dialog")
        search = modal.get_by_label("Search term")
        search.fill(name)
        result = modal.get_by_role("link", name=name, exact=True)
        # the search narrows the list to the name typed
        self.page.wait_for_function(
            """name => [...document.querySelectorAll('.modal-dialog table tbody tr')]
                .every(row => row.textContent.includes(name))""",
            arg=name,
        )
        result.click()
        modal.wait_for(state="detached")
        return row

    # actions
    def save_draft(self):
        self.settle()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Save draft").click()

    def publish(self):
        self.settle()
        self.page.get_by_role("button", name="More actions").click()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Publish").click()

    def messages(self):
        return self.page.locator(".messages")

    def status(self):
        """The page status side panel (it names the status, e.g. "Draft" or "Live")."""
        return self.page.locator("[data-side-panel='status']")


# --- Accessibility ----------------------------------------------------------------------------

SERIOUS = ("serious", "critical")


class CoreExclusion:
    """An axe violation that comes from Wagtail core's own admin markup, not from the package.

    Only the rule ``rule_id`` on elements matching ``selector`` is left out, so the same rule on
    the package's markup still fails; ``reason`` says why (with the upstream issue).
    """

    def __init__(self, rule_id, selector, reason):
        self.rule_id = rule_id
        self.selector = selector
        self.reason = reason

    def covers(self, page, rule_id, target):
        if rule_id != self.rule_id or len(target) != 1:
            return False
        return page.evaluate(
            """([target, selector]) => {
                const element = document.querySelector(target);
                return !!element && element.matches(selector);
            }""",
            [target[0], self.selector],
        )


def axe_violations(page, *, context=None, exclusions=()):
    """axe-core's serious and critical violations on the page (or within ``context``).

    Nodes covered by one of ``exclusions`` (:class:`CoreExclusion`) are not counted. Returns
    ``[{id, impact, help, nodes: [{target, html}]}]``, empty when all is well.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        nodes = [
            {"target": node["target"], "html": node["html"][:300]}
            for node in violation["nodes"]
            if not any(rule.covers(page, violation["id"], node["target"]) for rule in exclusions)
        ]
        if nodes:
            found.append(
                {
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "nodes": nodes,
                }
            )
    return found


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']})")
        lines.extend(f"    {node['target']}: {node['html']}" for node in violation["nodes"])
    return "\n".join(lines)


def heading_levels(page, within="body"):
    """``[level, text]`` of the rendered headings (``display: none`` left out), in order."""
    return page.evaluate(
        """within => [...document.querySelector(within).querySelectorAll(
                'h1, h2, h3, h4, h5, h6, [role=heading]')]
            .filter(h => h.checkVisibility())
            .map(h => [
                Number(h.getAttribute('aria-level') || h.tagName.slice(1)),
                h.textContent.trim(),
            ])""",
        within,
    )


def outline_problems(levels):
    """What is wrong with a heading outline: not exactly one h1 first, or a skipped level."""
    problems = []
    ones = [text for level, text in levels if level == 1]
    if len(ones) != 1:
        problems.append(f"{len(ones)} h1 headings: {ones}")
    if levels and levels[0][0] != 1:
        problems.append(f"the first heading is not the h1: {levels[0]}")
    for (previous, _), (level, text) in zip(levels, levels[1:], strict=False):
        if level > previous + 1:
            problems.append(f"h{previous} is followed by h{level} ({text!r})")
    return problems
