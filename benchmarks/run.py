#!/usr/bin/env python
"""Benchmark wagtail-acupuncture's API and HTML against stock Wagtail and a floor (make bench).

One process, one run: for each database (SQLite, then a throwaway PostgreSQL 15 cluster started
as ``tests/matrix.py`` starts it) the script migrates a fresh database, builds its data (the
demo, synthetic articles and their stock peers, listings, a 10,000-article archive), measures
every subject with Django's test client and finally prints one table per database, the ratios
and the targets of issue 7 with PASS or MISS. ``benchmarks/README.md`` explains the subjects.

Usage: python benchmarks/run.py [--quick] [--reps N] [--db sqlite,postgres] [--archive N]
                                [--json PATH]
"""

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "example_project")]
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

#: (N FAQ items = K images = L links, M treatments) of the synthetic articles.
SIZES = [(n, m) for n in (2, 20, 100) for m in (1, 12)]
DATABASES = ("sqlite", "postgres")
DETAIL_CEILING = 12
#: The package as shipped (render cache on) and without its render cache (every request renders).
IMPLS = ("ours", "cold")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (8 instead of 25)")
    parser.add_argument("--reps", type=int, help="timed requests per subject")
    parser.add_argument(
        "--db",
        default="sqlite,postgres",
        help="databases to run, comma separated (default: sqlite,postgres)",
    )
    parser.add_argument(
        "--archive", type=int, default=10_000, help="articles in the large index (default 10000)"
    )
    parser.add_argument(
        "--json",
        default=os.path.join(ROOT, "benchmarks", "results", "latest.json"),
        help="where to write the figures as JSON (default benchmarks/results/latest.json)",
    )
    args = parser.parse_args(argv)
    args.dbs = [name for name in DATABASES if name in args.db.replace(",", " ").split()]
    if not args.dbs:
        parser.error(f"--db: choose from {', '.join(DATABASES)}")
    args.reps = args.reps or (8 if args.quick else 25)
    return args


def say(text=""):
    print(text, flush=True)


# ------------------------------------------------------------------------------ environment


def machine():
    import django
    import wagtail

    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "platform": platform.platform(),
    }


def stock_query():
    """Stock Wagtail 8 expands rich text only when asked; Wagtail 7 has no such parameter."""
    import wagtail

    return "rich_text_format=html" if wagtail.VERSION >= (8,) else ""


def with_query(url, query):
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def start_postgres():
    """``(cluster, DATABASES entry)`` of a throwaway PostgreSQL cluster, or ``(None, reason)``."""
    from tests.matrix import Postgres, find_pg_binaries

    binaries = find_pg_binaries()
    if not binaries:
        return None, "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found"
    cluster = Postgres(binaries)
    error = cluster.start()
    if error:
        cluster.stop()
        return None, error.splitlines()[0]
    import psycopg

    name = "acupuncture_bench"
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return cluster, {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": str(cluster.port),
        "CONN_MAX_AGE": None,
    }


# ------------------------------------------------------------------------------ data


