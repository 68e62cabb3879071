"""Writes a WordPress export into an article index: pages, images, practitioners, redirects.

:class:`WordPressImporter` reads the export twice, item by item (memory stays flat): first a
small index of the posts' permalinks and of the attachments, then each post, mapped by
:class:`~.mapping.BodyMapper` and written in its own transaction. Everything is keyed by
``wp:post_id`` (:class:`~wagtail_acupuncture.models.WordPressImportedItem`), so a second run
updates pages as new revisions only where the post changed, and never duplicates pages,
images, practitioners (matched by name) or redirects (looked up before they are added).
Only what WordPress published is published; drafts stay drafts. A dry run writes nothing.
"""

import csv
import datetime
import hashlib
import html
import json
import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..editor_checks import get_editor_warnings
from ..models import AbstractArticleIndexPage, AbstractArticlePage, ArticlePage, Practitioner, Treatment, WordPressImportedItem
from .gutenberg import has_blocks, parse_blocks
from .mapping import BOOKING_URL, BodyMapper, classic_blocks, plain_text
from .media import ImageFetcher, MediaError, checksum, collection_named, store_image
from .report import ImportReport, Progress
from .wxr import WXRReader

#: WordPress statuses imported, and whether the page is published.
STATUSES = {"publish": True, "draft": False, "pending": False, "future": False, "private": False}
_IDS = uuid.UUID("5b0f3a52-8c1e-4c55-9d0e-2f8b7e6a1c44")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.I)
_SEO_VARIABLE = re.compile(r"%%?([a-z_]+)%%?")
#: Placeholder ids of pages and images a dry run would create.
DRY_RUN_ID = 0


class WordPressImportError(Exception):
    """The import cannot start (bad index, missing app, unreadable mapping file)."""


@dataclass
class _Attachment:
    url: str
    title: str
    alt: str


def _path_key(path):
    return (path or "/").rstrip("/").lower() or "/"


def _aware(value):
    if not value or value.startswith("0000"):
        return None
    try:
        moment = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc)


