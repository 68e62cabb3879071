"""Claims guardrails: rule packs per jurisdiction that flag risky health claims in articles.

* :mod:`.rules`: the :class:`~.rules.Rule` record and the word lists (data);
* :mod:`.packs`: the built-in packs (``us-ftc``, ``uk-cap``, ``au-ahpra``) and
  ``CLAIMS_RULES``;
* :mod:`.engine`: a page in, :class:`~.engine.Finding` list out;
* :mod:`.report`: findings of many articles (the ``acupuncture_claims_report`` command and the
  Articles index filter);
* :mod:`.publish`: warnings, or a refusal, when an article is published;
* :mod:`.filters`: the Articles index filter.
"""

from .engine import Finding, check_page
from .packs import PACKS, active_rules
from .rules import Rule

__all__ = ["PACKS", "Finding", "Rule", "active_rules", "check_page"]