def build(args):
    """Migrate the current database and create every subject; returns their objects."""
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from benchmarks import subjects
    from wagtail_acupuncture.models import ArticlePage

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"  migrated in {time.perf_counter() - started:.0f}s")
    started = time.perf_counter()
    call_command("load_acupuncture_demo", verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page.specific
    pool = subjects.Pool(home=home)
    data = {"demo": ArticlePage.objects.get(slug="acupuncture-for-back-pain")}
    bench = subjects.add_index(home, "bench")
    stock = subjects.add_live(home, Page(title="Stock", slug="stock"))
    for n, m in SIZES:
        size = {"faq": n, "treatments": m, "images": n, "links": n}
        data[("ours", n, m)] = subjects.build_synthetic_article(bench, pool, **size)
        data[("stock", n, m)] = subjects.build_stock_page(stock, pool, **size)
    data["listing"] = subjects.add_index(home, "listing")
    data["stock_listing"] = subjects.add_live(
        home, Page(title="Stock listing", slug="stock-listing")
    )
    subjects.build_listing(data["listing"], pool, 100, stock_parent=data["stock_listing"])
    say(f"  demo, 12 synthetic pages, 200 listing pages in {time.perf_counter() - started:.0f}s")
    started = time.perf_counter()
    data["archive"] = subjects.add_index(home, "archive")
    data["archive_treatments"] = subjects.archive_treatments()
    subjects.bulk_articles(data["archive"], args.archive, data["archive_treatments"])
    say(f"  {args.archive} archive articles in {time.perf_counter() - started:.1f}s")
    data["treatment"] = pool.treatments[0]
    analyze()
    return data


def analyze():
    """PostgreSQL: refresh the planner's statistics, as autovacuum does on a live database.

    Without them the planner believes the freshly filled tables are nearly empty. SQLite keeps
    no statistics unless asked, which is how sites run it, so it is left alone.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ------------------------------------------------------------------------------ measuring


def measure_all(bench, data):
    from benchmarks.urls import FLOOR_PAYLOADS

    stock = stock_query()
    api = "/api/v2/pages"
    stock_api = "/stock-api/v2/pages"

    def detail(subject, page, stock_page=None):
        url = f"{api}/{page.pk}/"
        FLOOR_PAYLOADS[subject] = bench.get(url).json()
        entries = [
            (subject, "ours", url),
            (subject, "cold", url),
            (subject, "floor", f"/floor/{subject}/"),
        ]
        if stock_page is not None:
            entries.append((subject, "stock", with_query(f"{stock_api}/{stock_page.pk}/", stock)))
        bench.measure_many(entries)

    say("  API detail")
    detail("detail demo back pain", data["demo"])
    for n, m in SIZES:
        detail(f"detail N={n} M={m}", data[("ours", n, m)], data[("stock", n, m)])

    say("  HTML")
    demo_url = data["demo"].url
    bench.measure_many(
        [("html demo back pain", "ours", demo_url), ("html demo back pain", "cold", demo_url)]
    )
    for n, m in SIZES:
        subject = f"html N={n} M={m}"
        bench.measure_many(
            [
                (subject, "ours", data[("ours", n, m)].url),
                (subject, "cold", data[("ours", n, m)].url),
                (subject, "stock", data[("stock", n, m)].url),
            ]
        )

    say("  listings")
    listing, stock_listing = data["listing"], data["stock_listing"]
    for limit in (20, 100):
        subject = f"listing {limit} fields=*"
        ours = f"{api}/?child_of={listing.pk}&type=wagtail_acupuncture.ArticlePage"
        theirs = f"{stock_api}/?child_of={stock_listing.pk}&type=bench_stock.StockPage"
        bench.measure_many(
            [
                (subject, "ours", f"{ours}&fields=*&limit={limit}"),
                (subject, "cold", f"{ours}&fields=*&limit={limit}"),
                (subject, "stock", with_query(f"{theirs}&fields=*&limit={limit}", stock)),
            ]
        )
    indexes = [
        ("100", listing, data["treatment"]),
        ("10k", data["archive"], data["archive_treatments"][0]),
    ]
    for impl in IMPLS:
        bench.measure_many(
            [(f"index html {label}", impl, index.url) for label, index, _ in indexes]
        )
        bench.measure_many(
            [
                (f"index html {label} ?treatment=", impl, f"{index.url}?treatment={t.slug}")
                for label, index, t in indexes
            ]
        )
        bench.measure_many(
            [
                (
                    f"index api {label}",
                    impl,
                    f"{api}/?child_of={index.pk}&type=wagtail_acupuncture.ArticlePage&limit=20",
                )
                for label, index, _ in indexes
            ]
        )


def run_database(db, args):
    from benchmarks.harness import Bench, reset_caches

    say(f"\n== {db}: building data")
    data = build(args)
    reset_caches()
    say(f"== {db}: measuring ({args.reps} timed requests per subject)")
    bench = Bench(args.reps, progress=say)
    started = time.perf_counter()
    measure_all(bench, data)
    say(f"  measured in {time.perf_counter() - started:.0f}s")
    return bench


# ------------------------------------------------------------------------------ report


def targets(bench, impl="ours"):
    """The targets of issue 7 for one database's figures of ``impl`` ("ours" or "cold")."""
    from benchmarks.harness import Target

    def fig(subject, which=impl):
        return bench.find(subject, which)

    def ratio(subject, other, which=impl):
        return fig(subject, which).median_ms / fig(subject, other).median_ms

    result = []
    detail_subjects = ["detail demo back pain"] + [f"detail N={n} M={m}" for n, m in SIZES]
    result.append(
        Target(
            "detail queries, every size (max)",
            max(fig(s).queries for s in detail_subjects),
            DETAIL_CEILING,
            "q",
        )
    )
    for n, m in SIZES:
        if n == 2:
            result.append(
                Target(f"detail N=2 M={m} vs stock", ratio(f"detail N=2 M={m}", "stock"), 1.3)
            )
        if n == 100:
            result.append(
                Target(f"detail N=100 M={m} vs stock", ratio(f"detail N=100 M={m}", "stock"), 0.5)
            )
    result.append(
        Target("listing 100 fields=* queries", fig("listing 100 fields=*").queries, 12, "q")
    )
    result.append(
        Target("listing 100 fields=* vs stock", ratio("listing 100 fields=*", "stock"), 0.8)
    )
    html_counts = [fig(f"html N={n} M={m}").queries for n, m in SIZES]
    result.append(
        Target(
            "html queries constant in N, M, K, L (max - min)",
            max(html_counts) - min(html_counts),
            0,
            "q",
        )
    )
    for m in (1, 12):
        result.append(Target(f"html N=2 M={m} vs stock", ratio(f"html N=2 M={m}", "stock"), 1.2))
    for kind, suffix in (("index html", ""), ("index html", " ?treatment="), ("index api", "")):
        large, small = f"{kind} 10k{suffix}", f"{kind} 100{suffix}"
        result.append(
            Target(f"{large} vs 100", fig(large).median_ms / fig(small).median_ms, 1.3)
        )
    result.append(
        Target(
            "detail vs floor (worst size)",
            max(ratio(subject, "floor") for subject in detail_subjects),
            25,
        )
    )
    return result


def cold_targets(bench):
    """The cold-render targets of issue 12 (render cache off: first request after a publish,
    previews), and the cached answers kept as fast as the cold detail's."""
    from benchmarks.harness import Target

    def ratio(subject, other, impl="cold"):
        return bench.find(subject, impl).median_ms / bench.find(subject, other).median_ms

    detail_subjects = ["detail demo back pain"] + [f"detail N={n} M={m}" for n, m in SIZES]
    result = []
    for m in (1, 12):
        result.append(
            Target(f"cold detail N=2 M={m} vs stock", ratio(f"detail N=2 M={m}", "stock"), 1.0)
        )
        result.append(
            Target(f"cold detail N=100 M={m} vs stock", ratio(f"detail N=100 M={m}", "stock"), 0.4)
        )
        result.append(
            Target(f"cold html N=2 M={m} vs stock", ratio(f"html N=2 M={m}", "stock"), 1.2)
        )
    result.append(
        Target(
            "cold detail vs floor (worst size)",
            max(ratio(subject, "floor") for subject in detail_subjects),
            15,
        )
    )
    result.append(
        Target(
            "cached detail vs cold (worst size)",
            max(
                bench.find(s, "ours").median_ms / bench.find(s, "cold").median_ms
                for s in detail_subjects
            ),
            1.0,
        )
    )
    return result


def table(bench):
    header = ("subject", "impl", "queries", "median ms", "p95 ms", "bytes", "peak KiB")
    rows = [header]
    for f in bench.results:
        rows.append(
            (
                f.subject,
                f.impl,
                str(f.queries),
                f"{f.median_ms:.2f}",
                f"{f.p95_ms:.2f}",
                str(f.bytes),
                f"{f.peak_kib:.0f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for i, row in enumerate(rows):
        cells = [
            cell.ljust(widths[j]) if j < 2 else cell.rjust(widths[j]) for j, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def ratios(bench):
    lines = []
    for f in bench.results:
        if f.impl not in IMPLS:
            continue
        parts = []
        for other in ("stock", "floor"):
            base = bench.find(f.subject, other)
            if base is not None:
                parts.append(
                    f"{f.median_ms / base.median_ms:5.2f}x {other} time, "
                    f"{f.queries}/{base.queries} queries"
                )
        if parts:
            lines.append(f"{f.subject:<28} {f.impl:<4} " + "; ".join(parts))
    return lines


def report(results, env, notes):
    say("\n" + "=" * 100)
    say(
        f"Machine: {env['nproc']} CPUs, {env['cpu']}; Python {env['python']}, "
        f"Django {env['django']}, Wagtail {env['wagtail']}"
    )
    if stock_query():
        say("Stock API requests carry ?rich_text_format=html (front-end HTML, as ours).")
    else:
        say("Wagtail 7: stock API v2 returns rich text as stored (no link expansion).")
    for note in notes:
        say(note)
    all_met = True
    for db, bench in results.items():
        say(f"\n--- {db} " + "-" * (95 - len(db)))
        for line in table(bench):
            say(line)
        say("\nRatios (ours / baseline, median latency):")
        for line in ratios(bench):
            say("  " + line)
        say("\nTargets (the package as shipped: render cache on):")
        for target in targets(bench):
            all_met &= target.met
            say("  " + target.line())
        say("\nCold renders (render cache off; issue 12):")
        for target in cold_targets(bench):
            all_met &= target.met
            say("  " + target.line())
        say("\nIssue 7's targets without the render cache (for information):")
        for target in targets(bench, "cold"):
            say("  " + target.line())
    return all_met


def write_json(path, results, env, notes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    payload = {
        "machine": env,
        "notes": notes,
        "databases": {
            db: {
                "figures": [f.as_dict() for f in bench.results],
                "targets": [
                    {"name": t.name, "value": t.value, "limit": t.limit, "met": t.met}
                    for t in targets(bench)
                ],
                "cold_targets": [
                    {"name": t.name, "value": t.value, "limit": t.limit, "met": t.met}
                    for t in cold_targets(bench)
                ],
                "issue7_targets_cold": [
                    {"name": t.name, "value": t.value, "limit": t.limit, "met": t.met}
                    for t in targets(bench, "cold")
                ],
            }
            for db, bench in results.items()
        },
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=2)


# ------------------------------------------------------------------------------ main


def main(argv):
    args = parse_args(argv)
    import django

    django.setup()
    from django.conf import settings

    from benchmarks.harness import use_database

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)

    env = machine()
    say(
        f"wagtail-acupuncture benchmark: Python {env['python']}, Django {env['django']}, "
        f"Wagtail {env['wagtail']}, {env['nproc']} CPUs ({env['cpu']})"
    )
    results, notes, cluster = {}, [], None
    started = time.perf_counter()
    try:
        for db in args.dbs:
            if db == "postgres":
                cluster, config = start_postgres()
                if cluster is None:
                    note = f"PostgreSQL SKIPPED: {config}."
                    if "sqlite" in results:
                        note += " Only SQLite was measured."
                    notes.append(note)
                    say(f"\n{note}")
                    continue
                say(f"\n(PostgreSQL 15 throwaway cluster on 127.0.0.1:{cluster.port})")
                use_database(config)
            results[db] = run_database(db, args)
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 130
    finally:
        from django.db import connections

        connections.close_all()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(settings.BENCH_DIR, ignore_errors=True)
    say(f"\nTotal time: {time.perf_counter() - started:.0f}s")
    if not results:
        say("Nothing was measured.")
        return 2
    all_met = report(results, env, notes)
    write_json(args.json, results, env, notes)
    say(f"\nFigures written to {os.path.relpath(args.json, ROOT)}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
