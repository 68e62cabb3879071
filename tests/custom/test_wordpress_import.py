"""A site's own article type gets the WordPress import too (``--page-type``)."""

import pytest
from django.core.management import CommandError

from tests.custom_app.models import CustomArticlePage
from tests.factories import make_index
from tests.wordpress_helpers import SAMPLE, block_texts, in_tmp_dir, make_uploads, run_import  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


def test_posts_import_as_the_site_s_own_article_type(home, tmp_path):
    index = make_index(home)
    uploads = make_uploads(tmp_path / "uploads")
    out = run_import(SAMPLE, index, "--uploads", str(uploads), "--no-download",
                     "--page-type", "custom_app.CustomArticlePage")
    assert "posts created: 3" in out
    page = CustomArticlePage.objects.get(slug="acupuncture-for-back-pain")
    kinds = [kind for kind, _texts in block_texts(page.body)]
    assert kinds[:3] == ["paragraph", "booking_cta", "heading"] and "faq" in kinds
    assert run_import(SAMPLE, index, "--uploads", str(uploads), "--no-download",
                      "--page-type", "custom_app.CustomArticlePage").count("unchanged: 3") == 1


def test_a_page_type_that_is_no_article_is_refused(home):
    index = make_index(home)
    with pytest.raises(CommandError, match="not an article type"):
        run_import(SAMPLE, index, "--page-type", "wagtailcore.Page", "--dry-run")
    with pytest.raises(CommandError, match="No page type"):
        run_import(SAMPLE, index, "--page-type", "nope.Nope", "--dry-run")
