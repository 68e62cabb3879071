"""The package's pages inside the site's own layout (``BASE_TEMPLATE``).

``tests.settings_wagtail_start`` is a site made with ``wagtail start``: its ``base.html`` is the
one Wagtail 7.4 writes, unchanged. With the setting pointed at it, the article index, the article
and the treatment preview render inside that base, with its stylesheet and script, the package's
stylesheet, the SEO tags and the JSON-LD in its ``<head>``, and the SEO title in its ``<title>``.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import settings_wagtail_start
from tests.factories import TreatmentFactory, make_article

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The tags of ``<head>`` and ``<body>``, and the text of ``<title>``."""

    def __init__(self):
        super().__init__()
        self.where = None
        self.head, self.body, self.title = [], [], ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "body"):
            self.where = tag
        elif self.where:
            getattr(self, self.where).append((tag, dict(attrs)))
        self.in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def parse(response):
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def stylesheets(tags):
    return [attrs["href"] for tag, attrs in tags if tag == "link" and attrs.get("rel") == "stylesheet"]


@pytest.fixture
def wagtail_start_site(settings):
    """The settings of the ``wagtail start`` site, over the test settings."""
    for name in ("TEMPLATES", "STATICFILES_DIRS", "WAGTAIL_ACUPUNCTURE"):
        setattr(settings, name, getattr(settings_wagtail_start, name))


@pytest.fixture
def article(index, clinic):
    treatment = TreatmentFactory(name="Acupuncture for digestion", slug="digestion")
    return make_article(
        index,
        title="Acupuncture for Back Pain",
        slug="acupuncture-for-back-pain",
        seo_title="Acupuncture for back pain in Portland",
        intro="Back pain is far more than a mild ache.",
        treatments=[treatment],
    )


def test_article_renders_inside_the_wagtail_start_base(wagtail_start_site, article, client):
    parsed = parse(client.get(article.url))
    assert parsed.title.split() == "Acupuncture for back pain in Portland".split()  # no "- site"
    sheets = stylesheets(parsed.head)
    assert sheets == ["/static/css/mysite.css", "/static/wagtail_acupuncture/css/acupuncture.css"]
    canonical = [a["href"] for t, a in parsed.head if t == "link" and a.get("rel") == "canonical"]
    assert canonical == ["http://localhost/blog/acupuncture-for-back-pain/"]
    descriptions = [a for t, a in parsed.head if t == "meta" and a.get("name") == "description"]
    assert [a["content"] for a in descriptions] == ["Back pain is far more than a mild ache."]
    assert any(a.get("property") == "og:title" for t, a in parsed.head if t == "meta")
    json_ld = [a for t, a in parsed.head if t == "script" and a.get("type") == "application/ld+json"]
    assert len(json_ld) == 1
    scripts = [a.get("src") for t, a in parsed.body if t == "script"]
    assert "/static/js/mysite.js" in scripts
    html = client.get(article.url).content.decode()
    assert 'class="acu-template-article"' in html
    body = html[html.index("<body") :]
    assert body.index('<article class="acu-article">') < body.index('src="/static/js/mysite.js"')
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert any(node.get("@type") in ("MedicalWebPage", "Article", "BlogPosting") for node in graph["@graph"])


def test_index_renders_inside_the_wagtail_start_base(wagtail_start_site, article, index, client):
    parsed = parse(client.get(index.url + "?treatment=digestion"))
    assert stylesheets(parsed.head) == [
        "/static/css/mysite.css",
        "/static/wagtail_acupuncture/css/acupuncture.css",
    ]
    assert any(t == "script" and a.get("type") == "application/ld+json" for t, a in parsed.head)
    html = client.get(index.url).content.decode()
    assert 'class="acu-template-article-index"' in html
    assert "Acupuncture for Back Pain" in html[html.index("<body") :]
    assert "/static/js/mysite.js" in html


def test_the_package_base_is_the_default(article, client):
    parsed = parse(client.get(article.url))
    assert stylesheets(parsed.head) == [
        "/static/wagtail_acupuncture/css/base.css",
        "/static/wagtail_acupuncture/css/acupuncture.css",
    ]
    assert parsed.title == "Acupuncture for back pain in Portland"
    assert any(t == "main" for t, a in parsed.body)
    assert "/static/js/mysite.js" not in client.get(article.url).content.decode()


def test_a_site_template_overriding_blocks_of_the_layout(settings, article, client, tmp_path):
    """A site's own base with a ``meta`` block of its own gets the package's meta in it once."""
    (tmp_path / "site_base.html").write_text(
        "<html><head><title>{% block title %}{% endblock %}</title>{% block extra_css %}{% endblock %}"
        "</head><body>{% block content %}{% endblock %}<footer>Site footer</footer>"
        "{% block extra_js %}{% endblock %}</body></html>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.WAGTAIL_ACUPUNCTURE = {"BASE_TEMPLATE": "site_base.html"}
    html = client.get(article.url).content.decode()
    assert html.count('rel="canonical"') == 1
    assert html.index("</head>") > html.index('rel="canonical"')
    assert "<footer>Site footer</footer>" in html


def test_treatment_preview_uses_the_base_template(wagtail_start_site, admin_client):
    treatment = TreatmentFactory(name="Acupuncture for digestion")

    url = reverse("wagtailsnippets_wagtail_acupuncture_treatment:preview_on_edit", args=[treatment.pk])
    form = {"name": treatment.name, "slug": treatment.slug, "summary": "S", "booking_target-count": "0"}
    response = admin_client.post(url, form)
    assert response.status_code == 200
    html = admin_client.get(url).content.decode()
    assert "/static/css/mysite.css" in html
    assert "Acupuncture for digestion" in html


@override_settings(WAGTAIL_ACUPUNCTURE={"BASE_TEMPLATE": "wagtail_acupuncture/base.html"})
def test_the_setting_is_read_per_request(article, client, settings):
    assert "/static/js/mysite.js" not in client.get(article.url).content.decode()
    for name in ("TEMPLATES", "STATICFILES_DIRS", "WAGTAIL_ACUPUNCTURE"):
        setattr(settings, name, getattr(settings_wagtail_start, name))
    assert "/static/js/mysite.js" in client.get(article.url).content.decode()
