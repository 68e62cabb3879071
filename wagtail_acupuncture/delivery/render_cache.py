"""Server-side cache of rendered responses, invalidated by any content change.

A clinic site is read far more often than it is edited, and what a page or an API response
contains is a function of the content in the database, the requested URL and a few request
properties. The package's API endpoints and article pages therefore keep the bytes they render
in a Django cache (``RENDER_CACHE_ALIAS``) under a key made of:

* the **content generation** (:func:`content_generation`): the number of rows and the highest id
  of :class:`~wagtail_acupuncture.models.ContentChange`, one query. A row is inserted, in the
  same transaction, whenever any model instance that can appear in output is saved or deleted
  (pages, snippets, images, documents, sites, settings, view restrictions, ...), so every
  committed change moves every key at once, in every process, whatever the cache backend;
* what else the output depends on: the kind of response, the scheme, host and path of the
  request, its query string (sorted; a page's only with the parameters it reads,
  :attr:`CachedServeMixin.render_cache_query_parameters`), the active language, today's date
  (seasonal notices switch on and off by date) and the settings (any ``setting_changed``).

The generation is read before the response's content is loaded - for a page, which Wagtail
loads while routing, by loading it again (:meth:`CachedServeMixin.reload_for_render_cache`) -
so an entry is never older than its key. Each host stores at most
``RENDER_CACHE_SITE_BUDGET_BYTES`` within a timeout (:func:`within_budget`).

Nothing is ever served from the cache that a fresh render would not produce: an entry is only
found for the same URL over the same content on the same day, and output that changes at a
moment of its own (a notice's ``starts_at`` or ``ends_at``) reports that moment through
:func:`changes_at` while it renders, so its entry expires then. Writes that never change what a
visitor sees do not count as changes (renditions, revisions and draft saves, log entries,
search index rows, sessions, workflow and comment state, the admin's editing sessions, a login's
``last_login``); add a site's own such models to ``RENDER_CACHE_IGNORED_MODELS``. Changes made
without model signals (``QuerySet.update()``, raw SQL) must call :func:`record_content_change`.

Only anonymous, public responses are stored: API responses that the endpoints mark public (JSON,
not previews), and page renders for requests without a session or messages cookie that neither
set cookies nor use a CSRF token (:class:`CachedServeMixin`). ``RENDER_CACHE = False`` turns the
cache off.
"""

import hashlib
import itertools
import logging
import math
import time
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import router
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import urlencode

from ..conf import acupuncture_settings
from ..content.moments import begin, end
from ..content.visibility import page_is_restricted

logger = logging.getLogger(__name__)

#: Prefix of every render cache key.
KEY_PREFIX = "wagtail_acupuncture:render:"

#: Prefix of the counters of :func:`within_budget`.
BUDGET_KEY_PREFIX = "wagtail_acupuncture:render-budget:"

#: Prefix of the render locks of :func:`get_or_claim`.
LOCK_KEY_PREFIX = "wagtail_acupuncture:render-lock:"

#: Models (``app_label.model_name``, or a whole ``app_label``) whose writes never change output.
IGNORED_MODELS = frozenset(
    {
        "sessions",
        "admin.logentry",
        "wagtailadmin",
        "wagtailusers",
        "wagtailsearch",
        "wagtailcore.revision",
        "wagtailcore.referenceindex",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailcore.pagesubscription",
        "wagtailcore.workflowstate",
        "wagtailcore.taskstate",
        "wagtailcore.uploadedfile",
        "wagtailcore.apitoken",
        "wagtail_acupuncture.contentchange",
        "wagtail_acupuncture.webhookdelivery",
        "wagtail_acupuncture.headlesspreview",
        "django_tasks_database",
    }
)

#: A save limited to these fields changes no visitor-facing output (a draft saved, with its
#: comments, a page locked, a login recorded).
DRAFT_ONLY_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
        "last_login",
    }
)

#: Budget window (seconds) when ``RENDER_CACHE_TIMEOUT`` is ``None``.
DEFAULT_BUDGET_WINDOW = 3600

#: Every this many changes, rows older than the last :data:`KEEP_CHANGES` are deleted.
PRUNE_EVERY = 1000
KEEP_CHANGES = 100

