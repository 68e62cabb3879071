"""Spreadsheet exports of the admin indexes (Articles, Treatments, Practitioners), formula-safe.

Wagtail's exports write text as it is. A spreadsheet opening the CSV runs a cell starting with
``=``, ``+``, ``-`` or ``@`` as a formula (CSV injection), so text an editor typed - a title,
a treatment summary - could run in the office's spreadsheet. :class:`FormulaSafeExportMixin`
prefixes such text with an apostrophe, which spreadsheets show as text (OWASP's advice); XLSX
exports already store such values as text (Wagtail).
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """``value``, with an apostrophe in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    """Put before a view with Wagtail's ``SpreadsheetExportMixin``: CSV cells are formula-safe."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == SpreadsheetExportMixin.FORMAT_CSV:
            return formula_safe(value)
        return value


class SnippetExportIndexView(FormulaSafeExportMixin, SnippetIndexView):
    """The snippet index of treatments and practitioners, with formula-safe CSV exports."""
