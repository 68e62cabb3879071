"""``manage.py acupuncture_api_schema``: the API's OpenAPI document or TypeScript types."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from wagtail_acupuncture.api.schema import build_openapi, typescript_definitions


class Command(BaseCommand):
    """Write the OpenAPI 3.1 document (JSON) or the TypeScript definitions of the headless API.

    Both are generated from the block definitions and the endpoints' fields, so they change
    with the code: regenerate them in CI and diff.
    """

    help = "Write the headless API's OpenAPI document (JSON) or its TypeScript definitions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["openapi", "typescript"],
            default="openapi",
            help="openapi (JSON, the default) or typescript (.d.ts declarations).",
        )
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")
        parser.add_argument(
            "--base-path",
            default="/api/v2",
            help="Where the endpoints are mounted (the document's server URL); default /api/v2.",
        )

    def handle(self, *args, **options):
        document = build_openapi(base_path=options["base_path"])
        if options["format"] == "typescript":
            text = typescript_definitions(document)
        else:
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            path = Path(options["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
        else:
            self.stdout.write(text, ending="")
