#!/usr/bin/env python
"""Load test of the production stack while an editor publishes (make loadtest).

Starts the stack of ``docs/deployment.md`` on real parts, as ``tests/stack/`` does (a throwaway
PostgreSQL 15 cluster, Redis, three gunicorn web processes, django-tasks-db's ``db_worker``),
then runs bounded concurrent readers with locust (``benchmarks/locustfile.py``) against the
demo article's HTML and API detail and the example project's home page (a stock Wagtail page),
while an editor process publishes a new revision of the article every ``--publish-every``
seconds. Two runs: **cached** (the package's render cache on, as shipped) and **cold** (render
cache off, every request renders). Prints requests/s, p50/p95/p99, errors and stale reads per
path, then the targets of issue 13 with PASS or MISS. A benchmark, not a test: nothing here
fails the build.

Usage: python benchmarks/loadtest.py [--users N] [--duration S] [--publish-every S] [--quick]
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "example_project")]

from tests.matrix import Postgres, ensure_redis, find_pg_binaries  # noqa: E402
from tests.stack.launcher import Stack, stack_database  # noqa: E402

VERSION_KEY = "loadtest:version"
RUNS = (("cached", "1"), ("cold", "0"))

#: Publishes the article as "<title> v<n>" every few seconds, then records n in Redis (the
#: publish has committed by then). Run with the stack's settings.
EDITOR = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    import redis
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    page_id, redis_url, key, every = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    store = redis.Redis.from_url(redis_url)
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    base = Page.objects.get(id=page_id).title
    version = 0
    while True:
        page = Page.objects.get(id=page_id).specific
        page.title = f"{base} v{version}"
        page.save_revision(user=user).publish(user=user)
        store.set(key, version)
        print(f"published v{version}", flush=True)
        version += 1
        time.sleep(every)
    """
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users", type=int, default=9, help="concurrent readers (default 9: 3 per web process)"
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument(
        "--publish-every", type=float, default=3.0, help="seconds between publishes (default 3)"
    )
    parser.add_argument("--quick", action="store_true", help="20 s per run")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 20
    return args


def say(text=""):
    print(text, flush=True)


def run_readers(stack, args, page_id, html_path, workdir, name):
    """One locust run; ``{path: figures}``."""
    prefix = os.path.join(workdir, name)
    out = os.path.join(workdir, f"{name}-stale.json")
    env = {
        **os.environ,
        "LOADTEST_PORTS": ",".join(str(port) for port in stack.web_ports),
        "LOADTEST_HOST": stack.host,
        "LOADTEST_PAGE_ID": str(page_id),
        "LOADTEST_HTML_PATH": html_path,
        "LOADTEST_VERSION_KEY": VERSION_KEY,
        "LOADTEST_REDIS_URL": stack.env["REDIS_URL"],
        "LOADTEST_OUT": out,
    }
    locust = subprocess.run(
        [sys.executable, "-m", "locust", "-f", os.path.join(ROOT, "benchmarks", "locustfile.py"),
         "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
         "--run-time", f"{args.duration}s", "--csv", prefix, "--only-summary",
         "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if locust.returncode != 0:
        raise RuntimeError(f"locust failed:\n{locust.stdout[-3000:]}\n{locust.stderr[-3000:]}")
    with open(out) as fh:
        stale = json.load(fh)
    with open(f"{prefix}_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            say(f"  {name}: {row['Occurrences']} x {row['Name']}: {row['Error'][:300]}")
    figures = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] == "Aggregated":
                continue
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "errors": int(row["Failure Count"]),
                "stale": stale.get(row["Name"], 0),
            }
    return figures


def print_table(name, figures, users):
    say(f"\n{name}: {users} concurrent readers")
    say(f"  {'path':<28} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7} "
        f"{'stale':>6}")  # fmt: skip
    for path, f in figures.items():
        say(f"  {path:<28} {f['rps']:>7.1f} {f['p50']:>7.0f} {f['p95']:>7.0f} {f['p99']:>7.0f} "
            f"{f['errors']:>7} {f['stale']:>6}")  # fmt: skip


def print_targets(results):
    say("\nTargets (issue 13, item 5)")
    every = [f for figures in results.values() for f in figures.values()]
    checks = [
        ("0 errors", sum(f["errors"] for f in every) == 0, f"{sum(f['errors'] for f in every)}"),
        ("0 stale reads after a publish committed", sum(f["stale"] for f in every) == 0,
         f"{sum(f['stale'] for f in every)}"),
    ]  # fmt: skip
    for path in ("article HTML", "article API"):
        f = results["cached"].get(path)
        if f and f["p50"]:
            ratio = f["p95"] / f["p50"]
            checks.append((f"cached {path} p95 under 4x p50", ratio < 4, f"{ratio:.1f}x"))
    for label, ok, value in checks:
        say(f"  {'PASS' if ok else 'MISS'}  {label}: {value}")


def main(argv):
    args = parse_args(argv)
    problem = ensure_redis(os.environ)
    if problem:
        sys.exit(f"loadtest: {problem}")
    binaries = find_pg_binaries()
    if not binaries:
        sys.exit("loadtest: PostgreSQL server binaries (initdb, pg_ctl) not found")
    cluster = Postgres(binaries)
    error = cluster.start()
    if error:
        sys.exit(f"loadtest: {error}")
    workdir = tempfile.mkdtemp(prefix="acupuncture-loadtest-")
    results = {}
    try:
        with stack_database(cluster.url) as database_url:
            stack = Stack(workdir, database_url, os.environ["REDIS_SERVER"])
            try:
                say("Starting the stack (Redis, PostgreSQL, 3 gunicorn processes, db_worker) ...")
                stack.up()
                [(page_id, url_path)] = stack.query(
                    "SELECT id, url_path FROM wagtailcore_page WHERE slug = %s",
                    ["acupuncture-for-back-pain"],
                )
                html_path = "/" + url_path.strip("/").split("/", 1)[1] + "/"
                stack.start(
                    "editor",
                    [sys.executable, "-c", EDITOR, str(page_id), stack.env["REDIS_URL"],
                     VERSION_KEY, str(args.publish_every)],
                )  # fmt: skip
                time.sleep(args.publish_every + 2)  # v0 is out before the readers start
                for name, render_cache in RUNS:
                    stack.start_web(STACK_RENDER_CACHE=render_cache)
                    say(f"Run '{name}': {args.duration} s ...")
                    results[name] = run_readers(stack, args, page_id, html_path, workdir, name)
                    print_table(name, results[name], args.users)
                publishes = stack.log_of("editor").count("published v")
                say(f"\nThe editor published {publishes} revisions during the runs.")
                print_targets(results)
            finally:
                stack.stop()
    finally:
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
