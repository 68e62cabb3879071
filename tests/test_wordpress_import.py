"""The WordPress importer end to end: the sample export against the demo, re-runs, dry runs."""

import re
from io import StringIO
from pathlib import Path

import pytest
from clinic.demo.loader import DemoLoader
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Revision

from tests.wordpress_helpers import SAMPLE, block_texts, in_tmp_dir, make_uploads, run_import  # noqa: F401 - autouse fixture
from wagtail_acupuncture.models import (
    ArticleIndexPage,
    ArticlePage,
    Practitioner,
    Treatment,
    WordPressImportedItem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(tmp_path):
    return make_uploads(tmp_path / "uploads")


def imported(slug):
    record_pages = WordPressImportedItem.objects.filter(kind="post").values("page_id")
    return ArticlePage.objects.get(slug=slug, pk__in=record_pages)


def run(index, uploads, *args):
    return run_import(SAMPLE, index, "--uploads", str(uploads), "--no-download", *args)


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_sample_post_has_the_demo_article_s_block_structure(home, uploads):
    DemoLoader().load()
    blog = ArticleIndexPage.objects.get(slug="blog")
    run(blog, uploads)
    demo = ArticlePage.objects.get(slug="acupuncture-for-back-pain")
    post = imported("acupuncture-for-back-pain-2")  # the demo's article holds the slug
    assert post.pk != demo.pk
    demo_blocks, post_blocks = block_texts(demo.body), block_texts(post.body)
    assert [kind for kind, _ in post_blocks] == [kind for kind, _ in demo_blocks]
    # The notice's window and the image are the demo's own; every text is the same.
    assert post_blocks == demo_blocks
    assert post.intro == demo.intro
    assert post.search_description == demo.search_description
    assert post.author == demo.author  # the practitioner is matched by name, not duplicated
    assert Practitioner.objects.filter(name="Demo Practitioner").count() == 1


def test_fields_images_and_links_of_the_sample(index, uploads):
    out = run(index, uploads)
    post, classic, rank_math = (
        imported("acupuncture-for-back-pain"),
        imported("why-choose-acupuncture-for-back-pain"),
        imported("how-acupuncture-can-relieve-back-pain"),
    )
    assert "posts created: 3" in out
    # Yoast SEO fields; Rank Math's title is its default template, the page title.
    assert post.seo_title == "Acupuncture for Back Pain: A Natural, Drug-Free Approach"
    assert post.search_description.startswith("At our Portland clinic")
    assert rank_math.seo_title == ""
    assert rank_math.search_description.startswith("Acupuncture, an ancient practice")
    assert str(post.published_date) == "2024-11-05"
    # Featured image and the image block, alt text from the attachment, in the import's collection.
    collection = Collection.objects.get(name="WordPress import: Example Acupuncture Clinic")
    assert post.hero_image.collection == collection
    assert post.hero_image.description == "Acupuncture for Back Pain"
    image_block = next(b for b in post.body if b.block_type == "image")
    assert image_block.value["alt_text"] == "How Acupuncture Can Relieve Back Pain"
    assert get_image_model().objects.filter(collection=collection).count() == 2
    # Links between imported posts are page links (forward and backward in the export).
    faq = next(b for b in post.body if b.block_type == "faq")
    assert f'<a id="{rank_math.pk}" linktype="page">' in faq.value["intro"].source
    assert any(
        f'<a id="{post.pk}" linktype="page">' in b.value.source
        for b in classic.body if b.block_type == "paragraph"
    )
    assert "clinic.example.com" not in str(post.body.raw_data)


def test_published_posts_are_published_and_drafts_stay_drafts(index, uploads):
    run(index, uploads)
    assert imported("acupuncture-for-back-pain").live
    draft = imported("why-choose-acupuncture-for-back-pain")
    assert not draft.live and draft.latest_revision is not None
    run(index, uploads)
    draft.refresh_from_db()
    assert not draft.live


def test_faq_questions_without_answers_and_hidden_ones_are_left_out_and_reported(index, uploads, tmp_path):
    report = tmp_path / "report.csv"
    run(index, uploads, "--report", str(report))
    unanswered = "Can acupuncture help with other health issues beyond back pain?"
    for slug in ("acupuncture-for-back-pain", "why-choose-acupuncture-for-back-pain",
                 "how-acupuncture-can-relieve-back-pain"):
        faq = next(b for b in imported(slug).body if b.block_type == "faq")
        questions = [item["question"] for item in faq.value["items"]]
        assert unanswered not in questions
        assert all(item["answer"].source for item in faq.value["items"])
    rank_math = next(b for b in imported("how-acupuncture-can-relieve-back-pain").body
                     if b.block_type == "faq")
    assert "Is acupuncture painful?" not in [i["question"] for i in rank_math.value["items"]]
    text = report.read_text()
    assert text.count(f"Left out the FAQ question '{unanswered}': it has no answer.") == 3
    assert "Skipped the hidden FAQ question 'Is acupuncture painful?'" in text


def test_a_second_run_changes_nothing(index, uploads):
    run(index, uploads)
    before = row_counts()
    out = run(index, uploads)
    assert "posts unchanged: 3" in out
    assert row_counts() == before
    assert before["wagtailcore.Revision"] == Revision.objects.count()


def test_a_changed_post_gets_one_new_revision(index, uploads, tmp_path):
    run(index, uploads)
    post = imported("acupuncture-for-back-pain")
    revisions = {p.pk: p.revisions.count() for p in ArticlePage.objects.all()}
    changed = tmp_path / "changed.xml"
    changed.write_text(SAMPLE.read_text().replace(
        "Whatever the cause, back pain can be incredibly challenging.",
        "Whatever the cause, back pain can be challenging."))
    out = run_import(changed, index, "--uploads", str(uploads), "--no-download")
    assert "posts updated: 1" in out and "posts unchanged: 2" in out
    post.refresh_from_db()
    assert post.live and not post.has_unpublished_changes
    assert "back pain can be challenging." in str(post.body.raw_data)
    after = {p.pk: p.revisions.count() for p in ArticlePage.objects.all()}
    assert after == {**revisions, post.pk: revisions[post.pk] + 1}


def test_the_dry_run_writes_nothing(index, uploads, tmp_path):
    before = row_counts()
    report = tmp_path / "report.html"
    out = run(index, uploads, "--dry-run", "--report", str(report))
    assert row_counts() == before
    assert "nothing was written" in out
    assert "posts would create: 3" in out
    assert "would create" in report.read_text()
    run(index, uploads)
    before = row_counts()
    out = run(index, uploads, "--dry-run")
    assert "posts unchanged: 3" in out
    assert row_counts() == before


def test_redirects_from_old_permalinks_are_made_once(index, uploads, site):
    run(index, uploads)
    post = imported("acupuncture-for-back-pain")
    redirect = Redirect.objects.get(old_path="/2024/11/acupuncture-for-back-pain")
    assert redirect.redirect_page_id == post.pk and redirect.site == site
    # The draft has no public permalink.
    assert Redirect.objects.count() == 2
    run(index, uploads)
    assert Redirect.objects.count() == 2


def test_an_existing_redirect_elsewhere_is_left_alone(index, uploads, site):
    Redirect.objects.create(old_path="/2024/11/acupuncture-for-back-pain", site=site,
                            redirect_link="https://example.com/")
    out = run(index, uploads)
    assert Redirect.objects.get(old_path="/2024/11/acupuncture-for-back-pain").redirect_link == (
        "https://example.com/")
    assert "Redirects" in out


def test_categories_map_to_treatments(index, uploads, tmp_path):
    treatment = Treatment.objects.create(name="Back pain", slug="back-pain-care")
    mapping = tmp_path / "map.csv"
    mapping.write_text("category,treatment\nback-pain,back-pain-care\nacupuncture,no-such\n")
    out = run(index, uploads, "--treatments", str(mapping))
    assert "no treatment 'no-such'" in out
    for slug in ("acupuncture-for-back-pain", "why-choose-acupuncture-for-back-pain"):
        assert [r.treatment for r in imported(slug).related_treatments.all()] == [treatment]
    assert list(imported("how-acupuncture-can-relieve-back-pain").related_treatments.all()) == []
    before = row_counts()
    run(index, uploads, "--treatments", str(mapping))
    assert row_counts() == before


def test_images_are_stored_once_by_checksum(index, uploads, tmp_path):
    run(index, uploads)
    Image = get_image_model()
    assert Image.objects.count() == 2
    # Another export of the same blog under new ids and URLs: the files are the same.
    other = tmp_path / "other.xml"
    other.write_text(SAMPLE.read_text().replace("back-pain-hero.jpg", "hero-copy.jpg"))
    (uploads / "2024" / "11" / "hero-copy.jpg").write_bytes(
        (uploads / "2024" / "11" / "back-pain-hero.jpg").read_bytes())
    run_import(other, index, "--uploads", str(uploads), "--no-download")
    assert Image.objects.count() == 2


def test_the_index_must_be_an_article_index(home, uploads):
    with pytest.raises(CommandError, match="not an article index"):
        run(home, uploads)
    with pytest.raises(CommandError, match="No page"):
        call_command("acupuncture_import_wordpress", str(SAMPLE), "--index", "/no/such/",
                     "--dry-run", stdout=StringIO())


def test_the_index_may_be_given_by_path(index, uploads):
    out = StringIO()
    call_command("acupuncture_import_wordpress", str(SAMPLE), "--index", "/blog/", "--dry-run",
                 "--uploads", str(uploads), "--no-download", stdout=out)
    assert "posts would create: 3" in out.getvalue()
    assert re.search(r"images to create: 2", out.getvalue())


def test_wxr_1_1_exports_are_read(index, uploads, tmp_path):
    older = tmp_path / "wxr-1.1.xml"
    older.write_text(SAMPLE.read_text().replace("/export/1.2/", "/export/1.1/").replace(
        "<wp:wxr_version>1.2<", "<wp:wxr_version>1.1<"))
    assert "posts would create: 3" in run_import(older, index, "--uploads", str(uploads),
                                                 "--no-download", "--dry-run")


def test_a_link_to_the_blog_s_home_is_not_a_post(index, uploads, tmp_path):
    export = tmp_path / "home-link.xml"
    export.write_text(SAMPLE.read_text().replace(
        "feel better long-term.",
        'feel better long-term. <a href="https://clinic.example.com/">Home</a>', 1))
    run_import(export, index, "--uploads", str(uploads), "--no-download")
    body = str(imported("acupuncture-for-back-pain").body.raw_data)
    assert '<a href="https://clinic.example.com/">Home</a>' in body
    draft = imported("why-choose-acupuncture-for-back-pain")
    assert f'id="{draft.pk}"' not in body


def test_every_run_writes_a_report_unless_told_not_to(index, uploads):
    out = run(index, uploads, "--dry-run")
    (report,) = Path.cwd().glob("wordpress-import-*.html")
    assert f"Report written to {report.name}." in out
    html = report.read_text()
    assert "WordPress import report" in html and "Acupuncture for Back Pain" in html

    report.unlink()
    out = run(index, uploads, "--dry-run", "--no-report")
    assert list(Path.cwd().glob("wordpress-import-*")) == []
    assert "Report written" not in out