_settings_epoch = itertools.count()
_current_epoch = [next(_settings_epoch)]
_table_ready = set()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _current_epoch[0] = next(_settings_epoch)


def enabled():
    """Whether ``RENDER_CACHE`` is on."""
    return bool(acupuncture_settings.RENDER_CACHE)


def _cache():
    return caches[acupuncture_settings.RENDER_CACHE_ALIAS]


def _change_model():
    return apps.get_model("wagtail_acupuncture", "ContentChange")


def content_generation():
    """The content generation: ``"<rows>.<highest id>"`` of the change log (one query)."""
    model = _change_model()
    figures = model.objects.using(router.db_for_read(model)).aggregate(
        rows=Count("pk"), last=Max("pk")
    )
    return f"{figures['rows']}.{figures['last'] or 0}"


def _change_table_exists(alias):
    """Whether the change log's table exists on ``alias`` (it does not during early migrations)."""
    if alias in _table_ready:
        return True
    from django.db import connections

    table = _change_model()._meta.db_table
    if table in connections[alias].introspection.table_names():
        _table_ready.add(alias)
        return True
    return False


def record_content_change():
    """Move the content generation: every cached render is stale from the commit on.

    Called for every relevant model signal; call it after changing content without signals
    (``QuerySet.update()``, raw SQL, bulk imports).
    """
    model = _change_model()
    alias = router.db_for_write(model)
    if not _change_table_exists(alias):
        return
    change = model.objects.using(alias).create()
    if change.pk % PRUNE_EVERY == 0:
        model.objects.using(alias).filter(pk__lte=change.pk - KEEP_CHANGES).delete()


def _ignored_labels():
    extra = acupuncture_settings.RENDER_CACHE_IGNORED_MODELS or ()
    return IGNORED_MODELS.union(label.lower() for label in extra)


def is_ignored(model, update_fields=None):
    """Whether a write to ``model`` (limited to ``update_fields``) leaves all output unchanged."""
    from wagtail.images.models import AbstractRendition
    from wagtail.models import BaseLogEntry

    if model._meta.apps is not apps:  # historical models, in migrations
        return True
    if issubclass(model, (AbstractRendition, BaseLogEntry)):
        return True
    if update_fields and DRAFT_ONLY_FIELDS.issuperset(update_fields):
        return True
    ignored = _ignored_labels()
    return model._meta.label_lower in ignored or model._meta.app_label in ignored


def _on_write(sender, update_fields=None, **kwargs):
    if not is_ignored(sender, update_fields):
        record_content_change()


def _on_m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _on_write(sender)


def _on_page_move(sender, **kwargs):
    # Moves rewrite descendants' paths with QuerySet.update(), which sends no post_save.
    _on_write(sender)


def register():
    """Connect the signal receivers that record content changes (from ``AppConfig.ready()``)."""
    from wagtail.signals import post_page_move

    post_save.connect(_on_write, dispatch_uid="wagtail_acupuncture.render_cache.save")
    post_delete.connect(_on_write, dispatch_uid="wagtail_acupuncture.render_cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="wagtail_acupuncture.render_cache.m2m")
    post_page_move.connect(_on_page_move, dispatch_uid="wagtail_acupuncture.render_cache.move")


def _today():
    return timezone.localdate() if settings.USE_TZ else date.today()


def query_key(request, parameters=None):
    """The query string of ``request`` as the key sees it: sorted, so that ``?a=1&b=2`` and
    ``?b=2&a=1`` share an entry; only ``parameters`` (names) when given, the others left out."""
    items = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if parameters is None or name in parameters
        for value in values
    )
    return urlencode(items)


def cache_key(request, kind, parameters=None):
    """The render cache key of ``request`` for a response of ``kind`` (one query).

    ``parameters`` names the query parameters the response depends on (``None``: all).
    """
    parts = [
        kind,
        content_generation(),
        str(_current_epoch[0]),
        _today().isoformat(),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        request.path,
        query_key(request, parameters),
    ]
    return KEY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def timeout_for(moments):
    """Seconds to keep a render: ``RENDER_CACHE_TIMEOUT`` (``None``: no expiry), or less when
    its output changes at one of ``moments`` before."""
    timeout = acupuncture_settings.RENDER_CACHE_TIMEOUT
    now = timezone.now()
    for moment in moments:
        seconds = math.floor((moment - now).total_seconds())
        timeout = seconds if timeout is None else min(timeout, seconds)
    return timeout


