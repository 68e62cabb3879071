import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import PractitionerFactory, TreatmentFactory, add_page, make_article, make_index
from wagtail_acupuncture.booking import resolve_booking_cta
from wagtail_acupuncture.content.related import related_articles
from wagtail_acupuncture.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
    ClinicSettings,
    Treatment,
)

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def test_article_only_under_index(self):
        self.assertCanCreateAt(ArticleIndexPage, ArticlePage)
        self.assertCanNotCreateAt(Page, ArticlePage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
        self.assertAllowedSubpageTypes(ArticlePage, {})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})

    def test_pages_are_renderable_and_previewable(self):
        home = Page.objects.get(depth=2)
        index = make_index(home)
        article = make_article(index, body=[{"type": "paragraph", "value": "<p>Hello</p>"}])
        self.assertPageIsRenderable(index)
        self.assertPageIsRenderable(article)
        post_data = nested_form_data(
            {
                "title": "Previewed",
                "slug": "previewed",
                "intro": "Lead",
                "body": streamfield([("paragraph", rich_text("<p>Shown in preview</p>"))]),
                "related_treatments": inline_formset([]),
            }
        )
        self.assertPageIsPreviewable(article, post_data=post_data)
        self.assertPageIsPreviewable(
            index, post_data=nested_form_data({"title": "Blog", "slug": "blog", "intro": rich_text("")})
        )


def test_published_date_defaults_to_first_publication(index):
    page = make_article(index)
    assert page.published_date == datetime.date.fromordinal(page.published_date.toordinal())
    assert page.first_published_at is not None
    from django.utils import timezone

    assert page.published_date == timezone.localdate(page.first_published_at)


def test_published_date_kept_when_set(index):
    page = make_article(index, published_date=datetime.date(2024, 11, 5))
    assert page.published_date == datetime.date(2024, 11, 5)


def test_draft_has_no_published_date(index):
    page = make_article(index, live=False)
    assert page.published_date is None


