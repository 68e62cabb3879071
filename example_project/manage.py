#!/usr/bin/env python
"""Command-line entry point of the example project (development settings by default)."""

import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings.dev")
    # Run against this checkout's wagtail_acupuncture when the package is not installed.
    # An installed copy (pip install -e . or a wheel) comes first on sys.path and wins.
    sys.path.append(str(Path(__file__).resolve().parent.parent))

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
