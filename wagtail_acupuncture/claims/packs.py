"""The built-in claims rule packs, by jurisdiction, and the rules a site has switched on.

``WAGTAIL_ACUPUNCTURE["CLAIMS_RULES"]`` lists pack names (:data:`PACKS`) and dotted paths to a
site's own rules (a list of :class:`~wagtail_acupuncture.claims.rules.Rule` or of dicts, or a
callable returning one); :func:`active_rules` returns them in that order.

* ``"us-ftc"``: US FTC Health Products Compliance Guidance (2022): health claims need competent
  and reliable scientific evidence, so absolute promises are flagged.
* ``"uk-cap"``: UK CAP Code / ASA: absolute promises, and conditions outside the short list for
  which the ASA has accepted short-term relief claims for acupuncture, named next to a word of
  treatment without a qualifier (listing conditions counts as a claim).
* ``"au-ahpra"``: Australia's Health Practitioner Regulation National Law s133: absolute promises
  (unreasonable expectation of benefit) and testimonials: quotes attributed to a patient and
  first-person outcome statements.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ..conf import acupuncture_settings
from .rules import (
    ABSOLUTE_MESSAGE,
    ABSOLUTE_PHRASES,
    CONDITIONS,
    FIRST_PERSON_OUTCOME,
    PATIENT_ATTRIBUTIONS,
    QUALIFIERS,
    TREATMENT_CONTEXT,
    UK_CAP_ACCEPTED,
    Rule,
    rule_from_data,
)


def absolute_claim(pack):
    """The absolute-words rule of ``pack``."""
    return Rule(id="absolute-claim", pack=pack, phrases=ABSOLUTE_PHRASES, message=ABSOLUTE_MESSAGE, severity="error")


#: ``{pack name: (Rule, ...)}``.
PACKS = {
    "us-ftc": (absolute_claim("us-ftc"),),
    "uk-cap": (
        absolute_claim("uk-cap"),
        Rule(
            id="condition-not-accepted",
            pack="uk-cap",
            phrases=CONDITIONS,
            accepted=UK_CAP_ACCEPTED,
            context=TREATMENT_CONTEXT,
            unless=QUALIFIERS,
            message=_(
                "Condition claim: the ASA has accepted acupuncture claims only for short-term "
                "relief of tension-type headache, migraine, chronic low back pain, neck pain, TMD "
                "and, as an adjunct, knee osteoarthritis. Name another condition only with a "
                "qualifier (e.g. 'may', 'some people') and evidence, or leave it out."
            ),
        ),
    ),
    "au-ahpra": (
        absolute_claim("au-ahpra"),
        Rule(
            id="testimonial-attribution",
            pack="au-ahpra",
            phrases=PATIENT_ATTRIBUTIONS,
            fields=("attribution",),
            severity="error",
            message=_(
                "Testimonial: a quote attributed to a patient is a testimonial, which health "
                "practitioners in Australia may not use in advertising (National Law s133)."
            ),
        ),
        Rule(
            id="first-person-outcome",
            pack="au-ahpra",
            pattern=FIRST_PERSON_OUTCOME,
            severity="error",
            message=_(
                "Testimonial: a first-person account of a treatment's outcome reads as a "
                "testimonial, which National Law s133 forbids in health advertising."
            ),
        ),
    ),
}


def load_rules(name):
    """The rules of pack ``name`` or of the site's rules at dotted path ``name``."""
    if name in PACKS:
        return list(PACKS[name])
    if "." not in name:
        raise ImproperlyConfigured(
            f"CLAIMS_RULES: unknown pack {name!r} (packs: {', '.join(PACKS)}; or a dotted path)."
        )
    try:
        rules = import_string(name)
    except ImportError as error:
        raise ImproperlyConfigured(f"CLAIMS_RULES: cannot import {name!r} ({error}).") from error
    if callable(rules):
        rules = rules()
    return [rule_from_data(rule, pack=name) for rule in rules]


def active_rules(names=None):
    """The rules of ``names`` (default: ``CLAIMS_RULES``), pack by pack, in order."""
    names = acupuncture_settings.CLAIMS_RULES if names is None else names
    if isinstance(names, str):
        names = [names]
    rules = []
    for name in names:
        rules.extend(load_rules(name))
    return rules
