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


def test_every_variable_of_the_production_stack_is_documented():
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    sources = [
        ROOT / "example_project" / "example_project" / "settings" / "production.py",
        ROOT / "example_project" / "example_project" / "settings" / "base.py",
        ROOT / "example_project" / "gunicorn.conf.py",
    ]
    pattern = r"""(?:environ(?:\.get)?\(|environ\[|_required\()["']([A-Z_]+)["']"""
    variables = {name for path in sources for name in re.findall(pattern, path.read_text())}
    assert {"REDIS_URL", "TASK_BACKEND", "WEB_CONCURRENCY", "CONN_MAX_AGE"} <= variables
    assert sorted(name for name in variables if f"`{name}`" not in deployment) == []


def test_every_system_check_is_documented():
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    package = ROOT / "wagtail_acupuncture"
    source = "".join(path.read_text() for path in package.rglob("*.py"))
    ids = set(re.findall(r'id="(wagtail_acupuncture\.[EW]\d+)"', source))
    assert len(ids) >= 5
    assert sorted(i for i in ids if f"`{i}`" not in deployment) == []
