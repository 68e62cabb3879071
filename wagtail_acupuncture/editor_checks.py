"""Editorial checks of an article: pure functions, page in, list of warnings out.

The warnings are advice, shown in the article editor by
:class:`~wagtail_acupuncture.panels.EditorChecksPanel`; they never block saving or publishing.
Limits come from the ``WAGTAIL_ACUPUNCTURE`` settings ``SEO_TITLE_MAX_LENGTH``,
``SEO_DESCRIPTION_MAX_LENGTH`` and ``REVIEW_MAX_AGE_DAYS``. The same panel lists the claims
findings of :func:`get_claim_findings` (``CLAIMS_RULES``; publishing is refused only under
``CLAIMS_BLOCK_PUBLISH``, see :mod:`wagtail_acupuncture.claims.publish`).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .claims.engine import blocking_findings, check_page
from .conf import acupuncture_settings


@dataclass(frozen=True)
class EditorWarning:
    """One editorial warning."""

    #: Stable identifier, e.g. ``"seo_title_missing"`` (for tests, styling and filtering).
    code: str
    #: Translated, human-readable advice.
    message: str
    #: The model field the warning is about.
    field: str


def check_seo_title(page):
    """Warn when the SEO title (Promote tab) is empty or longer than ``SEO_TITLE_MAX_LENGTH``."""
    limit = acupuncture_settings.SEO_TITLE_MAX_LENGTH
    title = (page.seo_title or "").strip()
    if not title:
        return [
            EditorWarning(
                "seo_title_missing",
                _(
                    "No SEO title (Promote tab): search engines will show the page title "
                    "followed by the clinic name."
                ),
                "seo_title",
            )
        ]
    if len(title) > limit:
        return [
            EditorWarning(
                "seo_title_too_long",
                ngettext(
                    "The SEO title is %(length)d characters long; search engines show about "
                    "%(limit)d character.",
                    "The SEO title is %(length)d characters long; search engines show about "
                    "%(limit)d characters.",
                    limit,
                )
                % {"length": len(title), "limit": limit},
                "seo_title",
            )
        ]
    return []


def check_seo_description(page):
    """Warn when the search description is empty or longer than ``SEO_DESCRIPTION_MAX_LENGTH``."""
    limit = acupuncture_settings.SEO_DESCRIPTION_MAX_LENGTH
    description = (page.search_description or "").strip()
    if not description:
        return [
            EditorWarning(
                "seo_description_missing",
                _(
                    "No search description (Promote tab): the introduction will be used as the "
                    "description in search results and when the article is shared."
                ),
                "search_description",
            )
        ]
    if len(description) > limit:
        return [
            EditorWarning(
                "seo_description_too_long",
                ngettext(
                    "The search description is %(length)d characters long; search engines show "
                    "about %(limit)d character.",
                    "The search description is %(length)d characters long; search engines show "
                    "about %(limit)d characters.",
                    limit,
                )
                % {"length": len(description), "limit": limit},
                "search_description",
            )
        ]
    return []


def check_authorship(page):
    """Warn when the article has no author or no medical reviewer."""
    warnings = []
    if getattr(page, "author_id", None) is None:
        warnings.append(
            EditorWarning(
                "author_missing",
                _("No author (Treatments & review tab): readers and search engines see no byline."),
                "author",
            )
        )
    if getattr(page, "reviewed_by_id", None) is None:
        warnings.append(
            EditorWarning(
                "reviewer_missing",
                _(
                    "No medical reviewer (Treatments & review tab): health articles are more "
                    "trustworthy when a practitioner has checked them."
                ),
                "reviewed_by",
            )
        )
    return warnings


def check_review_date(page, *, today=None):
    """Warn when the review date is missing or older than ``REVIEW_MAX_AGE_DAYS`` days."""
    max_age = acupuncture_settings.REVIEW_MAX_AGE_DAYS
    reviewed = getattr(page, "last_reviewed", None)
    if reviewed is None:
        return [
            EditorWarning(
                "review_date_missing",
                _(
                    "No review date (Treatments & review tab): enter when the content was last "
                    "checked."
                ),
                "last_reviewed",
            )
        ]
    today = today or timezone.localdate()
    age = (today - reviewed).days
    if age > max_age:
        return [
            EditorWarning(
                "review_outdated",
                ngettext(
                    "The last review was %(age)d days ago, more than the %(max)d day allowed: "
                    "please have the article checked again.",
                    "The last review was %(age)d days ago, more than the %(max)d days allowed: "
                    "please have the article checked again.",
                    max_age,
                )
                % {"age": age, "max": max_age},
                "last_reviewed",
            )
        ]
    return []


def check_hero_image(page):
    """Warn when the article has no hero image (used on the page and in social cards)."""
    if getattr(page, "hero_image_id", None) is None:
        return [
            EditorWarning(
                "hero_image_missing",
                _(
                    "No hero image: the article has no picture when shared on social media or "
                    "shown in search results."
                ),
                "hero_image",
            )
        ]
    return []


def get_editor_warnings(page, *, today=None):
    """All editorial warnings for ``page``, as a list of :class:`EditorWarning`, in display order.

    ``today`` (a date) defaults to the current local date.
    """
    return [
        *check_seo_title(page),
        *check_seo_description(page),
        *check_authorship(page),
        *check_review_date(page, today=today),
        *check_hero_image(page),
    ]


def get_claim_findings(page):
    """The claims findings of ``page`` (:func:`wagtail_acupuncture.claims.check_page`), each
    with ``blocking`` set when it stops publishing (``CLAIMS_BLOCK_PUBLISH``).

    Returns ``[(finding, blocking)]`` in page order.
    """
    findings = check_page(page)
    blocking = set(blocking_findings(findings))
    return [(finding, finding in blocking) for finding in findings]
