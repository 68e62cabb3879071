"""System checks of the site's settings that the package depends on (registered in ``ready``).

Settings of the package itself are checked where they are used (webhooks:
:func:`wagtail_acupuncture.delivery.webhooks.check_webhook_settings`).
"""

from django.conf import settings
from django.core import checks

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
    configured = settings.DATABASES if databases is None else databases
    for alias, config in configured.items():
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
