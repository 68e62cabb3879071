"""The example project's demo: shipped data, loader, idempotency, rendering, settings.

The demo data (``example_project/clinic/demo/back_pain.json``) is checked against the client's
article as received (``acupuncture-for-back-pain.txt`` next to it), then the loaded article against
the data, then the rendered page against the article, paragraph for paragraph.
"""

import datetime
import html
import importlib
import io
import re
import sys

import pytest
from clinic.demo import SEED_PATH, load_data
from clinic.demo.loader import (
    ADMIN_EMAIL,
    ADMIN_USERNAME,
    COLLECTION_NAME,
    DemoLoader,
    end_of_year_window,
)
from clinic.models import HomePage
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.images import get_image_model

from wagtail_acupuncture.editor_checks import get_editor_warnings
from wagtail.models import Page, Revision, Site

from tests.factories import make_index
from wagtail_acupuncture.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
    ClinicSettings,
    Practitioner,
    Treatment,
)

ARTICLE_URL = "/blog/acupuncture-for-back-pain/"
UNANSWERED = "Can acupuncture help with other health issues beyond back pain?"

#: The back pain article's body, block by block, in source order (the image is the demo's own).
BLOCK_TYPES = [
    "paragraph",  # In this blog, ...
    "booking_cta",  # Before we dive in, ...
    "heading",  # Understanding Back Pain: Common Causes and Daily Impact
    "paragraph",
    "paragraph",
    "heading",  # How Acupuncture Can Relieve Back Pain
    "paragraph",
    "key_points",  # Endorphin Release, Improved Blood Circulation, Muscle Relaxation
    "image",
    "heading",  # Why Choose Acupuncture for Back Pain?
    "paragraph",
    "key_points",  # Non-Invasive Treatment, Minimal Side Effects ..., Promotes Overall Wellness
    "faq",  # Frequently Asked Questions
    "heading",  # Finding Relief and Reclaiming Comfort with Acupuncture
    "paragraph",
    "booking_cta",  # If you're interested in learning more, book a consultation ...
    "notice",  # Remember as we get closer to the end of the year, ...
]


def seed_lines():
    return [line for line in SEED_PATH.read_text(encoding="utf-8").split("\n") if line.strip()]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_acupuncture_demo", *args, stdout=out)
    return out.getvalue()


def page_text(content):
    """Visible text of the page's <main>: tags and scripts removed, whitespace collapsed."""
    source = content.decode()
    main = source[source.index("<main") : source.index("</main>")]
    main = re.sub(r"<script\b.*?</script>", " ", main, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def snapshot():
    """Row counts and the revision state of every page and treatment."""
    User = get_user_model()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "treatments": Treatment.objects.count(),
        "article treatments": ArticlePageTreatment.objects.count(),
        "practitioners": Practitioner.objects.count(),
        "images": get_image_model().objects.count(),
        "users": User.objects.count(),
        "clinic settings": ClinicSettings.objects.count(),
        "page revisions": sorted(
            Page.objects.values_list(
                "pk", "latest_revision_id", "live_revision_id", "last_published_at"
            )
        ),
        "treatment revisions": sorted(
            Treatment.objects.values_list("pk", "latest_revision_id", "live_revision_id")
        ),
        "image files": sorted(get_image_model().objects.values_list("pk", "file")),
    }


def article():
    return ArticlePage.objects.get(url_path="/home/blog/acupuncture-for-back-pain/")


