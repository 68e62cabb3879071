"""Claims when an article is published from the editor (``wagtail_hooks`` registers these).

Findings are warnings: the editor publishing sees a message listing them. With
``WAGTAIL_ACUPUNCTURE["CLAIMS_BLOCK_PUBLISH"]`` (``True``, or a severity such as ``"error"``)
an article with findings (at least that serious) is not published: the editor's changes are kept
as a draft revision (Wagtail saves it before ``before_publish_page``), and the editor returns to
the edit form with a message saying why.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from ..models.registry import is_article
from .engine import blocking_findings, check_page

#: Findings quoted in a message; the editor's checks panel lists them all.
QUOTED = 3


def _findings(page):
    if not is_article(page):
        return []
    page.__dict__.pop("body_scan", None)  # the values just submitted, not an earlier walk
    return check_page(page)


def _summary(findings):
    quoted = "; ".join(f"“{finding.sentence}” ({finding.rule})" for finding in findings[:QUOTED])
    more = len(findings) - QUOTED
    if more > 0:
        quoted += " " + ngettext("and %(count)d more.", "and %(count)d more.", more) % {"count": more}
    return quoted


def refuse_publishing(request, page):
    """``before_publish_page``: a redirect to the edit form when blocking findings remain."""
    blocking = blocking_findings(_findings(page))
    if not blocking:
        return None
    messages.error(
        request,
        ngettext(
            "“%(title)s” was not published: %(count)d claim needs rewording first (see the "
            "editorial checks). Your changes were saved as a draft. %(findings)s",
            "“%(title)s” was not published: %(count)d claims need rewording first (see the "
            "editorial checks). Your changes were saved as a draft. %(findings)s",
            len(blocking),
        )
        % {"title": page.title, "count": len(blocking), "findings": _summary(blocking)},
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def warn_on_publish(request, page):
    """``after_publish_page``: a warning message listing the published article's findings."""
    findings = _findings(page)
    if findings:
        messages.warning(
            request,
            ngettext(
                "Published with %(count)d claim to check: %(findings)s",
                "Published with %(count)d claims to check: %(findings)s",
                len(findings),
            )
            % {"count": len(findings), "findings": _summary(findings)},
        )
    return None
