"""Two writers at once on SQLite: with the package's recommended options both succeed.

A publish reads, then writes, in one transaction. In SQLite's default (deferred) transactions
two such writers deadlock and one fails at once with "database is locked"; with
``transaction_mode: IMMEDIATE`` (``SQLITE_CONCURRENT_OPTIONS``, used by the example project)
the second waits for the first. Checked on a real database file, with two threads.
"""

import json
import subprocess
import sys
import textwrap

import pytest

from wagtail_acupuncture.checks import SQLITE_CONCURRENT_OPTIONS, check_sqlite_concurrency

#: Run in a fresh interpreter (its own settings, its own connections per thread).
SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    import django
    from django.conf import settings

    path, options = sys.argv[1], json.loads(sys.argv[2])
    settings.configure(DATABASES={"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": options}})
    django.setup()
    from django.db import OperationalError, connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, title TEXT)")
        cursor.execute("INSERT INTO page (title) VALUES ('Back pain')")
    connection.close()
    both_read = threading.Barrier(2, timeout=2)
    errors = []

    def editor(title):
        from django.db import connection
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT title FROM page WHERE id = 1")
                try:
                    both_read.wait()
                except threading.BrokenBarrierError:
                    pass  # the other editor held the lock: this one waited for it
                cursor.execute("UPDATE page SET title = %s WHERE id = 1", [title])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(f"Edit {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(errors))
    """
)


def publish_at_once(path, options):
    """Two editors that each read, wait for the other, then write; returns their errors."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_default_transactions_lose_one_of_two_concurrent_publishes(tmp_path):
    errors = publish_at_once(tmp_path / "deferred.sqlite3", {"timeout": 5})
    assert errors and "database is locked" in errors[0]


def test_recommended_options_let_both_publishes_succeed(tmp_path):
    assert publish_at_once(tmp_path / "immediate.sqlite3", dict(SQLITE_CONCURRENT_OPTIONS)) == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_system_check_warns_about_deferred_sqlite_transactions(settings):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"}
    fixed = {**sqlite, "OPTIONS": dict(SQLITE_CONCURRENT_OPTIONS)}
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
    settings.DATABASES = {"default": fixed, "deferred": sqlite, "pg": postgres}

    warnings = check_sqlite_concurrency()
    assert [w.id for w in warnings] == ["wagtail_acupuncture.W001"]
    assert "'deferred'" in warnings[0].msg and "database is locked" in warnings[0].msg
    # As Django calls it for a command on some databases (``migrate --database``): the aliases.
    assert check_sqlite_concurrency(databases=["default", "pg"]) == []
    assert len(check_sqlite_concurrency(databases=["deferred"])) == 1
