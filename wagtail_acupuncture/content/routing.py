"""Wagtail's page routing below a page, with queries compiled once per process."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page

from .prepared import PreparedQuery, in_bulk


@PreparedQuery
def _child_query(path, depth, slug):
    """``(id, content type id)`` of the child with ``slug`` of the page at ``path``."""
    return (
        Page.objects.filter(path__startswith=path, depth=depth, slug=slug)
        .order_by("path")
        .values_list("pk", "content_type_id")
    )


def route_below(page, request, path_components):
    """``Page.route`` for a request to a child of ``page`` (``path_components`` not empty).

    The same two queries as Wagtail's (the child by slug, then its specific row), without
    compiling them anew for each request; the child then routes the remaining components
    itself, as in Wagtail. ``Http404`` when there is no such child.
    """
    rows = _child_query(page.path, page.depth + 1, path_components[0])
    if not rows:
        raise Http404
    pk, type_id = rows[0]
    model = ContentType.objects.get_for_id(type_id).model_class()
    if model is None or not issubclass(model, Page):  # a page type removed from the code base
        child = Page.objects.get(pk=pk)
    else:
        child = in_bulk(model, [pk]).get(pk)
        if child is None:
            raise Http404
    child._cached_parent_obj = page  # as Wagtail's route: get_parent() needs no query
    return child.route(request, path_components[1:])
