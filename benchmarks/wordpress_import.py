"""Benchmark of ``acupuncture_import_wordpress``: posts per second and peak memory.

Generates WordPress exports of N posts (each the sample Yoast/Gutenberg post of
``tests/fixtures/wordpress/clinic-export.xml`` under its own id, title and permalink, linking to
the post before it, sharing the sample's two images) and imports each size into a fresh SQLite
database in its own process, so that the peak resident memory of one size is not that of
another. Prints, per size: posts/s of the import, the process's resident memory before the
import and at its peak. Memory stays flat when the peak does not grow with the size::

    .venv/bin/python benchmarks/wordpress_import.py                 # 500 and 1,000 posts
    .venv/bin/python benchmarks/wordpress_import.py --sizes 200,400
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "tests", "fixtures", "wordpress", "clinic-export.xml")


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return rss_mb()


def write_export(path, posts):
    """An export of ``posts`` copies of the sample's Yoast post, written as it is generated."""
    text = open(SAMPLE, encoding="utf-8").read()
    items = re.findall(r"\t<item>.*?</item>\n", text, re.S)
    head, tail = text.split("\t<item>", 1)[0], "</channel>\n</rss>\n"
    attachments = [item for item in items if "<wp:post_type><![CDATA[attachment]]>" in item]
    post = next(item for item in items if "<wp:post_id>101</wp:post_id>" in item)
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        out.writelines(attachments)
        for n in range(1, posts + 1):
            wp_id, slug = 10_000 + n, f"acupuncture-for-back-pain-{n}"
            previous = f"https://clinic.example.com/2024/11/acupuncture-for-back-pain-{n - 1}/"
            item = (post.replace("<wp:post_id>101</wp:post_id>", f"<wp:post_id>{wp_id}</wp:post_id>")
                    .replace("?p=101", f"?p={wp_id}")
                    .replace("Acupuncture for Back Pain]]></title>", f"Acupuncture for Back Pain {n}]]></title>")
                    .replace("/2024/11/acupuncture-for-back-pain/", f"/2024/11/{slug}/")
                    .replace("<![CDATA[acupuncture-for-back-pain]]>", f"<![CDATA[{slug}]]>")
                    .replace("https://clinic.example.com/2024/11/how-acupuncture-can-relieve-back-pain/", previous))
            out.write(item)
        out.write(tail)


def child(posts):
    """Import ``posts`` posts into a fresh database; prints one JSON line of figures."""
    work = tempfile.mkdtemp(prefix="acupuncture-wp-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path[:0] = [ROOT, os.path.join(ROOT, "example_project")]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from wagtail.models import Site

    from tests.factories import make_index
    from tests.wordpress_helpers import make_uploads
    from wagtail_acupuncture.wordpress.importer import WordPressImporter

    settings.MEDIA_ROOT = os.path.join(work, "media")
    call_command("migrate", verbosity=0)
    index = make_index(Site.objects.get(is_default_site=True).root_page)
    uploads = make_uploads(os.path.join(work, "uploads"))
    export = os.path.join(work, "export.xml")
    write_export(export, posts)
    before = current_rss_mb()
    started = time.perf_counter()
    report = WordPressImporter(export, index, uploads=uploads, download=False).run()
    seconds = time.perf_counter() - started
    actions = report.actions()
    print(json.dumps({
        "posts": posts,
        "created": actions.get("created", 0),
        "failed": actions.get("failed", 0),
        "export_mb": round(os.path.getsize(export) / 1e6, 1),
        "seconds": round(seconds, 1),
        "posts_per_s": round(posts / seconds, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(rss_mb(), 1),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000", help="Export sizes in posts (default 500,1000).")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        result = subprocess.run([sys.executable, __file__, "--child", str(size)], check=True,
                                capture_output=True, text=True, cwd=ROOT)
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
    print(f"{'posts':>6} {'export MB':>9} {'created':>7} {'seconds':>8} {'posts/s':>8} "
          f"{'RSS before MB':>13} {'RSS peak MB':>11} {'growth MB':>9}")
    for row in rows:
        print(f"{row['posts']:>6} {row['export_mb']:>9} {row['created']:>7} {row['seconds']:>8} "
              f"{row['posts_per_s']:>8} {row['rss_before_mb']:>13} {row['rss_peak_mb']:>11} "
              f"{round(row['rss_peak_mb'] - row['rss_before_mb'], 1):>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
