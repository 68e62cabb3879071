"""Claims rules as data: :class:`Rule`, and the word lists the built-in packs are made of.

A rule is a small declarative record. It flags a sentence when the sentence holds one of its
``phrases`` (whole words, any case) or matches its ``pattern``, outside every ``accepted``
phrase, and holds none of its ``unless`` qualifiers; when ``context`` is given, the sentence must
also hold one of those phrases (e.g. a condition is only a claim next to a word of treatment).
``fields`` limits a rule to texts whose field ends with one of the names given (``attribution``
for quote attributions). Messages are translated (``gettext_lazy``) and shown to editors with the
sentence that was flagged.

A site's own rules are a list of :class:`Rule` or of dicts with the same keys, named by dotted
path in ``WAGTAIL_ACUPUNCTURE["CLAIMS_RULES"]`` (see :mod:`wagtail_acupuncture.claims.packs`).
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

#: Severities, least to most serious.
SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Rule:
    """One claims rule (see the module)."""

    #: Stable identifier, unique within its pack, e.g. ``"absolute-claim"``.
    id: str
    #: Translated advice shown with each finding.
    message: str
    #: Name of the pack the rule belongs to (``"us-ftc"``, ``"uk-cap"``, ...).
    pack: str = ""
    #: Words or phrases that flag a sentence, matched as whole words in any case.
    phrases: tuple = ()
    #: A regular expression that flags a sentence (case-insensitive), besides ``phrases``.
    pattern: str = ""
    #: Phrases within which a match does not count (e.g. ``"chronic low back pain"``).
    accepted: tuple = ()
    #: Qualifiers: a sentence holding one of them is not flagged.
    unless: tuple = ()
    #: When set, only sentences that also hold one of these phrases are flagged.
    context: tuple = ()
    #: When set, only fields whose path ends with one of these names.
    fields: tuple = ()
    #: ``"info"``, ``"warning"`` or ``"error"``.
    severity: str = "warning"
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not self.id or not (self.phrases or self.pattern):
            raise ImproperlyConfigured(f"Claims rule {self.id!r} needs an id and phrases or a pattern.")
        if self.severity not in SEVERITIES:
            raise ImproperlyConfigured(
                f"Claims rule {self.id!r}: severity must be one of {', '.join(SEVERITIES)}."
            )
        for name in ("phrases", "accepted", "unless", "context", "fields"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(value))
        try:
            self._compiled.update(
                match=_alternatives(self.phrases, self.pattern),
                accepted=_alternatives(self.accepted),
                unless=_alternatives(self.unless),
                context=_alternatives(self.context),
            )
        except re.error as error:
            raise ImproperlyConfigured(f"Claims rule {self.id!r}: bad pattern ({error}).") from error

    @property
    def code(self):
        """``"<pack>/<id>"``, the rule's name in findings and reports."""
        return f"{self.pack}/{self.id}" if self.pack else self.id

    def applies_to(self, path):
        """True when the rule checks the field at ``path``."""
        if not self.fields:
            return True
        last = re.split(r"[.\]]", path)[-1]
        return last in self.fields

    def matches(self, sentence):
        """The flagged words of ``sentence`` (``[]``: the sentence is not flagged)."""
        compiled = self._compiled
        found = [m for m in compiled["match"].finditer(sentence)] if compiled["match"] else []
        if not found:
            return []
        if compiled["accepted"]:
            spans = [m.span() for m in compiled["accepted"].finditer(sentence)]
            found = [m for m in found if not any(a <= m.start() and m.end() <= b for a, b in spans)]
        if not found:
            return []
        if compiled["unless"] and compiled["unless"].search(sentence):
            return []
        if compiled["context"] and not compiled["context"].search(sentence):
            return []
        return list(dict.fromkeys(m.group(0) for m in found))


def _alternatives(phrases, pattern=""):
    """One case-insensitive regular expression matching any phrase (whole words) or ``pattern``."""
    parts = [_phrase_pattern(phrase) for phrase in phrases]
    if pattern:
        parts.append(f"(?:{pattern})")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _phrase_pattern(phrase):
    words = [re.escape(word) for word in phrase.split()]
    body = r"[\s\-]+".join(words)
    start = r"(?<!\w)" if phrase[:1].isalnum() else ""
    end = r"(?!\w)" if phrase[-1:].isalnum() or phrase.endswith("%") else ""
    return f"{start}{body}{end}"


