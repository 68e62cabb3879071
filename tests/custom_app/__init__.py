"""A site's own article type built on the package's abstract bases, for ``tests/custom/``.

Installed only by ``tests/settings_custom.py``: the custom article page (extra fields, a body with
an agency block of its own), its related treatment rows and a snippet of its own. It is written
as an agency would write it, without workarounds, so that the tests in ``tests/custom/`` show
whether the package serves such a page exactly like its own ``ArticlePage``.
"""
