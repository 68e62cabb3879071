"""Claim findings of many articles: the ``acupuncture_claims_report`` command and the Articles
index filter read them from here.

``version="draft"`` checks what editors work on, each article's latest revision (the article's
own row when it has none); ``version="live"`` checks what visitors see, live articles as
published. Revisions are read in one query per call, not one per article.
"""

from wagtail.models import Revision

from .engine import check_page
from .packs import active_rules

VERSIONS = ("draft", "live")


def article_versions(pages, version="draft"):
    """``[page instance]`` of ``pages`` (article instances) in ``version``."""
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {', '.join(VERSIONS)}, not {version!r}")
    pages = list(pages)
    if version == "live":
        return [page for page in pages if page.live]
    revision_ids = [page.latest_revision_id for page in pages if page.latest_revision_id]
    contents = dict(Revision.objects.filter(pk__in=revision_ids).values_list("pk", "content"))
    return [
        page.with_content_json(contents[page.latest_revision_id])
        if page.latest_revision_id in contents
        else page
        for page in pages
    ]


def findings_of(pages, *, version="draft", rules=None):
    """``[(page, [Finding])]`` of ``pages`` in ``version``, against ``rules`` (rules or pack
    names; default ``CLAIMS_RULES``)."""
    if rules is None or all(isinstance(rule, str) for rule in rules):
        rules = active_rules(rules)
    return [(page, check_page(page, rules)) for page in article_versions(pages, version)]


def flagged_ids(pages, *, version="draft", rules=None):
    """Ids of the ``pages`` with at least one finding."""
    return [page.pk for page, findings in findings_of(pages, version=version, rules=rules) if findings]
