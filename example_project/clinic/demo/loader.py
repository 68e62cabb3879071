"""Writes the demo content of ``back_pain.json`` to the database.

Idempotent: every object has a stable key (page slug under its parent, treatment slug,
practitioner name, image title in the demo collection, username). An object that already matches
the data is left alone, so a second run creates no rows and no revisions. ``reset()`` deletes what
the demo created so that ``load()`` rebuilds it from scratch.
"""

import datetime
import decimal
import html
import io
import json
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site
from wagtail.utils.file import hash_filelike

from wagtail_acupuncture.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
    ClinicSettings,
    Practitioner,
    Treatment,
)

from ..models import HomePage
from . import load_data
from .images import placeholder_jpeg, placeholder_logo_png

#: Image collection holding the demo's placeholder images.
COLLECTION_NAME = "Acupuncture demo"
#: The demo's admin user. The password is published: never load the demo on a production site.
ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "acupuncture-demo"  # noqa: S105
#: Start of the "this is a stub" notice on the related-post pages (fixed, so reruns match).
STUB_NOTICE_STARTS = datetime.datetime(2025, 1, 1)

_BLOCK_IDS = uuid.UUID("0b7d7f4e-3c1a-4f43-9a55-6a6f0f3d2c10")


def rich_text(text):
    """Plain source text as one rich text paragraph."""
    return f"<p>{html.escape(text, quote=False)}</p>"


def cut_excerpt(text):
    """A related post's excerpt, which the source cuts off, ending with an ellipsis."""
    return f"{text} …" if text.endswith((".", "!", "?")) else f"{text}…"


def end_of_year_window(today):
    """``(starts_at, ends_at)`` of the end-of-year notice: 1 October of ``today``'s year until
    1 January of the next year, midnight in the current time zone."""
    starts = timezone.make_aware(datetime.datetime(today.year, 10, 1))
    ends = timezone.make_aware(datetime.datetime(today.year + 1, 1, 1))
    return starts, ends


def site_path(page):
    """The page's path below the site root (the home page is ``/``)."""
    return "/" + page.url_path.split("/", 2)[2]


def stream_state(stream_block, value):
    """A StreamField value (raw list or ``StreamValue``) as comparable JSON data without ids."""
    if not isinstance(value, StreamValue):
        value = stream_block.to_python(value)
    data = [
        {"type": child.block_type, "value": child.block.get_prep_value(child.value)}
        for child in value
    ]
    return _without_ids(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def _without_ids(data):
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    if isinstance(data, dict):
        is_block = "type" in data and "value" in data
        return {
            key: _without_ids(value)
            for key, value in data.items()
            if not (is_block and key == "id")
        }
    return data


class DemoError(Exception):
    """The database holds content the demo will not overwrite."""


@dataclass
class Change:
    kind: str
    label: str
    action: str  # "created", "updated", "unchanged", "deleted", "kept"


@dataclass
class Report:
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, kind, label, action):
        self.changes.append(Change(kind, label, action))

    def count(self, action):
        return sum(1 for change in self.changes if change.action == action)

    @property
    def changed(self):
        return any(change.action in ("created", "updated", "deleted") for change in self.changes)


