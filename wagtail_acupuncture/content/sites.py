"""The request's ``Site``, found as Wagtail finds it, with a query compiled once per process."""

from django.db.models import Case, IntegerField, Q, When
from django.http.request import split_domain_port
from wagtail.models import Site

from .prepared import PreparedQuery

# Wagtail's order of preference (``wagtail.models.sites``).
MATCH_HOSTNAME_PORT = 0
MATCH_HOSTNAME_DEFAULT = 1
MATCH_DEFAULT = 2
MATCH_HOSTNAME = 3


@PreparedQuery
def _sites_query(hostname, port):
    """The sites that may answer ``hostname:port``, best first (``get_site_for_hostname``)."""
    return (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page")
    )


def find_site_for_request(request):
    """``Site.find_for_request``: the same choice, kept on the request as Wagtail keeps it.

    Unique hostname first, then hostname and port, else the default site; ``None`` when none
    matches. Wagtail's own lookups later in the request reuse the result.
    """
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            port = int(request.get_port())
        except (TypeError, ValueError):
            return Site.find_for_request(request)
        request._wagtail_site = _choose(_sites_query(hostname, port))
    return request._wagtail_site


def _choose(sites):
    if not sites:
        return None
    if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if sites[0].match == MATCH_DEFAULT:  # the default, unless exactly one hostname match
        return sites[len(sites) == 2]
    return None


@PreparedQuery
def _setting_query(site_id, *, model):
    return model.base_queryset().filter(site_id=site_id)


def site_setting_for_request(model, request):
    """``model.for_request(request)`` for a ``BaseSiteSetting``: the same instance, cached on
    the request under Wagtail's name, read with a prepared query (created when missing, by
    ``for_site``)."""
    attr_name = model.get_cache_attr_name()
    if hasattr(request, attr_name):
        return getattr(request, attr_name)
    site = find_site_for_request(request)
    rows = _setting_query(site.pk, model=model) if site is not None else []
    setting = rows[0] if rows else model.for_site(site)
    setting._request = request  # as Wagtail's: page URLs of the setting use the request
    setattr(request, attr_name, setting)
    return setting
