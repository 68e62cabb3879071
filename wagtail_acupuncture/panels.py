"""Admin panels: the editorial checks shown in the article editor."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .editor_checks import get_claim_findings, get_editor_warnings

#: Default heading of :class:`EditorChecksPanel`.
DEFAULT_HEADING = _("Editorial checks")


class EditorChecksPanel(Panel):
    """Lists the :func:`~wagtail_acupuncture.editor_checks.get_editor_warnings` of the page, and
    its claims findings (:func:`~wagtail_acupuncture.editor_checks.get_claim_findings`) with the
    field, the sentence and the rule of each.

    It adds no form field and never blocks saving; publishing is refused only for findings that
    ``CLAIMS_BLOCK_PUBLISH`` makes blocking (marked so in the panel). It shows
    the warnings of the version being edited (the latest draft, or the submitted data after a
    failed save), is hidden on the create form and when there is nothing to report.
    """

    def __init__(self, heading=DEFAULT_HEADING, icon="warning", **kwargs):
        super().__init__(heading=heading, icon=icon, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "editorial_checks"

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_acupuncture/panels/editor_checks.html"

        @cached_property
        def warnings(self):
            if self.instance is None or self.instance.pk is None:
                return []
            return get_editor_warnings(self.instance)

        @cached_property
        def claims(self):
            if self.instance is None or self.instance.pk is None:
                return []
            return [
                {"finding": finding, "blocking": blocking}
                for finding, blocking in get_claim_findings(self.instance)
            ]

        def is_shown(self):
            return bool(self.warnings or self.claims)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["warnings"] = self.warnings
            context["claims"] = self.claims
            context["claims_block"] = any(claim["blocking"] for claim in self.claims)
            return context
