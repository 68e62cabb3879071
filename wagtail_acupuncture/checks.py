"""System checks of the site's settings that the package depends on (registered in ``ready``).

``W001`` SQLite without immediate transactions, ``W002`` purges without a timeout, ``W003``
(``DEBUG`` off) purges or webhooks on an in-process task backend, ``W004`` (``DEBUG`` off) a
per-process cache for the render cache or the HTTP validators.

Settings of the package itself are checked where they are used (webhooks:
:func:`wagtail_acupuncture.delivery.webhooks.check_webhook_settings`).
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .conf import acupuncture_settings
from .delivery.runner import runs_in_process

#: The SQLite options with which two editors publishing at once both succeed.
SQLITE_CONCURRENT_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def check_sqlite_concurrency(app_configs=None, databases=None, **kwargs):
    """Warn when a SQLite database lets concurrent publishes fail with "database is locked".

    A publish reads before it writes; in SQLite's default (deferred) transactions two such
    writers deadlock and one fails at once, whatever the timeout. ``transaction_mode:
    IMMEDIATE`` makes the second one wait for the first (up to ``timeout`` seconds).
    """
    warnings = []
    # Django passes the aliases a command works on (``migrate`` its --database): check those.
    aliases = settings.DATABASES if databases is None else databases
    for alias in aliases:
        config = settings.DATABASES.get(alias, {})
        if config.get("ENGINE") != "django.db.backends.sqlite3":
            continue
        options = config.get("OPTIONS") or {}
        if str(options.get("transaction_mode", "")).upper() != "IMMEDIATE":
            warnings.append(
                checks.Warning(
                    f"SQLite database '{alias}' uses deferred transactions: two editors "
                    "publishing at once can fail with 'database is locked'.",
                    hint=(
                        "Set DATABASES['%s']['OPTIONS'] to %r (Django >= 5.1), as the "
                        "example project does." % (alias, SQLITE_CONCURRENT_OPTIONS)
                    ),
                    id="wagtail_acupuncture.W001",
                )
            )
    return warnings


#: Wagtail's HTTP purge backend, which sets no request timeout.
WAGTAIL_HTTP_BACKENDS = {
    "wagtail.contrib.frontend_cache.backends.HTTPBackend",
    "wagtail.contrib.frontend_cache.backends.http.HTTPBackend",
}
PACKAGE_HTTP_BACKEND = "wagtail_acupuncture.delivery.purge_backends.HTTPBackend"
#: Cache backends that keep their entries in each process.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}
#: What django-tasks uses when ``TASKS`` is not set.
DEFAULT_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def check_purge_timeouts(app_configs=None, **kwargs):
    """Warn when a frontend-cache backend purges without a timeout (Wagtail's ``HTTPBackend``)."""
    if not apps.is_installed("wagtail.contrib.frontend_cache"):
        return []
    configured = dict(getattr(settings, "WAGTAILFRONTENDCACHE", None) or {})
    if not configured and getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None):
        configured = {"default": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend"}}
    return [
        checks.Warning(
            f"WAGTAILFRONTENDCACHE['{name}'] uses Wagtail's HTTPBackend, which sends purges "
            "without a timeout and never reports a failure: a cache that does not answer holds "
            "the task worker, and a failed purge is not retried.",
            hint=f"Use {PACKAGE_HTTP_BACKEND!r} (same options, plus TIMEOUT).",
            id="wagtail_acupuncture.W002",
        )
        for name, config in configured.items()
        if config.get("BACKEND") in WAGTAIL_HTTP_BACKENDS
    ]


def check_production_stack(app_configs=None, **kwargs):
    """With ``DEBUG`` off, warn about in-process task backends and per-process caches.

    Both work in one process; with several (gunicorn workers, several hosts) each process keeps
    its own render cache and HTTP validators, and runs purges and webhooks in its own threads,
    losing the retries waiting there when it restarts.
    """
    if settings.DEBUG:
        return []
    warnings = []
    tasks = getattr(settings, "TASKS", None) or DEFAULT_TASKS
    for role, alias in [
        ("Frontend-cache purges", acupuncture_settings.PURGE_TASK_BACKEND),
        ("Webhooks", acupuncture_settings.WEBHOOK_TASK_BACKEND),
    ]:
        backend = str((tasks.get(alias) or {}).get("BACKEND", ""))
        try:
            backend_class = import_string(backend)
        except ImportError:
            continue  # a missing alias or class fails loudly where the task is enqueued
        if runs_in_process(backend_class):
            warnings.append(
                checks.Warning(
                    f"{role} run on the in-process task backend TASKS['{alias}'] ({backend}): "
                    "they run in threads of each web process, and retries waiting there are "
                    "lost when the process restarts.",
                    hint=(
                        "Use a worker backend, e.g. 'django_tasks_db.DatabaseBackend' with "
                        "'manage.py db_worker' (docs/deployment.md)."
                    ),
                    id="wagtail_acupuncture.W003",
                )
            )
    caches = settings.CACHES
    aliases = {"API_VALIDATOR_CACHE": acupuncture_settings.API_VALIDATOR_CACHE}
    if acupuncture_settings.RENDER_CACHE:
        aliases["RENDER_CACHE_ALIAS"] = acupuncture_settings.RENDER_CACHE_ALIAS
    for setting, alias in aliases.items():
        backend = str((caches.get(alias) or {}).get("BACKEND", ""))
        if backend in PER_PROCESS_CACHES:
            warnings.append(
                checks.Warning(
                    f"{setting} names the cache '{alias}' ({backend}), which each process keeps "
                    "for itself: with several workers every one renders, stores and validates "
                    "on its own.",
                    hint="Use a shared cache such as django.core.cache.backends.redis.RedisCache.",
                    id="wagtail_acupuncture.W004",
                )
            )
    return warnings
