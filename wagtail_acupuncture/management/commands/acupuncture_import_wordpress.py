"""``manage.py acupuncture_import_wordpress EXPORT.xml --index <page id or path>``."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Page, Site

from wagtail_acupuncture.wordpress.importer import WordPressImporter, WordPressImportError
from wagtail_acupuncture.wordpress.media import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from wagtail_acupuncture.wordpress.report import summary, write
from wagtail_acupuncture.wordpress.wxr import WXRError


def find_index(value):
    """The page ``value`` names: an id, or a path below the default site (``/blog/``)."""
    value = (value or "").strip()
    if value.isdigit():
        page = Page.objects.filter(pk=int(value)).first()
    else:
        site = Site.objects.filter(is_default_site=True).first()
        page = None
        if site is not None:
            path = site.root_page.url_path + value.strip("/") + "/" if value.strip("/") else site.root_page.url_path
            page = Page.objects.filter(url_path=path).first()
    if page is None:
        raise CommandError(f"No page {value!r} (give a page id or a path such as /blog/).")
    return page


def default_report_path():
    """``wordpress-import-<UTC date and time>.html`` in the current directory."""
    return f"wordpress-import-{timezone.now():%Y%m%d-%H%M%S}.html"


class Command(BaseCommand):
    help = (
        "Import posts of a WordPress export (WXR) below an article index: blocks, images, "
        "SEO fields, authors, treatments and redirects. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file (Tools > Export in WordPress).")
        parser.add_argument("--index", required=True, help="The article index: page id or path.")
        parser.add_argument("--uploads", help="A copy of wp-content/uploads to read images from.")
        parser.add_argument("--no-download", action="store_true",
                            help="Never download images (only --uploads).")
        parser.add_argument("--treatments", help="CSV file: category (or tag), treatment slug.")
        parser.add_argument("--collection", help="Image collection (default: after the blog).")
        parser.add_argument("--booking-url", action="append", default=[],
                            help="A link prefix that counts as a booking link (repeatable).")
        parser.add_argument("--no-redirects", action="store_true",
                            help="Do not create redirects from the old permalinks.")
        parser.add_argument("--post-type", action="append", default=None,
                            help="WordPress post types to import (default: post).")
        parser.add_argument("--page-type", default="wagtail_acupuncture.ArticlePage",
                            help="The article type to create (app_label.Model).")
        parser.add_argument("--user", help="Username recorded as the revisions' author.")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                            help="Seconds an image download may take.")
        parser.add_argument("--max-image-bytes", type=int, default=DEFAULT_MAX_BYTES,
                            help="Largest image file accepted.")
        parser.add_argument(
            "--report",
            help="Write the report to this .csv or .html file (default: "
            "wordpress-import-<date and time>.html in the current directory).",
        )
        parser.add_argument("--no-report", action="store_true", help="Write no report file.")
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")

    def handle(self, *args, **options):
        index = find_index(options["index"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            page_model = apps.get_model(options["page_type"])
        except (LookupError, ValueError):
            raise CommandError(f"No page type {options['page_type']!r}.") from None
        try:
            importer = WordPressImporter(
                options["export"],
                index,
                uploads=options["uploads"],
                download=not options["no_download"],
                treatments=options["treatments"],
                collection=options["collection"],
                booking_urls=options["booking_url"],
                redirects=not options["no_redirects"],
                dry_run=options["dry_run"],
                user=user,
                post_types=options["post_type"] or ["post"],
                timeout=options["timeout"],
                max_image_bytes=options["max_image_bytes"],
                page_model=page_model,
                stream=self.stderr._out,
            )
            report = importer.run()
        except FileNotFoundError as error:
            raise CommandError(f"No such export: {error.filename}") from None
        except (WXRError, WordPressImportError) as error:
            raise CommandError(f"{options['export']}: {error}") from None
        self.stdout.write(summary(report))
        if not options["no_report"]:
            path = options["report"] or default_report_path()
            write(report, path)
            self.stdout.write(f"Report written to {path}.")