class WordPressImporter:
    """Import ``source`` (a WXR path or binary file) below ``index``.

    Options: ``uploads`` (a copy of ``wp-content/uploads``), ``download`` (fetch images over
    HTTP(S)), ``treatments`` (a CSV mapping categories and tags to treatments), ``collection``
    (the image collection's name), ``booking_urls`` (links that count as booking links),
    ``redirects``, ``dry_run``, ``user`` (the revisions' author), ``post_types``, ``timeout``
    and ``max_image_bytes`` (downloads), ``page_model`` (an article type the index allows).
    """

    def __init__(self, source, index, *, uploads=None, download=True, treatments=None,
                 collection=None, booking_urls=(), redirects=True, dry_run=False, user=None,
                 post_types=("post",), timeout=10, max_image_bytes=10 * 1024 * 1024,
                 page_model=ArticlePage, stream=None):
        index = index.specific
        if not isinstance(index, AbstractArticleIndexPage):
            raise WordPressImportError(f"{index} is not an article index page.")
        if not (isinstance(page_model, type) and issubclass(page_model, AbstractArticlePage)
                and page_model in index.specific_class.allowed_subpage_models()):
            raise WordPressImportError(f"{page_model.__name__} is not an article type {index} allows.")
        if redirects and not apps.is_installed("wagtail.contrib.redirects"):
            raise WordPressImportError(
                "Redirects need 'wagtail.contrib.redirects' in INSTALLED_APPS "
                "(or import without redirects)."
            )
        self.source = source
        self.index = index
        self.fetcher = ImageFetcher(uploads, download=download, timeout=timeout,
                                    max_bytes=max_image_bytes)
        self.treatments_file = treatments
        self.collection_name = collection
        self.booking_urls = [url for url in booking_urls if url]
        self.redirects = redirects
        self.dry_run = dry_run
        self.user = user
        self.post_types = set(post_types)
        self.page_model = page_model
        self.stream = stream
        self.report = ImportReport(dry_run=dry_run)
        self.attachments = {}
        self.attachment_urls = {}
        self.paths = {}
        self.page_ids = {}
        self.images = {}
        self.practitioners = {}
        self.pending = set()

    # ------------------------------------------------------------------ run

    def run(self):
        """Import the export; returns the :class:`~.report.ImportReport`."""
        reader = WXRReader(self.source)
        total = self.read_index(reader)
        channel = reader.channel
        self.blog = (channel.base_blog_url or channel.link or channel.base_site_url).rstrip("/")
        self.report.source = self.blog or channel.title
        self.hosts = {urlsplit(url).netloc.lower() for url in
                      (channel.base_blog_url, channel.base_site_url, channel.link) if url}
        self.authors = channel.authors
        self.collection_name = self.collection_name or f"WordPress import: {channel.title or self.blog}"[:255]
        self.collection = None
        self.treatment_map = self.read_treatments()
        self.site = self.index.get_site()
        records = WordPressImportedItem.objects.filter(
            source=self.blog, kind=WordPressImportedItem.Kind.POST, page__isnull=False
        ).values_list("wp_id", "page_id")
        self.page_ids = dict(records)
        progress = Progress(total, self.stream)
        for item in WXRReader(self.source).items():
            if self.wanted(item):
                self.import_post(item)
                progress.step(item.title)
        progress.finish()
        if self.pending and not self.dry_run:
            # Links to posts that came later in the export: map those posts again.
            pending, self.pending = self.pending, set()
            for item in WXRReader(self.source).items():
                if item.post_id in pending and self.wanted(item):
                    self.import_post(item, again=True)
        return self.report

    def wanted(self, item):
        return item.post_type in self.post_types

    def read_index(self, reader):
        """The permalinks of the posts and the attachments, from a first pass; the number of
        posts to import."""
        total = 0
        for item in reader.items():
            if item.post_type == "attachment" and item.attachment_url:
                alt = item.meta.get("_wp_attachment_image_alt", "")
                self.attachments[item.post_id] = _Attachment(item.attachment_url, item.title, alt)
                self.attachment_urls[_path_key(urlsplit(item.attachment_url).path)] = item.post_id
            elif self.wanted(item):
                total += 1
                path = _path_key(urlsplit(item.link).path) if item.link else "/"
                if path != "/":  # plain permalinks (/?p=12) are matched by their query
                    self.paths[path] = item.post_id
        return total

    def read_treatments(self):
        """``{category or tag (nicename or name, lower case): Treatment}`` from the CSV file
        (columns ``category`` and ``treatment``: a treatment's slug or name)."""
        if not self.treatments_file:
            return {}
        try:
            with open(self.treatments_file, newline="", encoding="utf-8-sig") as file:
                rows = list(csv.reader(file))
        except OSError as error:
            raise WordPressImportError(f"Cannot read the treatments file: {error}") from None
        if rows and rows[0] and rows[0][0].strip().lower() in ("category", "tag", "term"):
            rows = rows[1:]
        mapping = {}
        for number, row in enumerate(rows, start=2):
            if len(row) < 2 or not row[0].strip():
                continue
            term, name = row[0].strip().lower(), row[1].strip()
            treatment = (Treatment.objects.filter(slug=name).first()
                         or Treatment.objects.filter(name__iexact=name).first())
            if treatment is None:
                self.report.note("treatment", f"Treatments file, row {number}: no treatment {name!r}.")
                continue
            mapping[term] = treatment
        return mapping

    # ------------------------------------------------------------------ one post

    def import_post(self, item, again=False):
        entry = self.report.post(item) if not again else self._entry(item.post_id)
        if again:
            entry.notes = [note for note in entry.notes if note[0] == "redirect"]
        self.entry = entry
        if item.status not in STATUSES:
            entry.action = "skipped"
            entry.note("error", f"WordPress status {item.status!r} is not imported.")
            return
        if item.status == "private":
            entry.note("error", "Private in WordPress: imported as a draft.")
        try:
            with transaction.atomic():
                self._import_post(item, entry)
        except (ValidationError, MediaError, ValueError) as error:
            entry.action = "failed"
            entry.note("error", _error_text(error))

    def _entry(self, wp_id):
        return next(e for e in reversed(self.report.posts) if e.wp_id == wp_id)

    def _import_post(self, item, entry):
        publish = STATUSES[item.status]
        record = WordPressImportedItem.objects.filter(
            source=self.blog, kind=WordPressImportedItem.Kind.POST, wp_id=item.post_id
        ).select_related("page").first()
        page = record.page.specific if record and record.page else None
        fields = self.page_fields(item, entry)
        fingerprint = hashlib.sha256(
            json.dumps([fields, publish], sort_keys=True, default=str).encode()
        ).hexdigest()
        treatments = fields.pop("treatments")
        if page is not None and record.checksum == fingerprint:
            if entry.action not in ("created", "updated"):
                entry.action = "unchanged"
            entry.page_id, entry.url = page.pk, page.url or ""
            return
        verb = "would " if self.dry_run else ""
        if self.dry_run:
            entry.action = verb + ("update" if page else "create")
            self.check_editor_warnings(entry, self.page_model(**fields))
            return
        if page is None:
            page = self.page_model(**fields, live=publish)
            page.slug = self.free_slug(page.slug)
            self.set_treatments(page, treatments)
            page.body.stream_block.clean(page.body)
            self.index.add_child(instance=page)
            revision = page.save_revision(user=self.user, log_action=True)
            entry.action = "created"
        else:
            page = page.get_latest_revision_as_object()
            for name, value in fields.items():
                if name != "slug":
                    setattr(page, name, value)
            self.set_treatments(page, treatments)
            page.body.stream_block.clean(page.body)
            revision = page.save_revision(user=self.user, log_action=True)
            if entry.action != "created":
                entry.action = "updated"
            if not publish and page.live:
                entry.note("error", "A draft in WordPress: the new revision is not published, "
                                    "the page stays live as it was.")
        if publish:
            revision.publish(user=self.user)
        page.refresh_from_db()
        if record is None:
            record = WordPressImportedItem(source=self.blog, kind=WordPressImportedItem.Kind.POST,
                                           wp_id=item.post_id)
        record.page, record.checksum = page, fingerprint
        record.save()
        self.page_ids[item.post_id] = page.pk
        entry.page_id, entry.url = page.pk, page.url or ""
        if publish and self.redirects:
            self.redirect(item, page, entry)
        self.check_editor_warnings(entry, page)

    def page_fields(self, item, entry):
        """The page's field values from the post (and its notes on ``entry``)."""
        title = html.unescape(item.title).strip()[:255] or f"WordPress post {item.post_id}"
        mapper = BodyMapper(self.page_model.body.field.stream_block, self.resolve_link,
                            self.resolve_image, self.is_booking_url)
        self.entry = entry
        blocks = parse_blocks(item.content) if has_blocks(item.content) else classic_blocks(item.content)
        body = mapper.map(blocks)
        intro = plain_text(item.excerpt)
        if body and body[0]["type"] == "paragraph" and len(body) > 1:
            first = plain_text(body[0]["value"])
            if not intro or first == intro:
                intro = first
                body = body[1:]
        if not intro:
            # The intro is required: the SEO description, else the first paragraph (kept).
            paragraphs = [plain_text(b["value"]) for b in body if b["type"] == "paragraph"]
            intro = plain_text(item.meta.get("_yoast_wpseo_metadesc") or item.meta.get(
                "rank_math_description") or "") or next(iter(paragraphs), "") or title
        published = _aware(item.post_date_gmt)
        for block in body:
            if block["type"] == "notice":
                block["value"]["starts_at"] = (published or timezone.now()).isoformat()
        for code, message in mapper.notes:
            entry.note(code, message)
        meta = item.meta
        seo_title = self.seo_text(meta.get("_yoast_wpseo_title") or meta.get("rank_math_title"), title, item)
        description = self.seo_text(
            meta.get("_yoast_wpseo_metadesc") or meta.get("rank_math_description"), title, item
        )
        hero_id = None
        thumbnail = meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            hero_id = self.attachment_image(int(thumbnail))
        author = self.practitioner(item.creator)
        treatments = []
        for category in item.categories:
            for key in (category.nicename.lower(), category.name.lower()):
                treatment = self.treatment_map.get(key)
                if treatment is not None and treatment.pk not in treatments:
                    treatments.append(treatment.pk)
        return {
            "title": title,
            "slug": (item.post_name or slugify(title) or f"post-{item.post_id}")[:255],
            "intro": intro,
            "seo_title": seo_title if seo_title != title else "",
            "search_description": description,
            "hero_image_id": hero_id,
            "published_date": published.date() if published else None,
            "author_id": author,
            "body": self.with_ids(body, f"{self.blog}/{item.post_id}"),
            "treatments": treatments,
        }

    @staticmethod
    def with_ids(items, prefix):
        out = []
        for n, item in enumerate(items):
            value = item["value"]
            if isinstance(value, dict) and isinstance(value.get("items"), list):
                value = {**value, "items": [
                    {**child, "id": str(uuid.uuid5(_IDS, f"{prefix}/{n}/{i}"))}
                    for i, child in enumerate(value["items"])
                ]}
            out.append({"type": item["type"], "value": value, "id": str(uuid.uuid5(_IDS, f"{prefix}/{n}"))})
        return out

    def seo_text(self, value, title, item):
        """Yoast's and Rank Math's ``%%title%%`` / ``%title%`` variables filled in (the title
        and excerpt) or left out."""
        if not value:
            return ""
        values = {"title": title, "excerpt": plain_text(item.excerpt)}
        text = _SEO_VARIABLE.sub(lambda m: values.get(m.group(1), ""), html.unescape(value))
        text = re.sub(r"\s+", " ", text).strip(" -|\u2013\u2014")
        return text[:255]

    def free_slug(self, slug):
        siblings = self.index.get_children()
        candidate, n = slug, 2
        while siblings.filter(slug=candidate).exists():
            candidate = f"{slug[:250]}-{n}"
            n += 1
        if candidate != slug:
            self.entry.note("error", f"The slug {slug!r} is taken below the index: {candidate!r}.")
        return candidate

    def set_treatments(self, page, treatment_ids):
        rows = page._meta.get_field("related_treatments").related_model
        page.related_treatments = [
            rows(treatment_id=pk, sort_order=n) for n, pk in enumerate(treatment_ids)
        ]

    def check_editor_warnings(self, entry, page):
        for warning in get_editor_warnings(page):
            entry.note("editor_check", str(warning.message))

    # ------------------------------------------------------------------ links

    def resolve_link(self, href):
        """The page id of an imported post ``href`` links to, else ``None``."""
        try:
            parts = urlsplit(href)
        except ValueError:
            return None
        if parts.scheme not in ("", "http", "https") or (not parts.netloc and not href.startswith("/")):
            return None
        if parts.netloc and parts.netloc.lower() not in self.hosts:
            return None
        wp_id = None
        query = parse_qs(parts.query)
        for key in ("p", "page_id"):
            if query.get(key, [""])[0].isdigit():
                wp_id = int(query[key][0])
        if wp_id is None:
            wp_id = self.paths.get(_path_key(parts.path))
        if wp_id is None:
            if "/wp-content/" not in parts.path:
                self.entry.note("link_not_rewritten", f"{href} is not a post of this export: kept.")
            return None
        page_id = self.page_ids.get(wp_id)
        if page_id is None:
            if self.dry_run:
                return DRY_RUN_ID
            self.pending.add(self.entry.wp_id)
            return None
        return page_id

    def is_booking_url(self, url):
        url = (url or "").strip()
        if not url:
            return False
        if any(url.startswith(prefix) for prefix in self.booking_urls):
            return True
        return bool(BOOKING_URL.search(urlsplit(url).netloc + urlsplit(url).path))

    def redirect(self, item, page, entry):
        Redirect = apps.get_model("wagtailredirects", "Redirect")
        if not item.link:
            return
        old_path = Redirect.normalise_path(item.link)
        new_path = page.get_url(None) or ""
        if not old_path or Redirect.normalise_path(new_path) == old_path:
            return
        existing = Redirect.objects.filter(old_path=old_path, site=self.site).first()
        if existing is None:
            Redirect.objects.create(old_path=old_path, site=self.site, redirect_page=page,
                                    is_permanent=True)
            self.report.counts["redirects created"] += 1
            entry.note("redirect", f"Redirect {old_path} -> {new_path}.")
        elif existing.redirect_page_id != page.pk:
            entry.note("redirect", f"{old_path} already redirects elsewhere: left as it is.")

    # ------------------------------------------------------------------ images and authors

    def attachment_image(self, attachment_id):
        attachment = self.attachments.get(attachment_id)
        if attachment is None:
            self.entry.note("image_missing", f"Attachment {attachment_id} is not in the export.")
            return None
        return self.image(attachment.url, attachment_id, attachment.title, attachment.alt)

    def resolve_image(self, attachment_id, url):
        """``(image id or None, alt text)`` for an image block."""
        wp_id = int(attachment_id) if str(attachment_id or "").isdigit() else None
        if wp_id is None and url:
            path = urlsplit(url).path
            wp_id = self.attachment_urls.get(_path_key(path)) or self.attachment_urls.get(
                _path_key(_SIZE_SUFFIX.sub("", path))
            )
        attachment = self.attachments.get(wp_id) if wp_id else None
        if attachment is None:
            if not url:
                self.entry.note("image_missing", f"Attachment {attachment_id} is not in the export.")
                return None, ""
            return self.image(url, None, "", ""), ""
        return self.image(attachment.url, wp_id, attachment.title, attachment.alt), attachment.alt

    def image(self, url, wp_id, title, alt):
        key = wp_id or url
        if key in self.images:
            return self.images[key]
        kind = WordPressImportedItem.Kind.IMAGE
        records = WordPressImportedItem.objects.filter(source=self.blog, kind=kind, image__isnull=False)
        record = (records.filter(wp_id=wp_id).first() if wp_id else None) or records.filter(
            source_url=url).first()
        if record is not None:
            self.images[key] = record.image_id
            return record.image_id
        try:
            data = self.fetcher.fetch(url)
        except MediaError as error:
            self.entry.note("image_missing", f"Image {url}: {error}.")
            self.images[key] = None
            return None
        if self.dry_run:
            self.report.counts["images to create"] += 1
            self.images[key] = DRY_RUN_ID
            return DRY_RUN_ID
        if self.collection is None:
            self.collection = collection_named(self.collection_name)
        image, created = store_image(data, url=url, title=html.unescape(title), description=alt,
                                     collection=self.collection)
        self.report.counts["images created" if created else "images reused"] += 1
        WordPressImportedItem.objects.create(source=self.blog, kind=kind, wp_id=wp_id,
                                             source_url=url[:1000], checksum=checksum(data),
                                             image=image)
        self.images[key] = image.pk
        return image.pk

    def practitioner(self, login):
        name = (self.authors.get(login) or login or "").strip()
        if not name:
            return None
        if name in self.practitioners:
            return self.practitioners[name]
        practitioner = Practitioner.objects.filter(name=name).first()
        if practitioner is None:
            if self.dry_run:
                self.report.counts["practitioners to create"] += 1
                self.practitioners[name] = None
                return None
            practitioner = Practitioner.objects.create(name=name[:255])
            self.report.counts["practitioners created"] += 1
        self.practitioners[name] = practitioner.pk
        return practitioner.pk


def _error_text(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "Not valid: " + "; ".join(
                f"{name}: {' '.join(str(m) for m in ValidationError(errors).messages)}"
                for name, errors in error.error_dict.items()
            )
        return "Not valid: " + "; ".join(str(m) for m in error.messages)
    return str(error)
