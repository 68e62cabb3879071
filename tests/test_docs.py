"""The README documents every setting and links only to files that exist."""

import re
from pathlib import Path

from wagtail_acupuncture.conf import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [key for key in DEFAULTS if f"`{key}`" not in README]
    assert not missing


def test_no_undocumented_setting_in_readme_table():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.MULTILINE))
    assert documented <= set(DEFAULTS)


def test_readme_shows_the_two_commands():
    assert "make demo" in README
    assert "make test" in README


def test_relative_links_exist():
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README):
        assert (ROOT / target).exists(), target
