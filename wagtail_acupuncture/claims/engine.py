"""The claims engine: a page's texts in, :class:`Finding` list out.

Texts come from the page's fields (:data:`PAGE_FIELDS`) and from the body's one walk
(:attr:`BodyScan.fields <wagtail_acupuncture.content.body.BodyScan.fields>`), so every block is
checked, a site's own blocks included, with the path of its field. Each text is split into
sentences and each sentence is checked against every rule (:mod:`.rules`, :mod:`.packs`).
"""

import re
from dataclasses import dataclass

from ..conf import acupuncture_settings
from ..content.body import BodyScan
from .packs import active_rules
from .rules import SEVERITIES

#: Page fields checked, before the body, when a page type names none (``claims_fields``).
PAGE_FIELDS = ("title", "seo_title", "search_description", "intro")

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'”’)\]])\s+|\n+")


@dataclass(frozen=True)
class Finding:
    """One flagged sentence."""

    #: Id of the page (``None`` before it is saved).
    page: int | None
    #: Path of the field, e.g. ``"intro"`` or ``"body[3].faq.items[1].answer"``.
    field: str
    #: The sentence flagged, as the editor typed it.
    sentence: str
    #: The rule's name, ``"<pack>/<id>"``.
    rule: str
    #: The rule's advice, translated.
    message: str
    #: ``"info"``, ``"warning"`` or ``"error"``.
    severity: str
    #: The words that flagged it.
    matched: tuple

    def as_dict(self):
        """Plain JSON values (for reports and the API of a site's own tools)."""
        return {
            "page": self.page,
            "field": self.field,
            "sentence": self.sentence,
            "rule": self.rule,
            "severity": self.severity,
            "message": str(self.message),
            "matched": list(self.matched),
        }


def split_sentences(text):
    """The sentences of a plain ``text`` (line breaks end a sentence too)."""
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def page_texts(page):
    """``[(field path, plain text)]`` of every text an editor typed on ``page``, in page order."""
    texts = []
    for name in getattr(page, "claims_fields", PAGE_FIELDS):
        value = getattr(page, name, None)
        if isinstance(value, str) and value.strip():
            texts.append((name, value))
    scan = getattr(page, "body_scan", None)
    if scan is None and getattr(page, "body", None) is not None:
        scan = BodyScan.of(page.body)
    texts.extend(scan.fields if scan is not None else ())
    return texts


def check_texts(texts, rules, *, page=None):
    """Findings of ``texts`` (``[(path, text)]``) against ``rules``."""
    findings = []
    for path, text in texts:
        applicable = [rule for rule in rules if rule.applies_to(path)]
        if not applicable:
            continue
        for sentence in split_sentences(text):
            for rule in applicable:
                matched = rule.matches(sentence)
                if matched:
                    findings.append(
                        Finding(page, path, sentence, rule.code, rule.message, rule.severity, tuple(matched))
                    )
    return findings


def check_page(page, rules=None):
    """The :class:`Finding` list of ``page`` against ``rules`` (default: ``CLAIMS_RULES``).

    ``rules`` may be rules or pack names / dotted paths.
    """
    if rules is None or (rules and all(isinstance(rule, str) for rule in rules)):
        rules = active_rules(rules)
    return check_texts(page_texts(page), rules, page=getattr(page, "pk", None))


def at_least(findings, severity):
    """The findings of ``severity`` or more serious."""
    floor = SEVERITIES.index(severity)
    return [finding for finding in findings if SEVERITIES.index(finding.severity) >= floor]


def blocking_findings(findings):
    """The findings that stop publishing under ``CLAIMS_BLOCK_PUBLISH`` (``False``: none,
    ``True``: all, a severity: those at least that serious)."""
    setting = acupuncture_settings.CLAIMS_BLOCK_PUBLISH
    if not setting:
        return []
    return list(findings) if setting is True else at_least(findings, setting)
