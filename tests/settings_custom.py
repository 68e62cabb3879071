"""Test settings with a site's own article type installed (``tests/custom_app``).

Everything of ``tests/settings.py``, plus the ``custom_app`` app. ``tests/custom/`` runs with these
settings (``pytest --ds=tests.settings_custom tests/custom``, as ``tests/matrix.py`` does); the
rest of the suite runs with ``tests.settings``, where ``tests/custom/`` is not collected.
"""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.custom_app"]  # noqa: F405
