"""An article's related articles: other live, public articles sharing a published treatment.

One implementation for the HTML page, the API and structured data, computed for a whole listing
with one query per article model.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from ..conf import acupuncture_settings
from .prepared import PreparedQuery

#: Newest first; ties broken by first publication, then id.
ARTICLE_ORDERING = ("-published_date", "-first_published_at", "-pk")


def _row_ordering():
    return [
        F("page__published_date").desc(),
        F("page__first_published_at").desc(),
        F("page_id").desc(),
    ]


def related_articles(pages, treatments_of, row_models, *, condition, limit=None, is_public=None):
    """``{page.pk: [related article pages]}`` for many articles at once.

    ``treatments_of(page)`` gives an article's published related treatments, ``row_models`` the
    related treatment row models of the site's article types, ``condition`` the ``Q`` a row's
    page must meet. Related articles are the other articles meeting it (of every article model of
    the site) sharing one of the treatments, newest first, ``limit`` (``RELATED_ARTICLES_LIMIT``)
    of them. Per treatment only the newest ``limit + 1`` articles can be among any page's related
    ones, so each query keeps those (a window function; for a single page, a plain ``LIMIT``)
    and Python picks each page's: the rows read are a few per wanted treatment, whatever the
    size of the site.

    ``is_public(page id)``, when given, is checked in Python on top of ``condition`` (which then
    need not carry the view-restriction subqueries): :class:`RelatedCandidates` does that for a
    response whose resolver checks the candidates' visibility with its other pages.
    """
    candidates = RelatedCandidates(pages, treatments_of, row_models, condition=condition, limit=limit)
    return candidates.pick(is_public)


class RelatedCandidates:
    """The rows that can hold ``pages``' related articles, read with one query per row model.

    :meth:`pick` chooses each page's related articles among them. With ``is_public`` filtering
    out some rows of a treatment whose rows were cut at ``limit + 1``, the pick may be short; it
    then falls back to :attr:`exact_condition`, a ``Q`` or a function returning one (``None``: a
    short pick stays short).
    """

    def __init__(self, pages, treatments_of, row_models, *, condition, limit=None, exact=None):
        self.pages = list(pages)
        self.limit = limit or acupuncture_settings.RELATED_ARTICLES_LIMIT
        self.row_models = list(row_models)
        self.exact_condition = exact
        self.treatments_of = treatments_of
        self.wanted = {page.pk: {t.pk for t in treatments_of(page)} for page in self.pages}
        treatment_ids = set().union(*self.wanted.values()) if self.wanted else set()
        self.rows, self.cut = self._rows(condition, treatment_ids) if treatment_ids else ([], set())

    def _rows(self, condition, treatment_ids):
        """``(rows, cut)``: the candidate rows, newest first, and the treatments whose rows
        were cut.

        For one page the newest ``(limit + 1) * treatments`` rows across its treatments are
        enough: a page counts once per shared treatment, so they hold ``limit + 1`` distinct
        pages (the page itself among them) whenever the site has that many. Several pages want
        different treatments, so each treatment keeps its own newest ``limit + 1`` (a window
        function).
        """
        rows, cut = [], set()
        single = len(self.pages) == 1
        keep = (self.limit + 1) * len(treatment_ids) if single else self.limit + 1
        for row_model in self.row_models:
            fetched = _rows_query(
                sorted(treatment_ids),
                row_model=row_model,
                condition=condition,
                keep=keep,
                per_treatment=not single,
            )
            if single and len(fetched) == keep:
                cut |= treatment_ids
            elif not single:
                cut |= {row.treatment_id for row in fetched if row.acupuncture_rank == keep}
            rows += fetched
        rows.sort(key=_sort_key)
        return rows, cut

    @property
    def candidate_pages(self):
        """Every article page that can be picked (to check, or to fetch images for)."""
        return list({row.page_id: row.page for row in self.rows}.values())

    def pick(self, is_public=None):
        """``{page.pk: [related article pages]}``."""
        result, short = {}, []
        for page in self.pages:
            mine, seen, related, dropped = self.wanted[page.pk], {page.pk}, [], False
            for row in self.rows:
                if row.treatment_id not in mine or row.page_id in seen:
                    continue
                seen.add(row.page_id)
                if is_public is not None and not is_public(row.page_id):
                    dropped |= row.treatment_id in self.cut
                    continue
                related.append(row.page)
                if len(related) == self.limit:
                    break
            result[page.pk] = related
            if dropped and len(related) < self.limit:
                short.append(page)
        if short and self.exact_condition is not None:
            exact = RelatedCandidates(
                short,
                self.treatments_of,
                self.row_models,
                condition=(
                    self.exact_condition()
                    if callable(self.exact_condition)
                    else self.exact_condition
                ),
                limit=self.limit,
            )
            result.update(exact.pick())
        return result


@PreparedQuery
def _rows_query(treatment_ids, *, row_model, condition, keep, per_treatment):
    """The newest ``keep`` rows of ``treatment_ids`` whose page meets ``condition`` (of each
    treatment with ``per_treatment``: a window function), their pages (bodies deferred) joined."""
    queryset = row_model.objects.filter(
        condition, treatment_id__in=treatment_ids, treatment__live=True
    )
    if per_treatment:
        queryset = queryset.annotate(
            acupuncture_rank=Window(
                RowNumber(), partition_by=[F("treatment_id")], order_by=_row_ordering()
            )
        ).filter(acupuncture_rank__lte=keep)
    else:
        queryset = queryset.order_by(*_row_ordering())[:keep]
    return queryset.select_related("page").defer("page__body")


def _sort_key(row):
    """Newest first across article models: (published date, first publication, id), descending."""
    page = row.page
    published = page.published_date.toordinal() if page.published_date else 0
    first = page.first_published_at.timestamp() if page.first_published_at else 0
    return (-published, -first, -page.pk, row.treatment_id)
