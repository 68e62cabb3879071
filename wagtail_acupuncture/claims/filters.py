"""The Articles index filter: articles whose latest version has claim findings."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _

from ..conf import acupuncture_settings
from .report import flagged_ids


class ClaimsFilter(SimpleListFilter):
    """``?claims=flagged`` (any active pack), ``?claims=<pack>`` or ``?claims=none``.

    Checks each article's latest version (what editors work on) against ``CLAIMS_RULES``.
    """

    title = _("claims")
    parameter_name = "claims"

    def lookups(self, request, model_admin):
        names = acupuncture_settings.CLAIMS_RULES
        choices = [("flagged", _("Claims flagged"))]
        if len(names) > 1:
            choices += [(name, _("Flagged by %(pack)s") % {"pack": name}) for name in names]
        choices.append(("none", _("No claims flagged")))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        names = acupuncture_settings.CLAIMS_RULES
        if value not in ("flagged", "none", *names):
            return queryset
        rules = [value] if value in names else None
        ids = flagged_ids(queryset, rules=rules)
        if value == "none":
            return queryset.exclude(pk__in=ids)
        return queryset.filter(pk__in=ids)
