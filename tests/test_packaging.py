"""The built wheel ships everything a site needs: templates, static files, migrations, locale."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")
    # build from a copy: setuptools writes build/ and *.egg-info into the source tree
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "wagtail_acupuncture",
        source / "wagtail_acupuncture",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (path,) = out.glob("wagtail_acupuncture-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_package_data(wheel):
    names = set(wheel.namelist())
    expected = [
        "wagtail_acupuncture/templates/wagtail_acupuncture/pages/article_page.html",
        "wagtail_acupuncture/templates/wagtail_acupuncture/blocks/faq.html",
        "wagtail_acupuncture/static/wagtail_acupuncture/css/acupuncture.css",
        "wagtail_acupuncture/migrations/0001_initial.py",
        "wagtail_acupuncture/locale/en/LC_MESSAGES/django.po",
        "wagtail_acupuncture/locale/en/LC_MESSAGES/django.mo",
    ]
    for name in expected:
        assert name in names, name
    for path in (ROOT / "wagtail_acupuncture" / "templates").rglob("*.html"):
        assert str(path.relative_to(ROOT)) in names, path


def test_wheel_leaves_out_tests_and_example(wheel):
    names = wheel.namelist()
    assert not [n for n in names if n.startswith(("tests/", "example_project/", "clinic/"))]


def test_wheel_metadata(wheel):
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    assert "Name: wagtail-acupuncture" in text
    assert "Requires-Python: >=3.11" in text
    for requirement in ("wagtail<9.0,>=7.4", "django<6.2,>=5.2", "wagtail-modeladmin"):
        assert requirement.replace(" ", "") in text.replace(" ", ""), requirement