def parse_site_url(url):
    """``(hostname, port)`` of an ``http(s)://host[:port]`` URL, else :class:`DemoError`."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise DemoError(f"Not a site URL: {url!r} ({error})") from error
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise DemoError(f"Not a site URL: {url!r} (expected http(s)://host[:port])")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


class DemoLoader:
    """Loads (``load``) or removes (``reset``) the demo content.

    ``today`` fixes the date the end-of-year notice window is computed from (default: today).
    ``site_url`` (``http://127.0.0.1:8000``) sets the default site's hostname and port, so that
    canonical and social URLs name the address the demo is served at.
    """

    def __init__(self, data=None, today=None, site_url=None):
        self.data = data if data is not None else load_data()
        self.today = today or timezone.localdate()
        self.site_address = parse_site_url(site_url) if site_url else None
        self.report = Report()
        self.images = {}
        self.created_treatments = set()

    # ------------------------------------------------------------------ entry points

    def load(self):
        self.load_images()
        author = self.load_practitioner(self.data["practitioner"])
        reviewer = self.load_practitioner(self.data["reviewer"])
        site, home = self.load_home()
        self.load_clinic_settings(site)
        blog = self.load_blog(home)
        treatments = self.load_treatments()
        self.load_related_posts(blog, author, treatments)
        article = self.load_article(blog, author, reviewer, treatments)
        own = {t["key"]: treatments[t["key"]] for t in self.data["treatments"]}
        self.link_treatments(own, {article.slug: article, blog.slug: blog})
        self.load_admin_user()
        return self.report

    def treatment_slugs(self):
        """Slugs of the demo's treatments: the article's own and general ones, one per post."""
        return [t["key"] for t in self.data["treatments"]] + [
            post["key"] for post in self.data["related_posts"]
        ]

    def reset(self):
        """Delete the demo's pages (the home page and everything below it), treatments,
        practitioner, images, clinic settings and admin user."""
        add = self.report.add
        home = HomePage.objects.first()
        if home is not None:
            for page in home.get_descendants(inclusive=True).order_by("-path"):
                add("pages", site_path(page), "deleted")
            # Sites cascade with their root page: park them on the tree root meanwhile.
            Site.objects.filter(root_page=home).update(root_page=Page.get_first_root_node())
            home.delete()
        for treatment in Treatment.objects.filter(slug__in=self.treatment_slugs()):
            treatment.delete()
            add("treatments", treatment.name, "deleted")
        names = [self.data["practitioner"]["name"], self.data["reviewer"]["name"]]
        for practitioner in Practitioner.objects.filter(name__in=names):
            practitioner.delete()
            add("practitioner", str(practitioner), "deleted")
        collection = Collection.objects.filter(name=COLLECTION_NAME).first()
        if collection is not None:
            for image in get_image_model().objects.filter(collection=collection):
                image.delete()  # its file is removed when the transaction commits
                add("images", image.title, "deleted")
            collection.delete()
        site = Site.objects.filter(is_default_site=True).first()
        for clinic in ClinicSettings.objects.filter(site=site):
            clinic.delete()
            add("clinic settings", clinic.clinic_name, "deleted")
        for user in get_user_model().objects.filter(username=ADMIN_USERNAME, email=ADMIN_EMAIL):
            user.delete()
            add("admin user", ADMIN_USERNAME, "deleted")
        return self.report

    # ------------------------------------------------------------------ images and snippets

    def load_images(self):
        Image = get_image_model()
        collection = Collection.objects.filter(name=COLLECTION_NAME).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(name=COLLECTION_NAME)
        for spec in self.data["images"]:
            width, height = spec["size"]
            image = Image.objects.filter(collection=collection, title=spec["title"]).first()
            action = "unchanged"
            if image is None:
                image = Image(title=spec["title"], collection=collection)
                action = "created"
            elif not self._image_file_ok(image, width, height):
                image.renditions.all().delete()
                action = "updated"
            if action != "unchanged":
                if spec.get("kind") == "logo":
                    content = placeholder_logo_png(width, height, spec["colors"])
                    name = f"demo-{spec['key']}.png"
                else:
                    content = placeholder_jpeg(width, height, spec["colors"])
                    name = f"demo-{spec['key']}.jpg"
                image.file = ImageFile(io.BytesIO(content), name=name)
                image.file_size = len(content)
                image.file_hash = hash_filelike(io.BytesIO(content))
            if image.description != spec["description"]:
                image.description = spec["description"]
                action = "updated" if action == "unchanged" else action
            if action != "unchanged":
                image.save()
            self.report.add("images", spec["title"], action)
            self.images[spec["key"]] = image

    @staticmethod
    def _image_file_ok(image, width, height):
        if (image.width, image.height) != (width, height) or not image.file:
            return False
        return image.file.storage.exists(image.file.name)

    def load_practitioner(self, spec):
        fields = {
            "credentials": spec["credentials"],
            "job_title": spec["job_title"],
            "bio": rich_text(spec["bio"]),
        }
        practitioner = Practitioner.objects.filter(name=spec["name"]).first()
        if practitioner is None:
            practitioner = Practitioner.objects.create(name=spec["name"], **fields)
            action = "created"
        else:
            action = self._update(practitioner, fields)
        self.report.add("practitioner", str(practitioner), action)
        return practitioner

    def load_clinic_settings(self, site):
        existed = ClinicSettings.objects.filter(site=site).exists()
        clinic = ClinicSettings.for_site(site)
        fields = {key: value for key, value in self.data["clinic"].items() if key != "logo"}
        fields.update(
            latitude=decimal.Decimal(fields["latitude"]),
            longitude=decimal.Decimal(fields["longitude"]),
            logo_id=self.images[self.data["clinic"]["logo"]].pk,
            opening_hours=[
                {"type": "hours", "value": row, "id": self._block_id("opening-hours", n)}
                for n, row in enumerate(fields["opening_hours"])
            ],
        )
        action = self._update(clinic, fields)
        self.report.add("clinic settings", clinic.clinic_name, action if existed else "created")

    def load_admin_user(self):
        User = get_user_model()
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user is None:
            User.objects.create_superuser(
                username=ADMIN_USERNAME,
                email=ADMIN_EMAIL,
                password=ADMIN_PASSWORD,
                first_name="Demo",
                last_name="Admin",
            )
            self.report.add("admin user", ADMIN_USERNAME, "created")
        elif user.email == ADMIN_EMAIL and user.check_password(ADMIN_PASSWORD):
            self.report.add("admin user", ADMIN_USERNAME, "unchanged")
        else:
            self.report.add("admin user", ADMIN_USERNAME, "kept")
            self.report.notes.append(
                f"A user '{ADMIN_USERNAME}' exists with another password or email: left unchanged."
            )

    # ------------------------------------------------------------------ pages

    def load_home(self):
        spec = self.data["home"]
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.first()
        if home is None and site is not None and site.root_page.depth > 1:
            welcome = site.root_page
            if not self._is_wagtail_welcome_page(welcome):
                raise DemoError(
                    f"The default site's root page is '{welcome.title}' "
                    f"({welcome.specific_class.__name__}), not Wagtail's initial welcome page: "
                    "load the demo into a new database."
                )
            Site.objects.filter(pk=site.pk).update(root_page=Page.get_first_root_node())
            welcome.delete()
            self.report.notes.append(
                f"Replaced Wagtail's default page '{welcome.title}' by the home page."
            )
        root = Page.get_first_root_node()  # fetched after any deletion: treebeard counts children
        fields = {
            "title": spec["title"],
            "intro": f"<p>{spec['intro']}</p>",
            "body_text": spec["body_text"],
        }
        if home is None:
            home = self._create_page(root, HomePage(slug=spec["slug"], **fields))
        else:
            self._update_page(home, fields)
        if site is None:
            site = Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True
            )
            self.report.add("site", "localhost", "created")
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
            self.report.add("site", site.hostname, "updated")
        if self.site_address and (site.hostname, site.port) != self.site_address:
            site.hostname, site.port = self.site_address
            site.save()
            self.report.add("site", f"{site.hostname}:{site.port}", "updated")
        return site, home

    @staticmethod
    def _is_wagtail_welcome_page(page):
        """Wagtail's initial "Welcome to your new Wagtail site!" page: a plain, childless Page."""
        return page.depth == 2 and page.specific_class is Page and not page.get_children().exists()

    def load_blog(self, home):
        spec = self.data["blog"]
        fields = {"title": spec["title"], "intro": rich_text(spec["intro"]), "show_in_menus": True}
        return self._upsert_page(home, ArticleIndexPage, spec["slug"], fields)

    def load_treatments(self):
        """The treatment snippets by slug: the article's own and the general one, then one per
        related post (named as a treatment, the post's excerpt as summary), in source order.

        Links to pages are set by :meth:`link_treatments` once the articles exist.
        """
        specs = [
            {"key": t["key"], "name": t["name"], "summary": t["summary"], "image": t["image"]}
            for t in self.data["treatments"]
        ] + [
            {
                "key": post["key"],
                "name": post["treatment"],
                "summary": cut_excerpt(post["excerpt"]),
                "image": post["image"],
            }
            for post in self.data["related_posts"]
        ]
        treatments = {}
        for spec in specs:
            treatment = Treatment.objects.filter(slug=spec["key"]).first()
            fields = {
                "name": spec["name"],
                "summary": spec["summary"],
                "image_id": self.images[spec["image"]].pk,
            }
            if treatment is None:
                treatment = Treatment(slug=spec["key"], url="", **fields)
                treatment.save()
                treatment.save_revision().publish()
                self.created_treatments.add(treatment.pk)
                action = "created"
            else:
                action = self._publish_treatment(treatment, fields)
            self.report.add("treatments", treatment.name, action)
            treatments[spec["key"]] = treatment
        return treatments

    def link_treatments(self, treatments, articles):
        """Link each treatment to its page: its article (the back pain article or the related
        post's), or the blog for the general one."""
        targets = {t["key"]: t["article"] for t in self.data["treatments"]}
        targets.update({post["key"]: post["slug"] for post in self.data["related_posts"]})
        for key, treatment in treatments.items():
            page = articles.get(targets.get(key))
            fields = {"page_id": page.pk if page else None, "url": ""}
            action = self._publish_treatment(treatment, fields)
            if action != "unchanged" and treatment.pk not in self.created_treatments:
                self.report.add("treatments", treatment.name, action)

    def _publish_treatment(self, treatment, fields):
        if self._matches(treatment, fields) and treatment.live:
            return "unchanged"
        self._assign(treatment, fields)
        treatment.save_revision().publish()
        return "updated"

    def load_related_posts(self, blog, author, treatments):
        """One stub article per related post, in source order, tagged with its treatment and
        the general one (so that articles sharing it are related)."""
        notice_starts = timezone.make_aware(STUB_NOTICE_STARTS).isoformat()
        general = [treatments[t["key"]] for t in self.data["treatments"] if t.get("general")]
        stubs = {}
        for post in self.data["related_posts"]:
            image = self.images[post["image"]]
            body = [
                {
                    "type": "notice",
                    "id": self._block_id(post["slug"], 0),
                    "value": {
                        "text": rich_text(self.data["stub_notice"]),
                        "tone": "info",
                        "starts_at": notice_starts,
                        "ends_at": None,
                    },
                }
            ]
            stubs[post["slug"]] = self._upsert_page(
                blog,
                ArticlePage,
                post["slug"],
                {
                    "title": post["title"],
                    "intro": cut_excerpt(post["excerpt"]),
                    "hero_image_id": image.pk,
                    "author_id": author.pk,
                    "body": body,
                },
                treatments=[treatments[post["key"]], *general],
            )
        self.link_treatments(
            {post["key"]: treatments[post["key"]] for post in self.data["related_posts"]}, stubs
        )
        return stubs

    def load_article(self, blog, author, reviewer, treatments):
        spec = self.data["article"]
        fields = {
            "title": spec["title"],
            "seo_title": spec["seo_title"],
            "intro": spec["intro"],
            "search_description": spec["search_description"],
            "last_reviewed": datetime.date.fromisoformat(spec["last_reviewed"]),
            "hero_image_id": self.images[spec["hero_image"]].pk,
            "author_id": author.pk,
            "reviewed_by_id": reviewer.pk,
            "body": self.article_body(spec["slug"], spec["body"]),
        }
        tagged = [treatments[key] for key in spec["treatments"]]
        return self._upsert_page(blog, ArticlePage, spec["slug"], fields, treatments=tagged)

    def article_body(self, slug, blocks):
        """The article's StreamField data (stable block ids) from the ``body`` list of the data."""
        body = []
        for n, spec in enumerate(blocks):
            kind = spec["type"]
            value = getattr(self, f"_{kind}_value")(spec, lambda i, n=n: self._block_id(slug, n, i))
            body.append({"type": kind, "value": value, "id": self._block_id(slug, n)})
        return body

    # ------------------------------------------------------------------ body block values

    def _paragraph_value(self, spec, item_id):
        return rich_text(spec["text"])

    def _heading_value(self, spec, item_id):
        return {"text": spec["text"], "level": spec["level"], "anchor": ""}

    def _key_points_value(self, spec, item_id):
        items = [
            {
                "type": "item",
                "id": item_id(i),
                "value": {"title": item["title"], "text": rich_text(item["text"])},
            }
            for i, item in enumerate(spec["items"])
        ]
        return {"heading": "", "items": items}

    def _image_value(self, spec, item_id):
        return {
            "image": self.images[spec["image"]].pk,
            "caption": spec["caption"],
            "alt_text": spec["alt_text"],
        }

    def _booking_cta_value(self, spec, item_id):
        return {
            "heading": spec["heading"],
            "text": spec["text"],
            "button_label": spec["button_label"],
            "link_url": "",
            "link_page": None,
            "placement": spec["placement"],
        }

    def _faq_value(self, spec, item_id):
        for question in spec.get("unanswered", []):
            self.report.notes.append(
                f'Left out the FAQ question "{question}": the source gives no answer, '
                "and the demo does not invent one."
            )
        items = [
            {
                "type": "item",
                "id": item_id(i),
                "value": {"question": item["question"], "answer": rich_text(item["answer"])},
            }
            for i, item in enumerate(spec["items"])
        ]
        return {
            "heading": spec["heading"],
            "intro": rich_text(spec["intro"]),
            "items": items,
            "structured_data": True,
        }

    def _notice_value(self, spec, item_id):
        if spec.get("window") != "end-of-year":
            raise ValueError(f"Unknown notice window {spec.get('window')!r}")
        starts, ends = end_of_year_window(self.today)
        self.report.notes.append(
            f"The {spec['tone']} notice shows from {starts:%Y-%m-%d} until {ends:%Y-%m-%d} "
            f"({timezone.get_current_timezone_name()})."
        )
        return {
            "text": rich_text(spec["text"]),
            "tone": spec["tone"],
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
        }

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _block_id(*parts):
        return str(uuid.uuid5(_BLOCK_IDS, "/".join(str(part) for part in parts)))

    @staticmethod
    def _assign(obj, fields):
        for name, value in fields.items():
            setattr(obj, name, value)

    @staticmethod
    def _matches(obj, fields):
        for name, value in fields.items():
            current = getattr(obj, name)
            if isinstance(current, StreamValue):
                stream_block = current.stream_block
                if stream_state(stream_block, current) != stream_state(stream_block, value):
                    return False
            elif getattr(obj, name) != value:
                return False
        return True

    def _update(self, obj, fields):
        """Save a plain model when ``fields`` differ; return the action."""
        if self._matches(obj, fields):
            return "unchanged"
        self._assign(obj, fields)
        obj.full_clean()
        obj.save()
        return "updated"

    def _upsert_page(self, parent, model, slug, fields, treatments=None):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            if treatments is not None:
                self._set_treatments(page, treatments)
            return self._create_page(parent, page)
        self._update_page(page, fields, treatments)
        return page

    def _create_page(self, parent, page):
        self._validate_body(page)
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        self.report.add("pages", site_path(page), "created")
        return page

    def _update_page(self, page, fields, treatments=None):
        current_treatments = (
            [row.treatment_id for row in page.related_treatments.all()]
            if treatments is not None
            else None
        )
        if (
            page.live
            and self._matches(page, fields)
            and current_treatments
            == ([t.pk for t in treatments] if treatments is not None else None)
        ):
            self.report.add("pages", site_path(page), "unchanged")
            return
        self._assign(page, fields)
        if treatments is not None:
            self._set_treatments(page, treatments)
        self._validate_body(page)
        page.save_revision().publish()
        page.refresh_from_db()
        self.report.add("pages", site_path(page), "updated")

    @staticmethod
    def _validate_body(page):
        """Run the body's block validation, as the page editor does (model validation does not)."""
        if isinstance(page, ArticlePage):
            page.body.stream_block.clean(page.body)

    @staticmethod
    def _set_treatments(page, treatments):
        page.related_treatments = [
            ArticlePageTreatment(treatment=treatment, sort_order=n)
            for n, treatment in enumerate(treatments)
        ]
