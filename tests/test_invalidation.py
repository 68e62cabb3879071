"""Frontend-cache purging on publish, unpublish and delete (issue 8).

A recording frontend-cache backend stands in for a CDN; every test checks the exact set of URLs
in the one batch purged after the change is committed.
"""

import logging

import pytest
from django.db import transaction
from wagtail.models import Page, Site

from tests.conftest import RecordingBackend
from tests.factories import (
    PractitionerFactory,
    TreatmentFactory,
    add_page,
    make_article,
    make_index,
)
from wagtail_acupuncture.delivery import invalidation
from wagtail_acupuncture.models import ArticleIndexPage, ClinicSettings

pytestmark = pytest.mark.django_db

HOST = "http://localhost"
ARTICLE_TYPE = "wagtail_acupuncture.ArticlePage"


def treatment_api(treatment):
    return {
        f"{HOST}/api/v2/treatments/{treatment.pk}/",
        f"{HOST}/api/v2/treatments/?slug={treatment.slug}",
        f"{HOST}/api/v2/treatments/find/?slug={treatment.slug}",
        f"{HOST}/api/v2/treatments/",
    }


def shown(page, path):
    """URLs of a page that shows the changed object: its own, its API detail and find URLs."""
    return {
        f"{HOST}{path}",
        f"{HOST}/api/v2/pages/{page.pk}/",
        f"{HOST}/api/v2/pages/find/?html_path={path}",
    }


def page_listings(parent, page_type=ARTICLE_TYPE):
    """The API listings a page of ``page_type`` below ``parent`` appears in."""
    return {
        f"{HOST}/api/v2/pages/",
        f"{HOST}/api/v2/pages/?type={page_type}",
        f"{HOST}/api/v2/pages/?child_of={parent.pk}",
    }


def only_batch(batches):
    assert len(batches) == 1, batches
    return set(batches[0])


def body_with_treatments(*treatments):
    return [
        {
            "type": "related_treatments",
            "value": {"heading": "Treatments", "treatments": [t.pk for t in treatments]},
        }
    ]


def test_publishing_an_article_purges_it_its_api_urls_its_listings_and_related_articles(
    index, purged, committed
):
    needles = TreatmentFactory(slug="needles")
    cupping = TreatmentFactory(slug="cupping", live=False)
    related = make_article(index, slug="related", treatments=[needles])
    make_article(index, slug="unrelated")
    article = make_article(index, slug="back-pain", treatments=[needles, cupping], live=False)
    assert purged == []

    committed(article.save_revision().publish)

    assert only_batch(purged) == {
        *shown(article, "/blog/back-pain/"),
        *page_listings(index),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
        # The article just left the 'cupping' filter (an unpublished treatment): stale too.
        f"{HOST}/blog/?treatment=cupping",
        *shown(related, "/blog/related/"),
    }


def test_unpublishing_an_article_also_purges_the_listing_page_it_emptied(
    index, purged, committed, settings
):
    settings.WAGTAIL_ACUPUNCTURE = {"ARTICLES_PER_PAGE": 2}
    articles = [make_article(index, slug=f"a{n}") for n in range(5)]  # three listing pages

    committed(articles[0].unpublish)

    assert only_batch(purged) == {
        *shown(articles[0], "/blog/a0/"),
        *page_listings(index),
        f"{HOST}/blog/",
        f"{HOST}/blog/?page=2",
        f"{HOST}/blog/?page=3",  # four articles left fill two pages; the third is now empty
    }


def test_deleting_an_article_purges_once_with_the_urls_it_had(index, purged, committed):
    needles = TreatmentFactory(slug="needles")
    article = make_article(index, slug="gone", treatments=[needles])
    article_id = article.pk

    committed(Page.objects.get(pk=article_id).delete)

    assert not Page.objects.filter(pk=article_id).exists()
    # Wagtail unpublishes a live page on its way to deletion; only the deletion is purged.
    assert only_batch(purged) == {
        f"{HOST}/blog/gone/",
        f"{HOST}/api/v2/pages/{article_id}/",
        f"{HOST}/api/v2/pages/find/?html_path=/blog/gone/",
        *page_listings(index),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=needles",
    }