@pytest.fixture
def december(monkeypatch):
    """Freeze time on 1 December of this year, inside the end-of-year notice's window."""
    frozen = timezone.make_aware(datetime.datetime(timezone.localdate().year, 12, 1, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


@pytest.fixture
def demo(db, december):
    return load_demo()


# --------------------------------------------------------------------------- the shipped data


def test_data_file_transcribes_the_seed_line_for_line():
    """Rebuild the client's article from the data file: it must give back every line, in order."""
    data = load_data()
    lines = [data["article"]["intro"]]
    for block in data["article"]["body"]:
        kind = block["type"]
        if kind in ("paragraph", "heading", "notice"):
            lines.append(block["text"])
        elif kind == "booking_cta":
            lines.append(f"{block['heading']} {block['text']}")
        elif kind == "key_points":
            lines.extend(f"- {item['title']}: {item['text']}" for item in block["items"])
        elif kind == "faq":
            lines += [block["heading"], block["intro"]]
            for item in block["items"]:
                lines += [item["question"], item["answer"]]
            lines += block["unanswered"]
        else:
            assert kind == "image" and block["demo"] is True, f"{kind} block not from the source"
    for post in data["related_posts"]:
        lines += [post["title"], post["excerpt"]]

    assert lines == seed_lines()
    assert data["article"]["search_description"] in data["article"]["intro"]
    assert data["article"]["body"][12]["unanswered"] == [UNANSWERED]


def test_data_file_has_the_block_sequence():
    assert [block["type"] for block in load_data()["article"]["body"]] == BLOCK_TYPES


# --------------------------------------------------------------------------- loading


def test_home_page_replaces_the_welcome_page_as_site_root(demo):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()
    assert "Replaced Wagtail's default page" in demo
    blog = ArticleIndexPage.objects.get()
    assert blog.get_parent().pk == home.pk
    assert blog.url == "/blog/"
    assert article().url == ARTICLE_URL


def test_article_has_every_block_in_source_order(demo):
    page = article()
    assert [child.block_type for child in page.body] == BLOCK_TYPES
    assert page.live and not page.has_unpublished_changes
    assert page.hero_image is not None
    assert page.author.display_name == "Demo Practitioner, L.Ac."
    # the body passes the editor's block validation (FAQ answers required, notice window, ...)
    for stub_or_article in ArticlePage.objects.all():
        stub_or_article.body.stream_block.clean(stub_or_article.body)


def test_article_matches_the_data_file_block_for_block(demo):
    data = load_data()["article"]
    page = article()
    assert page.title == data["title"]
    assert page.intro == data["intro"]
    assert page.search_description == data["search_description"]

    def text(rich):
        return html.unescape(strip_tags(rich.source))

    for child, spec in zip(page.body, data["body"], strict=True):
        value = child.value
        match child.block_type:
            case "paragraph":
                assert text(value) == spec["text"]
            case "heading":
                assert (value["text"], value["level"]) == (spec["text"], spec["level"])
            case "key_points":
                items = [(item["title"], text(item["text"])) for item in value["items"]]
                assert items == [(item["title"], item["text"]) for item in spec["items"]]
            case "booking_cta":
                assert (value["heading"], value["text"], value["placement"]) == (
                    spec["heading"],
                    spec["text"],
                    spec["placement"],
                )
            case "faq":
                assert value["heading"] == "Frequently Asked Questions" == spec["heading"]
                assert text(value["intro"]) == spec["intro"]
                items = [(item["question"], text(item["answer"])) for item in value["items"]]
                assert items == [(item["question"], item["answer"]) for item in spec["items"]]
            case "notice":
                assert text(value["text"]) == spec["text"]
                assert value["tone"] == "seasonal"
            case "image":
                assert value["image"].collection.name == COLLECTION_NAME
                assert value["caption"] == spec["caption"]


def test_seasonal_notice_covers_the_end_of_the_current_year(demo, december):
    notice = next(child.value for child in article().body if child.block_type == "notice")
    starts, ends = end_of_year_window(december.date())
    assert (notice["starts_at"], notice["ends_at"]) == (starts, ends)
    assert timezone.localtime(starts).replace(tzinfo=None) == datetime.datetime(
        december.year, 10, 1
    )
    assert timezone.localtime(ends).replace(tzinfo=None) == datetime.datetime(
        december.year + 1, 1, 1
    )
    assert notice.active


def test_end_of_year_window():
    starts, ends = end_of_year_window(datetime.date(2031, 3, 5))
    assert (starts.date(), ends.date()) == (datetime.date(2031, 10, 1), datetime.date(2032, 1, 1))
    assert timezone.is_aware(starts) and timezone.is_aware(ends)


def test_unanswered_faq_question_is_left_out_and_reported(demo, client):
    faq = next(child.value for child in article().body if child.block_type == "faq")
    questions = [item["question"] for item in faq["items"]]
    assert len(questions) == 4
    assert UNANSWERED not in questions
    assert all(item["answer"].source.strip() for item in faq["items"])
    assert f'Left out the FAQ question "{UNANSWERED}"' in demo
    assert UNANSWERED not in client.get(ARTICLE_URL).content.decode()


def test_treatments_are_named_as_treatments_and_tag_their_articles(demo):
    data = load_data()
    posts = data["related_posts"]
    page = article()
    assert [t.slug for t in page.get_live_treatments()] == ["back-pain", "acupuncture"]
    back_pain = Treatment.objects.get(slug="back-pain")
    assert back_pain.name == "Acupuncture for back pain"
    assert back_pain.get_link_url() == page.url
    general = Treatment.objects.get(slug="acupuncture")
    assert general.get_link_url() == "/blog/"
    for spec in data["treatments"]:  # summaries are sentences of the client's text
        assert spec["summary"] in SEED_PATH.read_text(encoding="utf-8")
    treatments = [Treatment.objects.get(slug=post["key"]) for post in posts]
    assert [t.name for t in treatments] == [
        "Acupuncture for digestion",
        "Acupuncture for athletes",
        "Acupuncture for migraines",
        "Acupuncture for breast health",
        "Acupuncture for endometriosis",
        "Acupuncture for the immune system",
    ]
    for treatment, post in zip(treatments, posts, strict=True):
        assert treatment.summary.startswith(post["excerpt"])
        assert treatment.summary.endswith("…")
        assert treatment.image is not None
        assert treatment.live and treatment.live_revision_id
        stub = treatment.page.specific
        assert isinstance(stub, ArticlePage) and stub.live
        assert stub.get_parent().specific_class is ArticleIndexPage
        assert (stub.title, stub.intro) == (post["title"], treatment.summary)
        assert stub.hero_image_id == treatment.image_id
        assert [child.block_type for child in stub.body] == ["notice"]
        assert "not part of the demo" in stub.body[0].value["text"].source
        assert treatment.get_link_url() == stub.url
        assert [t.slug for t in stub.get_live_treatments()] == [post["key"], "acupuncture"]


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("digestion", "Acupuncture For Digestion: Bloating, IBS, And Reflux Relief!"),
        ("migraines", "Acupuncture For Migraines: A Drug-Free Approach to Pain Relief"),
        ("back-pain", "Acupuncture for Back Pain"),
    ],
)
def test_treatment_filter_lists_the_treatments_article(demo, client, slug, title):
    html_text = client.get(f"/blog/?treatment={slug}").content.decode()
    listed = re.findall(r'class="acu-card__title"><a href="[^"]+">([^<]+)</a>', html_text)
    assert [html.unescape(t) for t in listed] == [title]


