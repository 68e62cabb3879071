"""Shared pieces of the WordPress import tests: the sample export and its uploads folder."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wordpress"
SAMPLE = FIXTURES / "clinic-export.xml"


@pytest.fixture(autouse=True)
def in_tmp_dir(monkeypatch, tmp_path):
    """Imports run in a temporary directory, where a run without ``--report`` writes its report."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def jpeg(width=64, height=48, color=(29, 107, 95)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def make_uploads(root):
    """A ``wp-content/uploads`` copy holding the sample's two images."""
    folder = Path(root) / "2024" / "11"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "back-pain-hero.jpg").write_bytes(jpeg(160, 90))
    (folder / "back-pain-figure.jpg").write_bytes(jpeg(120, 80, (138, 106, 63)))
    return Path(root)


def run_import(export, index, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("acupuncture_import_wordpress", str(export), "--index", str(index.pk), *args,
                 stdout=out, stderr=err)
    return out.getvalue()


def _plain(html):
    from wagtail_acupuncture.wordpress.mapping import plain_text

    return plain_text(html.source if hasattr(html, "source") else str(html))


def block_texts(body):
    """``[(type, texts)]`` of a body: its block structure and what each block says (images
    by type only: the demo's are placeholders)."""
    out = []
    for child in body:
        value, kind = child.value, child.block_type
        if kind == "heading":
            texts = (value["text"], value["level"])
        elif kind == "paragraph":
            texts = _plain(value)
        elif kind == "key_points":
            texts = (value["heading"], [(i["title"], _plain(i["text"])) for i in value["items"]])
        elif kind == "faq":
            texts = (value["heading"], _plain(value["intro"]),
                     [(i["question"], _plain(i["answer"])) for i in value["items"]])
        elif kind == "booking_cta":
            texts = (value["heading"], value["text"], value["button_label"], value["placement"])
        elif kind == "notice":
            texts = (_plain(value["text"]), value["tone"])
        elif kind == "quote":
            texts = (value["text"], value["attribution"])
        else:
            texts = ()
        out.append((kind, texts))
    return out
