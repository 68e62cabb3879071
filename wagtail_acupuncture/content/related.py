"""An article's related articles: other live, public articles sharing a published treatment.

One implementation for the HTML page, the API and structured data, computed for a whole listing
with one query per article model.
"""

from collections import namedtuple

from django.db import router
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
    ones, so each query keeps those (a window function) and Python picks each page's: the rows
    returned are a few per wanted treatment, whatever the size of the site.

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

        Each treatment keeps its own newest ``limit + 1`` rows (a window function): a page
        counts once per shared treatment, so they hold ``limit + 1`` distinct pages (the page
        itself among them) whenever the site has that many. The window reads the wanted
        treatments' rows through their index; a plain ``ORDER BY ... LIMIT`` let PostgreSQL
        walk every article of the site newest first instead.
        """
        rows, cut = [], set()
        keep = self.limit + 1
        for row_model in self.row_models:
            fetched = _candidate_rows(row_model, condition, sorted(treatment_ids), keep)
            cut |= {row.treatment_id for row in fetched if row.rank == keep}
            rows += fetched
        rows.sort(key=_sort_key)
        return rows, cut

    @property
    def candidate_pages(self):
        """Every article page that can be picked (to check, or to fetch images for)."""
        return list({row.page_id: row.page for row in self.rows}.values())

    def pick_checked(self, check):
        """:meth:`pick` with ``check(article)`` telling whether each examined candidate is
        public (``None``: it cannot tell without a fetch). ``None`` when it could not tell for
        one of them; only the examined candidates' articles are made into instances."""
        rows = {row.page_id: row for row in self.rows}
        unknown = []

        def is_public(pk):
            verdict = check(rows[pk].page)
            if verdict is None:
                unknown.append(pk)
            return bool(verdict)

        result, short = self._pick(is_public)
        return None if unknown else self._fill_up(result, short)

    def pick(self, is_public=None):
        """``{page.pk: [related article pages]}``."""
        return self._fill_up(*self._pick(is_public))

    def _pick(self, is_public):
        """``(picks, short)``: each page's picks, and the pages whose pick may be short because
        a private candidate was dropped from a treatment whose rows were cut."""
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
        return result, short

    def _fill_up(self, result, short):
        """``result`` with the short picks made again with :attr:`exact_condition`."""
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


class _LazyPages:
    """Article instances made from the columns of candidate rows, each when first read."""

    def __init__(self, page_model, columns):
        self.page_model, self.columns = page_model, columns
        self.db = router.db_for_read(page_model)
        self.values, self.pages = {}, {}
        self._dates = (columns.index("published_date"), columns.index("first_published_at"))

    def dates(self, page_id):
        """``(published_date, first_published_at)`` of a page, from its columns."""
        values = self.values[page_id]
        return values[self._dates[0]], values[self._dates[1]]

    def get(self, page_id):
        page = self.pages.get(page_id)
        if page is None:
            page = self.pages[page_id] = self.page_model.from_db(
                self.db, self.columns, self.values[page_id]
            )
        return page


class Candidate(namedtuple("Candidate", "page_id treatment_id rank pages")):
    """A candidate row: the article, the treatment it shares and the row's rank among that
    treatment's; the article instance is made when first read."""

    __slots__ = ()

    @property
    def page(self):
        return self.pages.get(self.page_id)


@PreparedQuery
def _rows_query(treatment_ids, *, row_model, condition, keep, columns):
    """``(page id, treatment id, rank, *columns)`` of the newest ``keep`` rows of each of
    ``treatment_ids`` whose page meets ``condition`` (a window function)."""
    return (
        row_model.objects.filter(condition, treatment_id__in=treatment_ids, treatment__live=True)
        .annotate(
            acupuncture_rank=Window(
                RowNumber(), partition_by=[F("treatment_id")], order_by=_row_ordering()
            )
        )
        .filter(acupuncture_rank__lte=keep)
        .order_by()
        .values_list(
            "page_id", "treatment_id", "acupuncture_rank", *(f"page__{name}" for name in columns)
        )
    )


def _page_columns(page_model):
    """The attribute names of ``page_model`` read for a card (all but its body)."""
    return tuple(f.attname for f in page_model._meta.concrete_fields if f.name != "body")


def _candidate_rows(row_model, condition, treatment_ids, keep):
    """The candidate rows of ``treatment_ids`` (``row_model``), as :class:`Candidate`.

    The rows come as tuples with their page's columns; a page becomes an instance when it is
    read (:meth:`RelatedCandidates.pick_checked` reads only those it examines), once however
    many treatments it shares.
    """
    page_model = row_model._meta.get_field("page").related_model
    pages = _LazyPages(page_model, _page_columns(page_model))
    rows = _rows_query(
        treatment_ids, row_model=row_model, condition=condition, keep=keep, columns=pages.columns
    )
    fetched = []
    for page_id, treatment_id, rank, *values in rows:
        pages.values.setdefault(page_id, values)
        fetched.append(Candidate(page_id, treatment_id, rank, pages))
    return fetched


def _sort_key(row):
    """Newest first across article models: (published date, first publication, id), descending."""
    published, first = row.pages.dates(row.page_id)  # from the columns: no page is made
    published = published.toordinal() if published else 0
    first = first.timestamp() if first else 0
    return (-published, -first, -row.page_id, row.treatment_id)
