"""An article's related articles: other live, public articles sharing a published treatment.

One implementation for the HTML page, the API and structured data, computed for a whole listing
with one query per article model.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from ..conf import acupuncture_settings
from .visibility import public_q, visible_q

#: Newest first; ties broken by first publication, then id.
ARTICLE_ORDERING = ("-published_date", "-first_published_at", "-pk")


def _row_ordering():
    return [
        F("page__published_date").desc(),
        F("page__first_published_at").desc(),
        F("page_id").desc(),
    ]


def related_articles(pages, treatments_of, row_models, *, site=None, limit=None):
    """``{page.pk: [related article pages]}`` for many articles at once.

    ``treatments_of(page)`` gives an article's published related treatments, ``row_models`` the
    related treatment row models of the site's article types. Related articles
    are the other live, public articles (of every article model of the site) sharing one of
    them, newest first, ``limit`` (``RELATED_ARTICLES_LIMIT``) of them; with ``site`` only those
    of that site. Per treatment only the newest ``limit + 1`` articles can be among any page's
    related ones, so each query keeps those (a window function) and Python picks each page's:
    the rows read are those of the wanted treatments, whatever the size of the site.
    """
    limit = limit or acupuncture_settings.RELATED_ARTICLES_LIMIT
    wanted = {page.pk: {t.pk for t in treatments_of(page)} for page in pages}
    treatment_ids = set().union(*wanted.values()) if wanted else set()
    if not treatment_ids:
        return {page.pk: [] for page in pages}
    condition = public_q(site, "page__") if site is not None else visible_q("page__")
    rows = []
    for row_model in row_models:
        rows += (
            row_model.objects.filter(condition, treatment_id__in=treatment_ids, treatment__live=True)
            .annotate(
                acupuncture_rank=Window(
                    RowNumber(), partition_by=[F("treatment_id")], order_by=_row_ordering()
                )
            )
            .filter(acupuncture_rank__lte=limit + 1)
            .select_related("page", "page__hero_image")
            .defer("page__body")
        )
    rows.sort(key=_sort_key)
    result = {}
    for page in pages:
        mine, seen, related = wanted[page.pk], {page.pk}, []
        for row in rows:
            if row.treatment_id in mine and row.page_id not in seen:
                seen.add(row.page_id)
                related.append(row.page)
                if len(related) == limit:
                    break
        result[page.pk] = related
    return result


def _sort_key(row):
    """Newest first across article models: (published date, first publication, id), descending."""
    page = row.page
    published = page.published_date.toordinal() if page.published_date else 0
    first = page.first_published_at.timestamp() if page.first_published_at else 0
    return (-published, -first, -page.pk, row.treatment_id)
