"""Images of a WordPress import: read from a copy of ``wp-content/uploads`` or downloaded.

Downloads use http(s) only (redirects included), a timeout, a size limit read as the bytes
arrive, and accept only image content types; every file is opened with Pillow before it is
kept, and images larger than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (Wagtail's own limit) are
refused before they are decoded. Each image is stored once: by its source URL, else by the
checksum of its file, in the collection named after the import.
"""

import hashlib
import io
import posixpath
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

#: Pillow formats kept (SVG, which can carry scripts, is not among them).
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
CONTENT_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/pjpeg"}
UPLOADS_MARKER = "/wp-content/uploads/"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 10


class MediaError(Exception):
    """An image could not be read; the message says why (for the report)."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise MediaError(f"redirected to a non-http(s) URL: {newurl!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class ImageFetcher:
    """Bytes of an image by its URL: from ``uploads_dir`` first, else over HTTP(S) when
    ``download`` is true."""

    def __init__(self, uploads_dir=None, *, download=True, timeout=DEFAULT_TIMEOUT,
                 max_bytes=DEFAULT_MAX_BYTES):
        self.uploads_dir = Path(uploads_dir).resolve() if uploads_dir else None
        self.download = download
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(_HttpOnlyRedirects)

    def fetch(self, url):
        """``bytes`` of the image at ``url``, checked (see :func:`check_image`)."""
        data = None
        if self.uploads_dir is not None:
            data = self._local(url)
        if data is None:
            if not self.download:
                raise MediaError("not found in the uploads folder" if self.uploads_dir else "downloads are off")
            data = self._download(url)
        check_image(data)
        return data

    def _local(self, url):
        path = unquote(urlsplit(url).path)
        if UPLOADS_MARKER not in path:
            return None
        relative = posixpath.normpath(path.split(UPLOADS_MARKER, 1)[1])
        if relative.startswith(("..", "/")):
            raise MediaError("the URL leaves the uploads folder")
        file = (self.uploads_dir / relative).resolve()
        if self.uploads_dir not in file.parents or not file.is_file():
            return None
        if file.stat().st_size > self.max_bytes:
            raise MediaError(f"larger than {self.max_bytes} bytes")
        return file.read_bytes()

    def _download(self, url):
        if urlsplit(url).scheme not in ("http", "https"):
            raise MediaError("not an http(s) URL")
        request = urllib.request.Request(url, headers={"User-Agent": "wagtail-acupuncture-import"})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                if content_type not in CONTENT_TYPES:
                    raise MediaError(f"served as {content_type}, not as an image")
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise MediaError(f"larger than {self.max_bytes} bytes")
                data = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:  # urllib refuses redirects to other schemes
                raise MediaError("redirected to a non-http(s) URL") from None
            raise MediaError(f"HTTP {error.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise MediaError(f"download failed ({getattr(error, 'reason', error)})") from None
        if len(data) > self.max_bytes:
            raise MediaError(f"larger than {self.max_bytes} bytes")
        return data


def check_image(data):
    """Raise :class:`MediaError` unless ``data`` is a JPEG, PNG, GIF or WebP image within
    ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (its header is read before anything is decoded)."""
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise MediaError(f"{image.format} is not an accepted image format")
            width, height = image.size
            if max_pixels and width * height > max_pixels:
                raise MediaError(f"{width}x{height} pixels is more than {max_pixels}")
            image.verify()
    except MediaError:
        raise
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise MediaError(f"not a readable image ({error})") from None


def checksum(data):
    return hashlib.sha256(data).hexdigest()


def collection_named(name, *, create=True):
    """The collection ``name`` below the root collection (made when ``create``)."""
    collection = Collection.objects.filter(name=name).first()
    if collection is None and create:
        collection = Collection.get_first_root_node().add_child(name=name)
    return collection


def store_image(data, *, url, title, description, collection):
    """A Wagtail image of ``data``: one of ``collection`` with the same file, else a new one.
    Returns ``(image, created)``."""
    Image = get_image_model()
    file_hash = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash
    existing = Image.objects.filter(collection=collection, file_hash=file_hash).first()
    if existing is not None:
        return existing, False
    name = posixpath.basename(urlsplit(url).path) or "image"
    image = Image(title=title[:255] or name, collection=collection)
    if hasattr(image, "description"):
        image.description = description[:255]
    image.file = ImageFile(io.BytesIO(data), name=name)
    image.file_size = len(data)
    image.file_hash = file_hash
    image.save()
    return image, True