def test_every_article_has_related_articles(demo, client):
    for page in ArticlePage.objects.live():
        related = page.get_related_articles()
        assert related and page not in related
    html_text = client.get(ARTICLE_URL).content.decode()
    assert 'id="acu-related-articles-heading"' in html_text


def test_article_has_seo_title_reviewer_and_review_date(demo, client):
    spec = load_data()["article"]
    page = article()
    assert page.seo_title == "Acupuncture for Back Pain in Portland"
    assert page.reviewed_by.name == "Demo Reviewer" and page.author.name == "Demo Practitioner"
    assert page.last_reviewed == datetime.date.fromisoformat(spec["last_reviewed"])
    html_text = client.get(ARTICLE_URL).content.decode()
    assert "<title>Acupuncture for Back Pain in Portland</title>" in html_text
    assert "Reviewed by Demo Reviewer" in html_text


def test_editor_checks_of_the_article_pass(demo):
    page = article()
    assert get_editor_warnings(page, today=page.last_reviewed) == []


def test_practitioner_clinic_settings_images_and_user(demo):
    assert sorted(Practitioner.objects.values_list("name", flat=True)) == [
        "Demo Practitioner",
        "Demo Reviewer",
    ]

    clinic = ClinicSettings.for_site(Site.objects.get(is_default_site=True))
    assert clinic.address_locality == "Portland"
    assert "555-01" in clinic.phone
    assert clinic.booking_url.startswith("https://booking.example.com/")
    assert clinic.email.endswith("@example.com")
    assert clinic.geo == {"latitude": 45.5152, "longitude": -122.6784}
    assert clinic.opening_hours_list[0] == {
        "days": ["monday", "tuesday", "wednesday", "thursday"],
        "opens": "09:00",
        "closes": "18:00",
    }
    assert len(clinic.opening_hours_list) == 3
    assert clinic.logo.file.name.endswith(".png") and clinic.logo.width == 320
    assert all(url.startswith("https://") for url in clinic.profile_url_list)
    assert len(clinic.profile_url_list) == 2

    images = get_image_model().objects.filter(collection__name=COLLECTION_NAME)
    assert images.count() == 9
    for image in images:
        assert image.file.storage.exists(image.file.name)
        assert image.file_size and image.file_hash

    user = get_user_model().objects.get(username=ADMIN_USERNAME)
    assert user.is_superuser and user.email == ADMIN_EMAIL
    assert "username: admin" in demo and "WARNING" in demo


