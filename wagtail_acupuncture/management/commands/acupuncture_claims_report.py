"""``manage.py acupuncture_claims_report``: the claims findings of every article."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from wagtail_acupuncture.claims.packs import active_rules
from wagtail_acupuncture.claims.report import findings_of
from wagtail_acupuncture.models.registry import article_page_models

COLUMNS = ("page", "field", "rule", "sentence")


class Command(BaseCommand):
    """List the sentences of articles that the claims rules flag: page id, field, rule, sentence.

    Checks every article type's latest versions (``--draft``, the default) or what is live
    (``--live``) against ``CLAIMS_RULES`` or the packs given with ``--pack``. Prints a table, or
    JSON with ``--format json`` (a list of ``{page, title, field, sentence, rule, severity,
    message, matched}``). Exits with status 0 whatever it finds.
    """

    help = "Report the sentences of articles that the claims rules flag (page id, field, rule, sentence)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pack",
            action="append",
            dest="packs",
            metavar="PACK",
            help="A pack name (us-ftc, uk-cap, au-ahpra) or dotted path; repeat for several. "
            "Default: WAGTAIL_ACUPUNCTURE['CLAIMS_RULES'].",
        )
        version = parser.add_mutually_exclusive_group()
        version.add_argument(
            "--live", action="store_const", const="live", dest="version", help="Check live articles as published."
        )
        version.add_argument(
            "--draft",
            action="store_const",
            const="draft",
            dest="version",
            help="Check each article's latest version, drafts included (the default).",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")

    def handle(self, *args, packs=None, version=None, format="table", **options):
        try:
            rules = active_rules(packs)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        rows = []
        for model in article_page_models():
            pages = model.objects.order_by("pk")
            for page, findings in findings_of(pages, version=version or "draft", rules=rules):
                rows.extend({**finding.as_dict(), "title": page.title} for finding in findings)
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.write_table(rows)

    def write_table(self, rows):
        if not rows:
            self.stdout.write("No claims flagged.")
            return
        table = [COLUMNS, *[tuple(str(row[name]) for name in COLUMNS) for row in rows]]
        widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS) - 1)]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths)]
            self.stdout.write("  ".join([*cells, line[-1]]).rstrip())
        self.stdout.write(f"{len(rows)} sentence(s) flagged.")
