import pytest
from django.db.models import Prefetch, prefetch_related_objects
from tests.api_fixtures import build_back_pain_article
from wagtail_acupuncture.models import ArticlePageTreatment, ArticlePage

pytestmark = [pytest.mark.django_db]

def test_scratch(index):
    data = build_back_pain_article(index)
    page = data["page"]
    fresh = ArticlePage.objects.get(pk=page.pk)
    prefetch_related_objects([fresh], Prefetch("related_treatments", queryset=ArticlePageTreatment.objects.select_related("treatment")))
    print(fresh._prefetched_objects_cache.keys())
    print([t.pk for t in fresh.get_live_treatments()])
    prefetch_related_objects([fresh], "hero_image", "author", "author__photo", "locale")
    print([t.pk for t in fresh.get_live_treatments()])