# --------------------------------------------------------------------------- idempotency and reset


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    output = load_demo()
    assert snapshot() == before
    assert "nothing to change" in output
    assert " created" not in output and " updated" not in output


def test_site_url_names_the_address_the_demo_is_served_at(demo, client):
    assert "site: 1 updated" in load_demo("--site-url", "http://127.0.0.1:8123")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    canonical = f'<link rel="canonical" href="http://127.0.0.1:8123{ARTICLE_URL}">'
    assert canonical in client.get(ARTICLE_URL, HTTP_HOST="127.0.0.1:8123").content.decode()
    assert "nothing to change" in load_demo("--site-url", "http://127.0.0.1:8123")


@pytest.mark.parametrize("url", ["ftp://example.com", "http://", "http://x:99999", "http://a/b"])
def test_site_url_must_be_an_http_address(db, url):
    with pytest.raises(CommandError, match="Not a site URL"):
        load_demo("--site-url", url)
    assert not HomePage.objects.exists()


def test_changed_content_is_restored_with_one_revision(demo):
    page = article()
    page.title = "Edited by an editor"
    page.save_revision().publish()
    revisions = Revision.objects.count()

    output = load_demo()

    assert article().title == "Acupuncture for Back Pain"
    assert Revision.objects.count() == revisions + 1
    assert "pages: 1 updated, 8 unchanged" in output


def test_reset_deletes_and_rebuilds_the_demo(demo):
    first = snapshot()
    old_article = article().pk
    Treatment.objects.filter(slug="migraines").update(name="Renamed")

    output = load_demo("--reset")

    rebuilt = snapshot()
    for key in (
        "pages",
        "treatments",
        "article treatments",
        "practitioners",
        "images",
        "users",
        "clinic settings",
    ):
        assert rebuilt[key] == first[key], key
    assert rebuilt["revisions"] == first["revisions"]
    assert article().pk != old_article
    assert Treatment.objects.get(slug="migraines").name == "Acupuncture for migraines"
    assert "pages: 9 created, 9 deleted" in output
    assert "nothing to change" in load_demo()


def test_demo_refuses_to_run_when_disabled(db, settings):
    settings.ACUPUNCTURE_DEMO_ENABLED = False
    with pytest.raises(CommandError, match="ACUPUNCTURE_DEMO_ENABLED"):
        load_demo()
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()


# --------------------------------------------------------------------------- rendering


def test_article_renders_every_source_paragraph_in_order(demo, client):
    """The article's paragraphs in order on its page; the related posts (title and excerpt,
    the source's last lines) in order on the blog, the article's related articles among them."""
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    text = page_text(response.content)
    posts = load_data()["related_posts"]
    lines = seed_lines()
    body_lines = lines[: len(lines) - 2 * len(posts)]

    position = 0
    for line in body_lines:
        if line == UNANSWERED:
            continue
        expected = line.removeprefix("- ")  # key points render as "Lead-in: text"
        found = text.find(expected, position)
        assert found >= 0, f"missing or out of order: {expected[:70]}"
        position = found + len(expected)

    related = [page.title for page in article().get_related_articles()]
    assert len(related) == 3 and set(related) <= {post["title"] for post in posts}
    blog = page_text(client.get("/blog/").content)
    position = 0
    for post in reversed(posts):  # newest first: the stubs are created in source order
        for expected in (post["title"], post["excerpt"]):
            found = blog.find(expected, position)
            assert found >= 0, f"missing or out of order on the blog: {expected[:70]}"
            position = found + len(expected)


def test_article_shows_the_seasonal_notice_in_its_window(demo, client):
    content = client.get(ARTICLE_URL).content.decode()
    assert 'class="acu-notice acu-notice--seasonal"' in content
    assert "use up your remaining health benefits before they expire!" in content


