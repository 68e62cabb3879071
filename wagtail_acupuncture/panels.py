"""Admin panels: the editorial checks shown in the article editor."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .editor_checks import get_editor_warnings

#: Default heading of :class:`EditorChecksPanel`.
DEFAULT_HEADING = _("Editorial checks")


class EditorChecksPanel(Panel):
    """Lists the :func:`~wagtail_acupuncture.editor_checks.get_editor_warnings` of the page.

    Purely informative: it adds no form field, so it never blocks saving or publishing. It shows
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

        def is_shown(self):
            return bool(self.warnings)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["warnings"] = self.warnings
            return context