def rule_from_data(data, pack=""):
    """A :class:`Rule` from a ``Rule`` or a dict of its fields; ``pack`` fills a missing pack."""
    if isinstance(data, Rule):
        return data if data.pack or not pack else Rule(**{**_fields_of(data), "pack": pack})
    if isinstance(data, dict):
        unknown = set(data) - set(_fields_of(Rule))
        if unknown:
            raise ImproperlyConfigured(f"Claims rule: unknown keys {', '.join(sorted(unknown))}.")
        return Rule(**{"pack": pack, **data})
    raise ImproperlyConfigured(f"Claims rule: expected a Rule or a dict, not {data!r}.")


def _fields_of(rule):
    names = [name for name in Rule.__dataclass_fields__ if name != "_compiled"]
    return dict.fromkeys(names) if rule is Rule else {name: getattr(rule, name) for name in names}


# --------------------------------------------------------------------------------------------
# Word lists of the built-in packs

#: Absolute words: a promise no evidence supports for a treatment.
ABSOLUTE_PHRASES = (
    "cure", "cures", "cured", "curing",
    "guarantee", "guaranteed", "guarantees",
    "proven", "clinically proven", "scientifically proven",
    "100%",
    "no side effects", "without side effects", "free of side effects", "zero side effects",
    "risk-free", "miracle",
)

#: Conditions a reader may take a treatment claim about (an article naming them makes a claim).
CONDITIONS = (
    "back pain", "low back pain", "chronic back pain", "sciatica", "neck pain", "shoulder pain",
    "knee pain", "joint pain", "arthritis", "osteoarthritis", "rheumatoid arthritis",
    "fibromyalgia", "headache", "headaches", "migraine", "migraines", "TMD", "TMJ",
    "carpal tunnel", "plantar fasciitis", "tendinitis", "sports injuries", "injuries",
    "anxiety", "depression", "insomnia", "stress", "fatigue", "addiction",
    "infertility", "fertility", "endometriosis", "PCOS", "menopause", "menstrual pain",
    "IBS", "irritable bowel syndrome", "bloating", "acid reflux", "reflux", "digestion",
    "nausea", "allergies", "asthma", "immune system", "cancer", "diabetes", "high blood pressure",
    "hypertension", "obesity", "weight loss", "inflammation",
)

#: UK CAP/ASA: the conditions for which short-term relief claims for acupuncture were accepted.
UK_CAP_ACCEPTED = (
    "tension-type headache", "tension-type headaches", "tension headache", "tension headaches",
    "migraine", "migraines", "chronic low back pain", "neck pain",
    "temporomandibular disorder", "temporomandibular joint disorder", "TMD",
    "knee osteoarthritis", "osteoarthritis of the knee",
)

#: Words that make a condition a treatment claim.
TREATMENT_CONTEXT = (
    "acupuncture", "treat", "treats", "treating", "treatment", "treatments", "relief", "relieve",
    "relieves", "relieving", "help", "helps", "helping", "reduce", "reduces", "ease", "eases",
    "improve", "improves", "heal", "heals", "healing", "manage", "managing", "alleviate",
)

#: Qualifiers that make a claim a measured one.
QUALIFIERS = (
    "may", "might", "could", "some people", "for some", "research suggests", "studies suggest",
    "evidence suggests", "limited evidence", "short-term", "short term", "temporary",
    "alongside", "as an adjunct", "talk to your doctor", "speak to your doctor",
)

#: Who a testimonial is attributed to.
PATIENT_ATTRIBUTIONS = (
    "patient", "patients", "client", "clients", "customer", "customers", "a happy", "verified",
    "review", "reviewer",
)

#: A first-person statement of a treatment's outcome ("my pain was gone after two sessions").
FIRST_PERSON_OUTCOME = (
    r"(?<!\w)(?:I|I'm|I’m|I've|I’ve|my|me)(?!\w)[^.!?]{0,80}?(?<!\w)(?:better|relief|relieved|gone|"
    r"helped|healed|cured|fixed|improved|pain[- ]free|recovered|changed my life|no more pain|"
    r"disappeared)(?!\w)"
)

#: Shared messages.
ABSOLUTE_MESSAGE = _(
    "Absolute claim: words such as 'cure', 'guaranteed', 'proven', '100%' or 'no side effects' "
    "promise more than any evidence supports. Describe what the evidence shows instead."
)