def test_publishing_a_treatment_refreshes_every_page_that_shows_it(index, purged, committed):
    treatment = TreatmentFactory(slug="electro")
    other = TreatmentFactory(slug="other")
    inline = make_article(index, slug="inline", treatments=[treatment])
    in_body = make_article(index, slug="in-body", body=body_with_treatments(treatment))
    make_article(index, slug="other-treatment", treatments=[other])
    make_article(index, slug="draft", treatments=[treatment], live=False)
    second_blog = make_index(index.get_parent(), title="News", slug="news")
    elsewhere = make_article(second_blog, slug="elsewhere", body=body_with_treatments(treatment))

    treatment.name = "Electro-acupuncture"
    committed(treatment.save_revision().publish)

    assert only_batch(purged) == {
        *treatment_api(treatment),
        *shown(inline, "/blog/inline/"),
        *shown(in_body, "/blog/in-body/"),
        *shown(elsewhere, "/news/elsewhere/"),
        # The indexes above those articles name the treatment in their filters.
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=electro",
        f"{HOST}/blog/?treatment=other",
        f"{HOST}/news/",
        f"{HOST}/news/?treatment=electro",
    }


def test_unpublishing_and_deleting_a_treatment_purge_the_pages_that_showed_it(
    index, purged, committed
):
    treatment = TreatmentFactory(slug="moxa")
    treatment.save_revision().publish()
    article = make_article(index, slug="moxa-article", treatments=[treatment])
    expected = {
        *treatment_api(treatment),
        *shown(article, "/blog/moxa-article/"),
        f"{HOST}/blog/",
        f"{HOST}/blog/?treatment=moxa",
    }

    committed(treatment.unpublish)
    assert only_batch(purged) == expected

    purged.clear()
    committed(treatment.delete)
    # The article no longer lists it (the inline row went with it), but it did until now.
    assert only_batch(purged) == expected


def test_saving_a_practitioner_purges_the_articles_they_wrote_or_reviewed(index, purged, committed):
    practitioner = PractitionerFactory()
    written = make_article(index, slug="written", author=practitioner)
    reviewed = make_article(index, slug="reviewed", reviewed_by=practitioner)
    make_article(index, slug="someone-else", author=PractitionerFactory())

    practitioner.credentials = "L.Ac., Dipl. OM"
    committed(practitioner.save)

    assert only_batch(purged) == {
        f"{HOST}/api/v2/practitioners/{practitioner.pk}/",
        f"{HOST}/api/v2/practitioners/",
        *shown(written, "/blog/written/"),
        *shown(reviewed, "/blog/reviewed/"),
    }


