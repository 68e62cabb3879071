"""``manage.py acupuncture_clear_previews``: delete expired headless previews."""

from django.core.management.base import BaseCommand

from wagtail_acupuncture.models import HeadlessPreview


class Command(BaseCommand):
    """Delete the stored drafts of expired headless previews (or of all, with ``--all``).

    Every new preview deletes the expired ones already; run this from cron on a site where
    previews are rare, so that drafts do not stay in the database.
    """

    help = "Delete expired headless previews (--all: every preview, invalidating open links)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Delete every stored preview, also those still valid.",
        )

    def handle(self, *args, **options):
        if options["all"]:
            deleted, _by_model = HeadlessPreview.objects.all().delete()
        else:
            deleted = HeadlessPreview.objects.clear_expired()
        self.stdout.write(f"Deleted {deleted} headless preview(s).")
