"""Hostile WordPress exports are refused or cleaned, with a clear report."""

import struct
import time
import zlib
from http.server import BaseHTTPRequestHandler
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from tests.local_server import LocalServer
from tests.wordpress_helpers import FIXTURES, in_tmp_dir, jpeg, run_import  # noqa: F401 - autouse fixture
from wagtail_acupuncture.models import ArticlePage
from wagtail_acupuncture.wordpress.media import ImageFetcher, MediaError

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def png_declaring(width, height):
    """A small PNG whose header declares ``width`` x ``height`` pixels (never decoded)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused_naming_the_line(index, name):
    before = row_counts()
    with pytest.raises(CommandError, match=r"line 2: the export declares a document type"):
        run_import(FIXTURES / name, index)
    assert row_counts() == before


def test_a_malformed_export_names_the_line(index, tmp_path):
    broken = tmp_path / "broken.xml"
    lines = (FIXTURES / "clinic-export.xml").read_text().splitlines()
    lines[40] = lines[40] + "<p>"
    broken.write_text("\n".join(lines))
    with pytest.raises(CommandError, match=r"line \d+: not well-formed XML \(mismatched tag"):
        run_import(broken, index)


def test_a_file_that_is_not_an_export_is_refused(index, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?>\n<rss><channel><title>x</title></channel></rss>')
    with pytest.raises(CommandError, match="not a WordPress export"):
        run_import(feed, index)
    html = tmp_path / "page.xml"
    html.write_text("<html><body/></html>")
    with pytest.raises(CommandError, match="line 1: not a WordPress export"):
        run_import(html, index)


def test_a_missing_file_is_a_clear_error(index, tmp_path):
    with pytest.raises(CommandError, match="No such export"):
        run_import(tmp_path / "none.xml", index)


def test_scripts_and_event_handlers_are_removed_and_reported(index):
    out = run_import(FIXTURES / "script-in-content.xml", index, "--no-download")
    page = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    stored = str(page.body.raw_data) + page.intro
    for needle in ("<script", "alert(", "onclick", "onerror", "<iframe", "style=", "evil.example"):
        assert needle not in stored
    assert "Scripts and embeds removed" in out
    paragraph = next(b for b in page.body if b.block_type == "paragraph")
    assert paragraph.value.source.startswith("<p>In this blog")
    faq = next(b for b in page.body if b.block_type == "faq")
    assert faq.value["items"][0]["question"] == "Is acupuncture painful?"


def test_javascript_and_data_links_are_removed_their_text_kept(index, tmp_path):
    report = tmp_path / "report.csv"
    run_import(FIXTURES / "javascript-links.xml", index, "--no-download", "--report", str(report))
    page = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    stored = str(page.body.raw_data).lower()
    for needle in ("javascript:", "data:text", "vbscript:"):
        assert needle not in stored
    assert "https://www.example.com/" in stored and "tel:+15035550100" in stored
    assert "understanding back pain" in stored
    assert not any(b.block_type == "booking_cta" for b in page.body)
    assert report.read_text().count("Unsafe links removed") == 6


def test_an_image_of_too_many_pixels_is_refused(index, tmp_path):
    uploads = tmp_path / "uploads" / "2024" / "11"
    uploads.mkdir(parents=True)
    (uploads / "huge.png").write_bytes(png_declaring(20000, 20000))
    (uploads / "large.jpg").write_bytes(jpeg())
    out = StringIO()
    call_command("acupuncture_import_wordpress", str(FIXTURES / "huge-image.xml"), "--index",
                 str(index.pk), "--uploads", str(tmp_path / "uploads"), "--no-download",
                 "--report", str(tmp_path / "r.csv"), stdout=out)
    assert get_image_model().objects.count() == 1  # the hero image only
    page = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    assert page.hero_image is not None
    assert not any(b.block_type == "image" for b in page.body)
    assert "huge.png" in (tmp_path / "r.csv").read_text()
    assert "pixels" in (tmp_path / "r.csv").read_text()


def test_missing_attachments_are_reported(index, tmp_path):
    (tmp_path / "uploads").mkdir()
    report = tmp_path / "report.csv"
    run_import(FIXTURES / "missing-attachment.xml", index, "--uploads", str(tmp_path / "uploads"),
               "--no-download", "--report", str(report))
    text = report.read_text()
    assert "Attachment 999 is not in the export." in text
    assert "Attachment 998 is not in the export." in text
    assert "not-uploaded.jpg: not found in the uploads folder" in text
    page = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    assert page.hero_image is None
    assert [b.block_type for b in page.body] == ["paragraph"]
    assert get_image_model().objects.count() == 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("large.jpg"):
            body = jpeg(400, 400) + b"\x00" * 200_000
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()  # no Content-Length: the limit is applied while reading
            self.wfile.write(body)
        elif self.path.endswith("huge.png"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<script>alert(1)</script>")
        elif self.path.endswith("slow.jpg"):
            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        elif self.path.endswith("redirect.jpg"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


def test_downloads_check_size_content_type_and_redirects(index, tmp_path):
    with LocalServer(Handler) as server:
        export = tmp_path / "export.xml"
        export.write_text((FIXTURES / "huge-image.xml").read_text().replace(
            "https://clinic.example.com/wp-content", server.location + "/wp-content"))
        report = tmp_path / "report.csv"
        run_import(export, index, "--max-image-bytes", "100000", "--report", str(report))
        text = report.read_text()
        assert "large.jpg: larger than 100000 bytes" in text
        assert "huge.png: served as text/html, not as an image" in text
        assert get_image_model().objects.count() == 0
        fetcher = ImageFetcher(timeout=0.5)
        with pytest.raises(MediaError, match="download failed"):
            fetcher.fetch(server.location + "/slow.jpg")
        with pytest.raises(MediaError, match="non-http"):
            fetcher.fetch(server.location + "/redirect.jpg")
    with pytest.raises(MediaError, match="not an http"):
        ImageFetcher().fetch("file:///etc/passwd")


def test_uploads_paths_never_leave_the_folder(tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    fetcher = ImageFetcher(uploads, download=False)
    with pytest.raises(MediaError, match="leaves the uploads folder"):
        fetcher.fetch("https://clinic.example.com/wp-content/uploads/../secret.jpg")
    with pytest.raises(MediaError, match="leaves the uploads folder"):
        fetcher.fetch("https://clinic.example.com/wp-content/uploads/%2e%2e/secret.jpg")