def test_notice_is_hidden_outside_its_window(demo, client, monkeypatch):
    march = timezone.make_aware(datetime.datetime(timezone.localdate().year, 3, 1, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: march)
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    assert "acu-notice--seasonal" not in response.content.decode()


def test_every_image_renders(demo, client):
    for url in ["/", "/blog/", ARTICLE_URL, *(t.get_link_url() for t in Treatment.objects.all())]:
        response = client.get(url)
        assert response.status_code == 200, url
        for src in re.findall(r'<img[^>]+src="([^"]+)"', response.content.decode()):
            assert src.startswith("/media/images/"), (url, src)


def test_home_page_lists_latest_articles_and_links_the_blog(demo, client):
    content = client.get("/").content.decode()
    assert 'href="/blog/"' in content
    assert f'href="{ARTICLE_URL}"' in content
    assert content.count('class="acu-card"') == HomePage.latest_articles_count
    assert "+1-503-555-0100" in content

    blog = client.get("/blog/").content.decode()
    assert blog.count('class="acu-card"') == 7


# ------------------------------------------------------------------- example project settings


@pytest.fixture
def fresh_settings_modules(monkeypatch):
    """Import the example project's settings modules afresh, with a controlled environment."""
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "WAGTAILADMIN_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    names = [name for name in sys.modules if name.startswith("example_project.settings")]
    saved = {name: sys.modules.pop(name) for name in names}

    def load(name):
        for loaded in [n for n in sys.modules if n.startswith("example_project.settings")]:
            del sys.modules[loaded]
        return importlib.import_module(f"example_project.settings.{name}")

    yield load
    for loaded in [n for n in sys.modules if n.startswith("example_project.settings")]:
        del sys.modules[loaded]
    sys.modules.update(saved)


def test_production_settings_refuse_to_start_without_secret_key_and_hosts(
    fresh_settings_modules, monkeypatch
):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        fresh_settings_modules("production")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        fresh_settings_modules("production")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "clinic.example.com, www.clinic.example.com")
    production = fresh_settings_modules("production")
    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["clinic.example.com", "www.clinic.example.com"]
    assert production.WAGTAILADMIN_BASE_URL == "https://clinic.example.com"
    assert production.ACUPUNCTURE_DEMO_ENABLED is False


def test_sqlite_by_default_and_database_url_switches_to_postgresql(
    fresh_settings_modules, monkeypatch
):
    dev = fresh_settings_modules("dev")
    assert dev.DEBUG is True
    assert dev.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(dev.DATABASES["default"]["NAME"]).endswith("example_project/db.sqlite3")
    assert (
        "wagtail.contrib.settings.context_processors.settings"
        in (dev.TEMPLATES[0]["OPTIONS"]["context_processors"])
    )
    assert dev.WAGTAIL_ACUPUNCTURE == {  # the headless preview demo, as an extra preview mode
        "BASE_TEMPLATE": "clinic/base.html",  # the clinic theme
        "HEADLESS_PREVIEW_URL": "/frontend-preview/",
        "HEADLESS_PREVIEW_MODE": "frontend",
    }

    monkeypatch.setenv("DATABASE_URL", "postgres://clinic:secret@db.internal:5432/clinic")
    dev = fresh_settings_modules("dev")
    database = dev.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal",
        "clinic",
        "clinic",
    )


def test_example_project_urls(demo, client, settings):
    """The example project's URLconf: admin, API under /api/v2/, sitemap, pages."""
    settings.ROOT_URLCONF = "example_project.urls"
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 9  # home, blog, the article and 6 stubs
    assert client.get(ARTICLE_URL).status_code == 200
    assert client.get("/admin/login/").status_code == 200
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert ARTICLE_URL in sitemap.content.decode()


def test_an_empty_faq_answer_is_refused(db, december):
    """Why the unanswered question is left out: the FAQ block refuses an empty answer."""
    data = load_data()
    faq = next(block for block in data["article"]["body"] if block["type"] == "faq")
    faq["items"].append({"question": UNANSWERED, "answer": ""})
    with pytest.raises(ValidationError):
        DemoLoader(data=data).load()


def test_demo_will_not_take_over_a_site_with_other_content(db, home):
    """The default site's root is replaced only when it is Wagtail's untouched welcome page."""
    make_index(home)
    with pytest.raises(CommandError, match="load the demo into a new database"):
        load_demo()
    assert not HomePage.objects.exists()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