def test_saving_clinic_settings_purges_every_live_article_and_index_of_that_site(
    index, site, purged, committed
):
    live = make_article(index, slug="live")
    make_article(index, slug="draft", live=False)
    root = Page.objects.get(depth=1)
    other_home = add_page(root, Page(title="Other site", slug="other-site"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    other_index = make_index(other_home, slug="other-blog")
    make_article(other_index, slug="other-article")
    clinic = ClinicSettings.for_site(site)

    clinic.clinic_name = "Portland Acupuncture"
    committed(clinic.save)

    assert only_batch(purged) == {
        f"{HOST}/api/v2/clinic/",
        *shown(index, "/blog/"),
        *shown(live, "/blog/live/"),
    }


def test_clinic_settings_created_when_first_read_purge_nothing(index, site, purged, committed):
    assert not ClinicSettings.objects.filter(site=site).exists()

    clinic = committed(ClinicSettings.for_site, site)  # as on a page view
    assert purged == []

    committed(clinic.save)
    assert only_batch(purged) == {f"{HOST}/api/v2/clinic/", *shown(index, "/blog/")}


def test_publishing_an_index_purges_its_articles_breadcrumbs(index, home, purged, committed):
    article = make_article(index, slug="child")
    index.title = "Health blog"

    committed(index.save_revision().publish)

    assert only_batch(purged) == {
        *shown(index, "/blog/"),
        f"{HOST}/api/v2/pages/",
        f"{HOST}/api/v2/pages/?type=wagtail_acupuncture.ArticleIndexPage",
        f"{HOST}/api/v2/pages/?child_of={home.pk}",
        f"{HOST}/",  # the parent (the site's home page)
        *shown(article, "/blog/child/"),
    }


def test_a_new_slug_purges_the_old_urls_as_well(index, purged, committed):
    article = make_article(index, slug="old-slug")
    article.slug = "new-slug"

    committed(article.save_revision().publish)

    new = {*shown(article, "/blog/new-slug/"), *page_listings(index), f"{HOST}/blog/"}
    old = {f"{HOST}/blog/old-slug/", f"{HOST}/api/v2/pages/find/?html_path=/blog/old-slug/"}
    assert sorted(map(set, purged), key=len) == [new, new | old]


def test_moving_an_article_purges_its_old_url_and_old_listing(index, home, purged, committed):
    article = make_article(index, slug="moving")
    news = make_index(home, title="News", slug="news")
    purged.clear()

    committed(article.move, news, pos="last-child")

    assert only_batch(purged) == {
        *shown(article, "/news/moving/"),
        *page_listings(news),
        f"{HOST}/news/",
        f"{HOST}/blog/moving/",
        f"{HOST}/api/v2/pages/find/?html_path=/blog/moving/",
        f"{HOST}/blog/",
    }


def test_api_paths_follow_the_settings(index, purged, committed, settings):
    settings.WAGTAIL_ACUPUNCTURE = {
        "API_BASE_PATH": "https://cms.example.com/content/",
        "API_DETAIL_PATHS": {"page": ["pages/{id}/?type={type}"]},
        "API_LISTING_PATHS": {"page": ["pages/?child_of={parent_id}&order=-id"]},
    }
    article = make_article(index, slug="configured", live=False)

    committed(article.save_revision().publish)

    # One batch; Wagtail hands the backend one call per hostname.
    assert len(purged) == 2
    assert {frozenset(batch) for batch in purged} == {
        frozenset({f"{HOST}/blog/", f"{HOST}/blog/configured/"}),
        frozenset(
            {
                f"https://cms.example.com/content/pages/{article.pk}/?type={ARTICLE_TYPE}",
                f"https://cms.example.com/content/pages/?child_of={index.pk}&order=-id",
            }
        ),
    }

    purged.clear()
    settings.WAGTAIL_ACUPUNCTURE = {"API_BASE_PATH": None}
    committed(article.save_revision().publish)
    assert only_batch(purged) == {f"{HOST}/blog/configured/", f"{HOST}/blog/"}


def test_nothing_is_purged_without_a_configured_frontend_cache(index, settings, committed):
    article = make_article(index, live=False)
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.conftest.RecordingBackend"}
    }
    RecordingBackend.batches = []

    # wagtail.contrib.frontend_cache is not in the test project's INSTALLED_APPS.
    committed(article.save_revision().publish)
    assert RecordingBackend.batches == []


def test_nothing_is_purged_when_switched_off_or_unconfigured(index, purged, settings, committed):
    article = make_article(index, live=False)
    settings.WAGTAIL_ACUPUNCTURE = {"FRONTEND_CACHE_PURGE": False}
    committed(article.save_revision().publish)
    assert purged == []

    settings.WAGTAIL_ACUPUNCTURE = {}
    del settings.WAGTAILFRONTENDCACHE
    committed(article.save_revision().publish)
    assert purged == []


def test_nothing_is_purged_when_the_publish_is_rolled_back(index, purged, committed):
    article = make_article(index, live=False)

    def publish_then_fail():
        with transaction.atomic():
            article.save_revision().publish()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        committed(publish_then_fail)
    assert purged == []


def test_errors_are_logged_and_never_fail_the_publish(
    index, purged, committed, monkeypatch, caplog
):
    article = make_article(index, live=False)
    describe_change = invalidation.describe_change

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(invalidation, "describe_change", broken)
    with caplog.at_level(logging.ERROR, logger="wagtail_acupuncture"):
        committed(article.save_revision().publish)

    article.refresh_from_db()
    assert article.live
    assert purged == []
    assert "Could not work out the URLs affected" in caplog.text

    monkeypatch.setattr(invalidation, "describe_change", describe_change)
    monkeypatch.setattr("wagtail_acupuncture.delivery.signals.purge_change", broken)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="wagtail_acupuncture"):
        committed(article.save_revision().publish)
    assert "Frontend cache purge failed" in caplog.text


def test_change_paths_drop_scheme_and_host():
    change = invalidation.Change(
        event="published",
        object={"type": "wagtail_acupuncture.treatment", "id": 1, "title": "T"},
        urls=(
            "https://a.example/api/v2/treatments/1/",
            "https://b.example/api/v2/treatments/1/",
            "https://a.example/blog/?treatment=t",
        ),
    )
    assert change.paths == ["/api/v2/treatments/1/", "/blog/?treatment=t"]


def test_describe_change_refuses_unknown_events(index):
    with pytest.raises(ValueError, match="Unknown event"):
        invalidation.describe_change(index, "renamed")


def test_describe_object(index, site):
    assert invalidation.describe_object(index) == {
        "type": "wagtail_acupuncture.articleindexpage",
        "id": index.pk,
        "title": "Blog",
        "path": "/blog/",
    }
    clinic = ClinicSettings.for_site(site)
    clinic.clinic_name = "Portland Acupuncture"
    assert invalidation.describe_object(clinic) == {
        "type": "wagtail_acupuncture.clinicsettings",
        "id": clinic.pk,
        "title": "Portland Acupuncture",
        "site_id": site.pk,
    }
    assert isinstance(index, ArticleIndexPage)