def get(key):
    """The entry stored under ``key``, or ``None`` (also when the cache is unreachable)."""
    try:
        return _cache().get(key)
    except Exception:  # noqa: BLE001 - an unreachable cache only costs a render
        logger.warning("Render cache unavailable", exc_info=True)
        return None


def get_or_claim(key):
    """``(entry, claimed)``: the entry stored under ``key``, or the right to render it.

    On a miss the request claims ``key`` (an ``add`` to the shared cache, which one request
    wins). When another request holds the claim, this one waits up to
    ``RENDER_CACHE_LOCK_WAIT`` seconds for that render's entry; when it appears it is
    returned, so that readers arriving after a publish are answered by one render instead of
    each rendering. When the holder finishes without storing, or the wait ends, the request
    renders itself (``(None, False)`` when it could not claim). A request that claimed must
    call :func:`release` once it has stored, or failed to store, its render.
    """
    entry = get(key)
    wait = acupuncture_settings.RENDER_CACHE_LOCK_WAIT
    if entry is not None or not wait:
        return entry, False
    lock = LOCK_KEY_PREFIX + key
    try:
        cache = _cache()
        # The lock outlives a normal wait, and expires by itself if its holder dies.
        lock_timeout = max(1, math.ceil(2 * wait))
        if cache.add(lock, 1, lock_timeout):
            return None, True
        deadline = time.monotonic() + wait
        pause = 0.005
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(2 * pause, 0.05)
            found = cache.get_many([key, lock])
            if found.get(key) is not None:
                return found[key], False
            if lock not in found:  # the holder did not store: render instead of waiting
                return None, cache.add(lock, 1, lock_timeout)
    except Exception:  # noqa: BLE001 - an unreachable cache only costs a render
        logger.warning("Render cache unavailable", exc_info=True)
    return None, False


def release(key):
    """Give up the claim on ``key`` taken by :func:`get_or_claim`."""
    try:
        _cache().delete(LOCK_KEY_PREFIX + key)
    except Exception:  # noqa: BLE001
        logger.warning("Render cache unavailable", exc_info=True)


def _budget_window():
    """Seconds of one budget window: the longest an entry is kept (see :func:`within_budget`)."""
    return acupuncture_settings.RENDER_CACHE_TIMEOUT or DEFAULT_BUDGET_WINDOW


