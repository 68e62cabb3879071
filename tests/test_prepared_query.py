"""Prepared querysets (``content/prepared.py``) and the prepared site lookup (``content/sites.py``).

A prepared query must answer exactly what the plain queryset answers, for any values of the
same shape, and fall back to the plain queryset whenever a shape cannot be prepared.
"""

import pytest
from django.db import connection
from django.db.models import Q
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.factories import TreatmentFactory, make_article, make_index, root_page
from wagtail_acupuncture.content.prepared import PreparedQuery
from wagtail_acupuncture.content.sites import find_site_for_request
from wagtail_acupuncture.models import Treatment

pytestmark = pytest.mark.django_db


def counting(build):
    """``(prepared query, calls)``: ``calls[0]`` counts the builder's calls."""
    calls = [0]

    def counted(*args, **kwargs):
        calls[0] += 1
        return build(*args, **kwargs)

    return PreparedQuery(counted), calls


def test_answers_as_the_plain_queryset_for_new_values_and_builds_once_per_shape():
    treatments = [TreatmentFactory(name=f"T{i}", slug=f"t-{i}") for i in range(5)]
    query, calls = counting(
        lambda ids, slug: Treatment.objects.filter(Q(pk__in=ids) | Q(slug=slug)).order_by("pk")
    )
    first = query([treatments[0].pk, treatments[1].pk], treatments[4].slug)
    built = calls[0]  # the shape's first call builds (its model, then with placeholders)
    second = query([treatments[2].pk, treatments[3].pk], treatments[0].slug)
    assert [t.pk for t in first] == [treatments[i].pk for i in (0, 1, 4)]
    assert [t.pk for t in second] == [treatments[i].pk for i in (0, 2, 3)]
    assert calls[0] == built  # compiled once, run again with new values
    third = query([treatments[1].pk], "no-such-slug")  # another list length: another shape
    assert [t.pk for t in third] == [treatments[1].pk]
    assert calls[0] == 2 * built
    query([treatments[0].pk], treatments[1].slug)
    assert calls[0] == 2 * built


def test_lists_of_nearby_lengths_share_a_shape_and_answer_exactly():
    treatments = [TreatmentFactory() for _ in range(5)]
    pks = [t.pk for t in treatments]
    query, calls = counting(lambda ids: Treatment.objects.filter(pk__in=ids).order_by("pk"))
    assert [t.pk for t in query(pks[:3])] == pks[:3]
    built = calls[0]
    assert [t.pk for t in query(pks[1:5])] == pks[1:5]  # 3 and 4 values: one shape of 4
    assert [t.pk for t in query([pks[4], pks[0], pks[4]])] == [pks[0], pks[4]]
    assert calls[0] == built
    assert [t.pk for t in query(pks)] == pks  # 5 values: the shape of 8
    assert len(query._shapes) == 2


def test_each_run_is_one_query_with_the_new_values():
    treatments = [TreatmentFactory() for _ in range(3)]
    query = PreparedQuery(lambda ids: Treatment.objects.filter(pk__in=ids))
    query([treatments[0].pk])
    with CaptureQueriesContext(connection) as captured:
        rows = query([treatments[2].pk])
    assert [t.pk for t in rows] == [treatments[2].pk]
    assert len(captured.captured_queries) == 1
    assert str(treatments[2].pk) in captured.captured_queries[0]["sql"]


def test_static_arguments_are_part_of_the_shape():
    live, draft = TreatmentFactory(live=True), TreatmentFactory(live=False)
    query, calls = counting(lambda ids, *, live: Treatment.objects.filter(pk__in=ids, live=live))
    ids = [live.pk, draft.pk]
    assert [t.pk for t in query(ids, live=True)] == [live.pk]
    built = calls[0]
    assert [t.pk for t in query(ids, live=False)] == [draft.pk]
    assert calls[0] == 2 * built  # another shape
    assert [t.pk for t in query(ids[::-1], live=False)] == [draft.pk]
    assert calls[0] == 2 * built


def test_startswith_values_are_escaped_as_django_escapes_them():
    home = root_page()
    index = make_index(home, slug="pct")
    pages = [
        make_article(index, title=f"A {n}", slug=slug) for n, slug in enumerate(["a_b", "axb"])
    ]
    query = PreparedQuery(lambda prefix: Page.objects.filter(url_path__startswith=prefix))

    def plain(prefix):
        return list(Page.objects.filter(url_path__startswith=prefix))

    for prefix in (pages[0].url_path[:-1], pages[1].url_path, index.url_path + "a_", "/%"):
        assert query(prefix) == plain(prefix), prefix
    assert [p.pk for p in query(index.url_path + "a_")] == [pages[0].pk]  # "_" is no wildcard


def test_shapes_that_cannot_be_prepared_run_the_plain_queryset():
    TreatmentFactory(name="Cupping for back pain")
    contains, calls = counting(lambda word: Treatment.objects.filter(name__icontains=word))
    assert [t.name for t in contains("BACK")] == ["Cupping for back pain"]
    assert contains("nothing") == []
    assert calls[0] >= 4  # the placeholder is transformed (``%word%``): built at every call
    empty, calls = counting(lambda ids: Treatment.objects.filter(pk__in=ids))
    assert empty([]) == []
    unhashable, calls = counting(lambda *, condition: Treatment.objects.filter(condition))
    condition = Q(pk__in=Treatment.objects.values("pk"))
    assert len(unhashable(condition=condition)) == 1