def test_index_lists_live_children_newest_first_filtered_by_treatment(index, client, home):
    needles = TreatmentFactory(name="Needling", slug="needling")
    hidden = TreatmentFactory(name="Hidden", slug="hidden", live=False)
    old = make_article(index, title="Old article", published_date=datetime.date(2023, 1, 1), treatments=[needles])
    new = make_article(index, title="New article", published_date=datetime.date(2025, 1, 1))
    make_article(index, title="Draft article", live=False, treatments=[needles])
    other_index = make_index(home, title="Elsewhere", slug="elsewhere")
    make_article(other_index, title="Other blog article", treatments=[needles])
    make_article(index, title="Hidden treatment article", published_date=datetime.date(2022, 1, 1), treatments=[hidden])

    assert list(index.get_articles()) == [new, old, ArticlePage.objects.get(title="Hidden treatment article")]
    html = client.get(index.url).content.decode()
    assert html.index("New article") < html.index("Old article")
    assert "Draft article" not in html
    assert "Other blog article" not in html

    filtered = client.get(index.url, {"treatment": "needling"}).content.decode()
    assert "Old article" in filtered
    assert "New article" not in filtered
    assert "Draft article" not in filtered

    # unpublished treatments do not filter (nor leak their name)
    response = client.get(index.url, {"treatment": "hidden"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hidden treatment article" not in body
    assert "No treatment matches" in body
    assert ">Hidden<" not in body


def test_index_pagination_tolerates_bad_page_numbers(index, client, settings):
    settings.WAGTAIL_ACUPUNCTURE = {"ARTICLES_PER_PAGE": 2}
    for n in range(5):
        make_article(index, title=f"Paged {n}", published_date=datetime.date(2024, 1, n + 1))
    first = client.get(index.url).content.decode()
    assert "Paged 4" in first and "Paged 3" in first and "Paged 2" not in first
    last = client.get(index.url, {"page": "3"}).content.decode()
    assert "Paged 0" in last
    assert client.get(index.url, {"page": "999"}).status_code == 200
    assert client.get(index.url, {"page": "abc"}).status_code == 200


def test_private_articles_not_listed(index, client):
    private = make_article(index, title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_article(index, title="Public one")
    html = client.get(index.url).content.decode()
    assert "Public one" in html
    assert "Members only" not in html


def test_related_articles_share_live_treatments(index):
    a = TreatmentFactory()
    b = TreatmentFactory()
    draft = TreatmentFactory(live=False)
    page = make_article(index, treatments=[a, b, draft])
    r1 = make_article(index, treatments=[a], published_date=datetime.date(2024, 1, 1))
    r2 = make_article(index, treatments=[b, a], published_date=datetime.date(2025, 1, 1))
    make_article(index, treatments=[draft])
    make_article(index, treatments=[a], live=False)
    assert list(page.get_related_articles()) == [r2, r1]
    assert page.get_live_treatments() == [a, b]


def test_one_page_and_many_pages_pick_the_same_related_articles(index):
    # One page reads its treatments' newest rows with a LIMIT, several pages a window per
    # treatment: both pick alike, also when articles share several treatments.
    a, b, c = TreatmentFactory(), TreatmentFactory(), TreatmentFactory()
    combos = [[a], [a, b], [b], [a, b, c], [c], [a, c], [b, c], [a], [a, b], [c]]
    pages = [
        make_article(
            index,
            treatments=treatments,
            published_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 4),
        )
        for n, treatments in enumerate(combos)
    ]
    together = related_articles(
        pages, ArticlePage.get_live_treatments, [ArticlePageTreatment], condition=Q(page__live=True)
    )
    assert {len(found) for found in together.values()} == {3}
    for page in pages:
        alone = related_articles(
            [page], ArticlePage.get_live_treatments, [ArticlePageTreatment], condition=Q(page__live=True)
        )
        assert alone == {page.pk: together[page.pk]}, page.pk
        assert page.get_related_articles() == together[page.pk]


def test_deleting_a_treatment_keeps_the_article(index, client):
    t = TreatmentFactory(name="Going away")
    page = make_article(index, treatments=[t])
    t.delete()
    page.refresh_from_db()
    assert page.get_live_treatments() == []
    assert client.get(page.url).status_code == 200


def test_deleting_a_practitioner_keeps_the_article(index, client):
    author = PractitionerFactory(name="Dr Gone")
    page = make_article(index, author=author, reviewed_by=author)
    author.delete()
    page.refresh_from_db()
    assert page.author is None
    assert client.get(page.url).status_code == 200


class TestTreatment:
    def test_page_or_url_not_both(self, index):
        t = Treatment(name="X", slug="x", page=index, url="https://example.com/")
        with pytest.raises(ValidationError) as exc:
            t.full_clean()
        assert "url" in exc.value.message_dict

    def test_url_must_be_http(self):
        t = Treatment(name="X", slug="x", url="javascript:alert(1)")
        with pytest.raises(ValidationError) as exc:
            t.full_clean()
        assert "url" in exc.value.message_dict

    def test_link_prefers_live_page(self, index):
        page = make_article(index)
        t = TreatmentFactory(page=page, url="")
        assert t.get_link_url() == page.url
        page.unpublish()
        t.refresh_from_db()
        assert t.get_link_url() is None
        t.url = "https://other.example.com/"
        assert t.get_link_url() == "https://other.example.com/"

    def test_slug_unique(self):
        TreatmentFactory(slug="same")
        with pytest.raises(ValidationError):
            Treatment(name="Other", slug="same").full_clean()

    def test_revisions_and_publishing(self):
        t = TreatmentFactory(live=False)
        revision = t.save_revision()
        revision.publish()
        t.refresh_from_db()
        assert t.live
        assert t.revisions.count() == 1


class TestBookingResolution:
    def setup_cta(self, index, clinic, **kwargs):
        author = kwargs.pop("author", None)
        page = make_article(index, slug="back-pain", author=author)
        return page, kwargs

    def test_explicit_url_wins(self, index, clinic):
        page = make_article(index, slug="back-pain")
        cta = resolve_booking_cta({"link_url": "https://x.example.com/b?a=1", "placement": "intro"}, page=page)
        assert cta["url"] == (
            "https://x.example.com/b?a=1&utm_source=website&utm_medium=article_cta"
            "&utm_campaign=back-pain&utm_content=intro"
        )
        assert cta["label"] == "Book a consultation"
        assert cta["heading"] == "Ready to book?"
        assert cta["placement"] == "intro"

    def test_then_live_page(self, index, clinic):
        page = make_article(index, slug="back-pain")
        target = make_article(index, slug="booking-page")
        cta = resolve_booking_cta({"link_page": target, "placement": "inline"}, page=page)
        assert cta["url"].startswith(target.url + "?utm_source=")

    def test_draft_page_falls_through_to_author(self, index, clinic):
        author = PractitionerFactory(booking_url="tel:+15035550199")
        page = make_article(index, slug="back-pain", author=author)
        target = make_article(index, slug="draft-target", live=False)
        cta = resolve_booking_cta({"link_page": target, "placement": "inline"}, page=page)
        assert cta["url"] == "tel:+15035550199"

    def test_then_clinic(self, index, clinic):
        page = make_article(index, slug="back-pain", author=PractitionerFactory(booking_url=""))
        cta = resolve_booking_cta({"placement": "conclusion", "button_label": "Book now"}, page=page)
        assert cta["url"].startswith("https://booking.example.com/book?utm_source=website")
        assert cta["label"] == "Book now"

    def test_no_link_anywhere(self, index, site):
        page = make_article(index)
        cta = resolve_booking_cta({"placement": "inline"}, page=page)
        assert cta["url"] is None

    def test_request_site_settings_used(self, index, clinic):
        request = RequestFactory().get("/", HTTP_HOST="localhost")
        cta = resolve_booking_cta({"placement": "inline"}, request=request)
        assert cta["url"].startswith("https://booking.example.com/book")

    def test_cta_renders_analytics_attributes_and_escapes(self, index, clinic, client):
        page = make_article(
            index,
            slug="back-pain",
            body=[
                {
                    "type": "booking_cta",
                    "value": {
                        "heading": "<script>x</script>",
                        "text": 'Say "hi"',
                        "button_label": "Book <now>",
                        "placement": "conclusion",
                    },
                }
            ],
        )
        html = client.get(page.url).content.decode()
        assert 'data-cta-placement="conclusion"' in html
        assert 'data-cta-article="back-pain"' in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html
        assert "Book &lt;now&gt;" in html
        assert "<script>x" not in html


def test_clinic_settings_address():
    settings = ClinicSettings(street_address="1 Main", address_locality="Portland", address_country="US")
    assert settings.postal_address == {
        "street_address": "1 Main",
        "address_locality": "Portland",
        "address_country": "US",
    }


def test_search_fields_cover_title_intro_body():
    names = {field.field_name for field in ArticlePage.search_fields}
    assert {"title", "intro", "body"} <= names


def test_search_finds_body_text(index):
    make_article(index, title="Unrelated", body=[{"type": "paragraph", "value": "<p>nothing</p>"}])
    target = make_article(index, title="Target", body=[{"type": "paragraph", "value": "<p>endorphins rock</p>"}])
    results = list(ArticlePage.objects.live().search("endorphins"))
    assert results == [target]


def test_add_page_helper_respects_draft(index):
    draft = add_page(index, ArticlePage(title="D", slug="d", intro="x", live=False))
    assert not draft.live


def test_related_treatments_without_a_sort_order_keep_their_creation_order(index):
    from wagtail_acupuncture.models import ArticlePageTreatment

    page = make_article(index)
    treatments = [TreatmentFactory(name=name) for name in ("Zeta", "Alpha", "Mu")]
    for treatment in treatments:
        ArticlePageTreatment.objects.create(page=page, treatment=treatment)  # no sort_order
    rows = page.related_treatments.all()
    sql = str(rows.query).replace('"', "").replace("`", "")
    table = "wagtail_acupuncture_articlepagetreatment"
    assert sql.endswith(f"ORDER BY {table}.sort_order ASC, {table}.id ASC")
    assert [row.treatment for row in rows] == treatments
    fresh = ArticlePage.objects.get(pk=page.pk)
    assert fresh.get_live_treatments() == treatments


@pytest.mark.urls("tests.api_fixtures")
def test_a_treatment_related_twice_is_shown_once(index, client, clinic):
    from wagtail_acupuncture.models import ArticlePageTreatment

    first, second = TreatmentFactory(name="Cupping"), TreatmentFactory(name="Moxibustion")
    page = make_article(index, treatments=[first, second])
    # what Wagtail's autosave can leave behind (wagtail/wagtail#14568): a second row, same treatment
    ArticlePageTreatment.objects.create(page=page, treatment=first, sort_order=5)
    assert page.related_treatments.count() == 3
    assert ArticlePage.objects.get(pk=page.pk).get_live_treatments() == [first, second]
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert [t["name"] for t in data["related_treatments"]] == ["Cupping", "Moxibustion"]
    therapies = [
        node for node in data["structured_data"]["@graph"] if node["@type"] == "MedicalTherapy"
    ]
    assert [node["name"] for node in therapies] == ["Cupping", "Moxibustion"]
    html = client.get(page.url).content.decode()
    assert html.count(">Cupping<") == html.count(">Moxibustion<") >= 1