def within_budget(scope, size):
    """Whether ``size`` more bytes fit in ``scope``'s ``RENDER_CACHE_SITE_BUDGET_BYTES``.

    Time is cut into windows as long as an entry is kept; the bytes stored in each window
    are counted in the cache itself (shared by every process). Entries stored before the
    previous window have expired, so counting this window and the previous one against the
    budget bounds what ``scope`` holds at any moment.
    """
    budget = acupuncture_settings.RENDER_CACHE_SITE_BUDGET_BYTES
    if budget is None:
        return True
    window = _budget_window()
    current = int(time.time() // window)
    scope_hash = hashlib.sha256(scope.encode()).hexdigest()[:32]
    counter, previous = (f"{BUDGET_KEY_PREFIX}{scope_hash}:{n}" for n in (current, current - 1))
    cache = _cache()
    if sum(cache.get_many([counter, previous]).values()) + size > budget:
        return False
    cache.add(counter, 0, 2 * window)
    try:
        cache.incr(counter, size)
    except ValueError:  # expired in between
        cache.set(counter, size, 2 * window)
    return True


def store(key, response, moments=(), scope="", **flags):
    """Keep ``response``'s body and content type under ``key``, with ``flags``.

    Kept for ``RENDER_CACHE_TIMEOUT`` seconds, or until the first of ``moments`` (what
    :func:`end` returned); not kept at all when that moment has come, when the body is
    larger than ``RENDER_CACHE_MAX_BYTES``, nor when ``scope`` (the request's host) has used
    its ``RENDER_CACHE_SITE_BUDGET_BYTES``.
    """
    timeout = timeout_for(moments)
    if timeout is not None and timeout <= 0:
        return
    if timeout is None and acupuncture_settings.RENDER_CACHE_SITE_BUDGET_BYTES is not None:
        timeout = _budget_window()
    max_bytes = acupuncture_settings.RENDER_CACHE_MAX_BYTES
    size = len(response.content)
    if max_bytes is not None and size > max_bytes:
        return
    entry = {"content": response.content, "content_type": response["Content-Type"], **flags}
    try:
        if not within_budget(scope, size):
            logger.info("Render cache budget of %s used up; not keeping %s", scope, key)
            return
        _cache().set(key, entry, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Render cache unavailable", exc_info=True)


def response_from(entry):
    """A fresh ``HttpResponse`` of a stored entry."""
    return HttpResponse(entry["content"], content_type=entry["content_type"])


def _personal_cookies():
    """Cookies whose presence may change a page: the session's and the messages'."""
    from django.contrib.messages.storage.cookie import CookieStorage

    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


class CachedServeMixin:
    """Serve a page from the render cache to anonymous visitors (put it before ``Page``).

    A ``GET`` or ``HEAD`` that is not a preview and carries no session or messages cookie (a
    visitor who may be logged in, or have a message to see) is looked up; a
    miss renders as usual and keeps the result when it is a plain ``200`` that set no cookie,
    did not change the session and used no CSRF token. When the render read the (empty)
    session, as Wagtail's user bar does, the cached answer reads it too, so the
    ``Vary: Cookie`` header stays the same.
    """

    #: Query parameters the page's render reads: they are part of the key, any other (a
    #: cache-busting ``?_=123``, campaign tags) is left out, so such URLs share one entry. A
    #: page whose templates read more parameters lists them.
    render_cache_query_parameters = ()

    def get_render_cache_key(self, request):
        """The cache key of this page's render for ``request``, or ``None`` not to cache."""
        if not enabled() or request.method not in ("GET", "HEAD"):
            return None
        if getattr(request, "is_preview", False):
            return None
        if any(name in request.COOKIES for name in _personal_cookies()):
            return None
        ajax = request.headers.get("x-requested-with") == "XMLHttpRequest"
        kind = f"page:{self.pk}:{'ajax' if ajax else 'html'}"
        return cache_key(request, kind, self.render_cache_query_parameters)

    def reload_for_render_cache(self):
        """This page as stored now, or ``None`` when it may not be kept in the cache.

        Wagtail loads the page while routing, before :meth:`serve` reads the content
        generation of the key: a publish committing in between would store the old page under
        the new generation. Rendering the page loaded after the key was made keeps every entry
        at least as new as its generation. ``None`` when the page is no longer live, has
        moved, or has come under a view restriction since it was routed (one query).
        """
        fresh = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .annotate(acupuncture_restricted=page_is_restricted())
            .first()
        )
        if fresh is None or not fresh.live or fresh.acupuncture_restricted:
            return None
        if fresh.url_path != self.url_path:
            return None
        return fresh

    def serve(self, request, *args, **kwargs):
        key = self.get_render_cache_key(request)
        if key is None:
            return super().serve(request, *args, **kwargs)
        entry, claimed = get_or_claim(key)
        if entry is not None:
            if entry.get("session_read") and hasattr(request, "session"):
                request.session.accessed = True
            return response_from(entry)
        try:
            return self._render_and_store(key, request, *args, **kwargs)
        finally:
            if claimed:
                release(key)

    def _render_and_store(self, key, request, *args, **kwargs):
        fresh = self.reload_for_render_cache()
        if fresh is None:
            return super().serve(request, *args, **kwargs)
        token = begin()
        try:
            response = super(CachedServeMixin, fresh).serve(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if callable(getattr(response, "render", None)):
                    response.render()
        finally:
            moments = end(token)
        session = getattr(request, "session", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (session is not None and session.modified)
        ):
            session_read = bool(session is not None and session.accessed)
            store(key, response, moments, scope=request.get_host(), session_read=session_read)
        return response