@pytest.mark.parametrize(
    "host",
    ["testserver", "clinic.example:8080", "clinic.example", "other.example", "other.example:81"],
)
def test_the_prepared_site_lookup_chooses_as_wagtail_does(host):
    home = root_page()
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="clinic.example", port=8080, root_page=home)
    Site.objects.create(hostname="clinic.example", port=80, root_page=home)
    Site.objects.create(hostname="other.example", port=81, root_page=home)
    factory = RequestFactory()
    hostname, _, port = host.partition(":")
    extra = {"SERVER_PORT": port or "80"}
    ours = find_site_for_request(factory.get("/", HTTP_HOST=host, **extra))
    theirs = Site.find_for_request(factory.get("/", HTTP_HOST=host, **extra))
    assert ours == theirs
    assert ours is not None
    if host == "testserver":
        assert ours == default


def test_the_prepared_site_lookup_without_a_default_site_finds_none():
    Site.objects.update(is_default_site=False, hostname="only.example")
    request = RequestFactory().get("/", HTTP_HOST="elsewhere.example")
    assert find_site_for_request(request) is None
    assert Site.find_for_request(RequestFactory().get("/", HTTP_HOST="elsewhere.example")) is None


@pytest.mark.parametrize(
    "ours, theirs",
    [
        ("ImageChooserBlock", "wagtail.images.blocks.ImageChooserBlock"),
        ("PageChooserBlock", "wagtail.blocks.PageChooserBlock"),
        ("SnippetChooserBlock", "wagtail.snippets.blocks.SnippetChooserBlock"),
    ],
)
def test_the_chooser_blocks_are_wagtails_in_migrations(ours, theirs):
    from django.utils.module_loading import import_string

    from wagtail_acupuncture import blocks

    args = ("wagtail_acupuncture.Treatment",) if ours == "SnippetChooserBlock" else ()
    block = getattr(blocks, ours)(*args, required=False)
    wagtail_block = import_string(theirs)(*args, required=False)
    assert block.deconstruct() == wagtail_block.deconstruct()
    assert block.deconstruct()[0] == theirs


def test_the_chooser_blocks_convert_as_wagtails_do(home):
    from wagtail import blocks as wagtail_blocks
    from wagtail.snippets.blocks import SnippetChooserBlock as WagtailSnippetChooserBlock

    from wagtail_acupuncture.blocks import PageChooserBlock, SnippetChooserBlock

    first, second = TreatmentFactory(), TreatmentFactory()
    raw = [second.pk, None, 999_999, first.pk, second.pk]
    ours = SnippetChooserBlock("wagtail_acupuncture.Treatment").bulk_to_python(raw)
    theirs = WagtailSnippetChooserBlock("wagtail_acupuncture.Treatment").bulk_to_python(raw)
    pks = [getattr(obj, "pk", None) for obj in ours]
    assert pks == [second.pk, None, None, first.pk, second.pk]
    assert pks == [getattr(obj, "pk", None) for obj in theirs]
    assert ours[0] is not ours[4]  # a repeated choice is a copy of its own, as in Wagtail
    mixed = [str(home.pk), home.pk]  # an id stored as text: Wagtail's own conversion
    pages = PageChooserBlock().bulk_to_python(mixed)
    wagtail_pages = wagtail_blocks.PageChooserBlock().bulk_to_python(mixed)
    assert [getattr(p, "pk", None) for p in pages] == [
        getattr(p, "pk", None) for p in wagtail_pages
    ]
    assert pages[1].pk == home.pk


def test_the_prepared_site_setting_is_wagtails_for_request(site):
    from wagtail_acupuncture.content.sites import site_setting_for_request
    from wagtail_acupuncture.models import ClinicSettings

    request = RequestFactory().get("/")
    created = site_setting_for_request(ClinicSettings, request)  # none yet: created
    assert created.pk is not None and created.site_id == site.pk
    assert site_setting_for_request(ClinicSettings, request) is created
    assert ClinicSettings.for_request(request) is created  # Wagtail's finds it on the request
    ClinicSettings.objects.filter(pk=created.pk).update(clinic_name="Portland Clinic")
    fresh = site_setting_for_request(ClinicSettings, RequestFactory().get("/"))
    assert fresh.pk == created.pk and fresh.clinic_name == "Portland Clinic"
    assert fresh._request is not None


class CountingRouter:
    """Sends every read to ``default`` and counts the models it was asked about."""

    asked = []

    def db_for_read(self, model, **hints):
        self.asked.append(model)
        return "default"


def test_the_database_routers_choose_where_a_prepared_query_reads(settings):
    settings.DATABASE_ROUTERS = [f"{__name__}.CountingRouter"]
    CountingRouter.asked.clear()
    treatment = TreatmentFactory()
    query = PreparedQuery(lambda ids: Treatment.objects.filter(pk__in=ids))
    assert [t.pk for t in query([treatment.pk])] == [treatment.pk]
    assert [t.pk for t in query([treatment.pk])] == [treatment.pk]
    assert CountingRouter.asked.count(Treatment) >= 2  # asked for every run, not only the first
