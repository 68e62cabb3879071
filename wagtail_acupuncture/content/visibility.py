"""Which pages and documents the API may show or link to, as query expressions.

The API is public and cacheable (``API_CACHE_CONTROL``), so it never depends on the visitor: a
page under any view restriction (password, login or groups) is private for the API whatever the
request's session holds, and so is a document in a collection with a view restriction. The checks
are correlated subqueries, so a page or document is fetched and checked in the same query.

Whether a page belongs to the request's site is a prefix test on its ``url_path`` against the
site's root paths, which Wagtail keeps cached (``Site.get_site_root_paths``): a plain condition
that database planners estimate well, where a correlated subquery on the tree path led
PostgreSQL to scan every page first.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Length, Substr


def page_is_restricted(prefix=""):
    """``Exists`` expression: the outer page or one of its ancestors has a view restriction.

    ``prefix="alias_of__"`` checks the page an alias mirrors instead.
    """
    from wagtail.models import PageViewRestriction

    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef(f"{prefix}path"), 1, Length("page__path"))
        )
    )


def page_is_in_site(site, prefix=""):
    """``Exists`` expression: the outer page is the root page of ``site`` or below it.

    With ``WAGTAIL_I18N_ENABLED`` the translations of the root page count as roots too, as in
    Wagtail's own pages endpoint. ``prefix="page__"`` checks a related page instead.
    """
    from wagtail.models import Page

    roots = Page.objects.filter(pk=site.root_page_id)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        roots = Page.objects.filter(translation_key=Subquery(roots.values("translation_key")[:1]))
    return Exists(roots.filter(path=Substr(OuterRef(f"{prefix}path"), 1, Length("path"))))


def site_root_url_paths(site):
    """``url_path`` of ``site``'s root page (and, with i18n, of its translations), cached."""
    from wagtail.models import Site

    return tuple(root.root_path for root in Site.get_site_root_paths() if root.site_id == site.pk)


def in_site_q(site, prefix=""):
    """``Q``: the page (at ``prefix``) is the root page of ``site`` or below it."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for root_path in site_root_url_paths(site):
        condition |= Q(**{f"{prefix}url_path__startswith": root_path})
    return condition


def public_q(site, prefix=""):
    """``Q`` of :func:`public_pages` for the page at ``prefix`` (e.g. ``"page__"``).

    Filtering rows of another model (an article's related treatment rows) with it checks only
    the pages those rows point to, not every page of the site.
    """
    from django.db.models import Q

    if site is None:
        return Q(pk__in=[])
    return visible_q(prefix) & in_site_q(site, prefix)


def visible_q(prefix=""):
    """``Q``: the page (at ``prefix``) is live and public, on whichever site.

    Live, without a view restriction on it or an ancestor, and not an alias of a page that is
    not live or restricted. :func:`public_q` adds "in the request's site".
    """
    from django.db.models import Q

    return (
        Q(**{f"{prefix}live": True})
        & ~Q(page_is_restricted(prefix))
        & ~(
            Q(**{f"{prefix}alias_of__isnull": False})
            & (
                Q(**{f"{prefix}alias_of__live": False})
                | Q(page_is_restricted(f"{prefix}alias_of__"))
            )
        )
    )


def public_pages(site, queryset=None):
    """Live pages of ``site`` without a view restriction on them or an ancestor.

    An alias counts as private when the page it mirrors is private or not live (as Wagtail's
    ``get_view_restrictions`` does). ``queryset`` defaults to all pages; pass a specific model's
    queryset to keep its type. ``site=None`` (no site matches the request and there is no
    default site) gives no pages.
    """
    from wagtail.models import Page

    queryset = Page.objects.all() if queryset is None else queryset
    if site is None:
        return queryset.none()
    return queryset.filter(public_q(site))


def document_is_restricted():
    """``Exists`` expression: the outer document's collection, or an ancestor, is restricted."""
    from wagtail.models import CollectionViewRestriction

    return Exists(
        CollectionViewRestriction.objects.filter(
            collection__path=Substr(OuterRef("collection__path"), 1, Length("collection__path"))
        )
    )


def is_visible(page, paths, alias_target=None):
    """Whether a fetched ``page`` is live and public.

    ``paths`` are the tree paths of the pages that carry a view restriction: the page is private
    when its path starts with one of them (the restriction is on it or an ancestor). Sites have
    a handful at most, so this check costs far less than a correlated subquery per page.

    ``alias_target`` is the page an alias mirrors (needed when ``page.alias_of_id`` is set).
    """
    if not page.live or page.path.startswith(paths):
        return False
    if page.alias_of_id:
        return (
            alias_target is not None
            and alias_target.live
            and not alias_target.path.startswith(paths)
        )
    return True
