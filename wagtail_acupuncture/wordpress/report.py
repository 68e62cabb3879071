"""The report of a WordPress import: per post what was done and what to look at.

The command prints :func:`summary` (after a progress bar, :class:`Progress`) and writes the
whole report as CSV or HTML (:func:`write`); the admin view shows the same HTML table.
"""

import csv
import sys
from collections import Counter
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

#: Codes of the notes, with their heading in the report.
NOTE_LABELS = {
    "unmapped": _lazy("Unmapped blocks kept as rich text"),
    "image_missing": _lazy("Images not found"),
    "link_not_rewritten": _lazy("Links not rewritten"),
    "unsafe_link": _lazy("Unsafe links removed"),
    "removed": _lazy("Scripts and embeds removed"),
    "redirect": _lazy("Redirects"),
    "faq_unanswered": _lazy("FAQ questions without answers"),
    "faq_hidden": _lazy("Hidden FAQ questions skipped"),
    "editor_check": _lazy("Editor check warnings"),
    "treatment": _lazy("Treatments"),
    "error": _lazy("Errors"),
}


@dataclass
class PostEntry:
    """One post of the export and what the import did with it."""

    wp_id: int
    title: str
    status: str
    #: "created", "updated", "unchanged", "skipped", "failed" (dry run: "would create"...)
    action: str = ""
    url: str = ""
    page_id: int | None = None
    notes: list = field(default_factory=list)  # [(code, message)]

    def note(self, code, message):
        self.notes.append((code, message))


@dataclass
class ImportReport:
    """Everything one run did (or, in a dry run, would do)."""

    source: str = ""
    dry_run: bool = False
    posts: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # [(code, message)] not tied to a post
    counts: Counter = field(default_factory=Counter)

    def post(self, item):
        entry = PostEntry(item.post_id, item.title, item.status)
        self.posts.append(entry)
        return entry

    def note(self, code, message):
        self.notes.append((code, message))

    def actions(self):
        return Counter(entry.action for entry in self.posts)

    def note_counts(self):
        counts = Counter(code for entry in self.posts for code, _message in entry.notes)
        counts.update(code for code, _message in self.notes)
        return counts

    @property
    def changed(self):
        return any(entry.action in ("created", "updated") for entry in self.posts) or any(
            self.counts[key] for key in ("images created", "redirects created", "practitioners created")
        )


def summary(report):
    """The console summary, one line per figure."""
    lines = [
        (_("Dry run of the import of %(source)s: nothing was written.") if report.dry_run
         else _("Import of %(source)s.")) % {"source": report.source or _("the export")}
    ]
    for action, count in sorted(report.actions().items()):
        lines.append(f"  posts {action}: {count}")
    for key, count in sorted(report.counts.items()):
        lines.append(f"  {key}: {count}")
    for code, count in sorted(report.note_counts().items()):
        lines.append(f"  {str(NOTE_LABELS.get(code, code))}: {count}")
    for code, message in report.notes:
        lines.append(f"  ! {message}")
    return "\n".join(lines)


def rows(report):
    """``[(wp_id, title, status, action, url, note kind, note)]``, one row per note (a post
    without notes has one row)."""
    for entry in report.posts:
        notes = entry.notes or [("", "")]
        for code, message in notes:
            yield (entry.wp_id, entry.title, entry.status, entry.action, entry.url,
                   str(NOTE_LABELS.get(code, code)), message)
    for code, message in report.notes:
        yield ("", "", "", "", "", str(NOTE_LABELS.get(code, code)), message)


HEADER = ("wp:post_id", "title", "WordPress status", "action", "page URL", "kind", "note")


def write_csv(report, file):
    writer = csv.writer(file)
    writer.writerow(HEADER)
    for row in rows(report):
        writer.writerow(["'" + v if isinstance(v, str) and v and v[0] in "=+-@" else v for v in row])


def render_html(report, *, standalone=True):
    """The report as HTML (escaped); ``standalone`` adds ``<html>``, for the report file."""
    return render_to_string(
        "wagtail_acupuncture/wordpress/report.html",
        {"report": report, "summary": summary(report), "rows": list(rows(report)),
         "header": HEADER, "standalone": standalone},
    )


def write(report, path):
    """Write the report to ``path``: HTML when it ends with ``.html``/``.htm``, else CSV."""
    path = str(path)
    with open(path, "w", encoding="utf-8", newline="") as file:
        if path.lower().endswith((".html", ".htm")):
            file.write(render_html(report))
        else:
            write_csv(report, file)


class Progress:
    """A one-line progress bar on a terminal (``stream``); silent elsewhere."""

    def __init__(self, total, stream=None, width=30):
        self.total, self.width, self.done = max(total, 1), width, 0
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label=""):
        self.done += 1
        if self.enabled:
            filled = int(self.width * self.done / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
            self.stream.flush()

    def finish(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
