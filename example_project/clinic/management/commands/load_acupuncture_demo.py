"""``manage.py load_acupuncture_demo [--reset]``: load the example project's demo content."""

import os
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.demo import DATA_PATH
from clinic.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME, DemoError, DemoLoader

ACTIONS = ("created", "updated", "deleted", "unchanged", "kept")


class Command(BaseCommand):
    help = (
        "Load the wagtail-acupuncture demo: a home page, the blog at /blog/, the client's article "
        "at /blog/acupuncture-for-back-pain/, six treatments with stub articles, a practitioner, "
        "clinic settings, placeholder images and an admin user. Idempotent: objects that already "
        "match the demo data are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "First delete the demo's home page and every page below it, its treatments, "
                "practitioner, images, clinic settings and admin user, then rebuild them."
            ),
        )

        parser.add_argument(
            "--site-url",
            metavar="URL",
            help=(
                "Set the default site's hostname and port from this address "
                "(e.g. http://127.0.0.1:8000), so canonical and social URLs point at it."
            ),
        )

    def handle(self, *args, reset=False, site_url=None, verbosity=1, **options):
        if not getattr(settings, "ACUPUNCTURE_DEMO_ENABLED", True):
            raise CommandError(
                "The demo is disabled by ACUPUNCTURE_DEMO_ENABLED = False (production settings): "
                "it would create an admin user with a published password."
            )
        self.verbosity = verbosity
        try:
            loader = DemoLoader(site_url=site_url)
        except DemoError as error:
            raise CommandError(str(error)) from error
        source = DATA_PATH.relative_to(DATA_PATH.parents[3])
        self.say(f"Loading the wagtail-acupuncture demo from {source}")
        try:
            with transaction.atomic():
                if reset:
                    loader.reset()
                report = loader.load()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.print_report(report)
        self.print_credentials(report)

    def say(self, text="", style=None, level=1):
        if self.verbosity >= level:
            self.stdout.write(style(text) if style else text)

    def print_report(self, report):
        kinds = list(dict.fromkeys(change.kind for change in report.changes))
        for kind in kinds:
            changes = [change for change in report.changes if change.kind == kind]
            counts = Counter(change.action for change in changes)
            summary = ", ".join(
                f"{counts[action]} {action}" for action in ACTIONS if counts[action]
            )
            self.say(f"  {kind}: {summary}")
            for change in changes:
                self.say(f"      {change.action:<9} {change.label}", level=2)
        for note in report.notes:
            self.say(f"  {note}")
        totals = ", ".join(
            f"{report.count(action)} {action}" for action in ACTIONS if report.count(action)
        )
        if report.changed:
            self.say(f"Done: {totals}.", self.style.SUCCESS)
        else:
            self.say(
                f"Done: nothing to change, the demo content is up to date ({totals}).",
                self.style.SUCCESS,
            )

    def print_credentials(self, report):
        user = [change for change in report.changes if change.kind == "admin user"]
        if user and user[0].action == "kept":
            return
        port = os.environ.get("PORT") or "8000"
        rule = "-" * 78
        self.say(rule)
        self.say(f"  Demo admin: http://127.0.0.1:{port}/admin/")
        self.say(f"  username: {ADMIN_USERNAME}    password: {ADMIN_PASSWORD}", self.style.SUCCESS)
        self.say(
            "  WARNING: these credentials are published. Never use this user or password, or load "
            "the demo, on a production site.",
            self.style.WARNING,
        )
        self.say(rule)
