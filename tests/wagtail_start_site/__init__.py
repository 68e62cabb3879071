"""A site shaped as ``wagtail start`` makes one (Wagtail 7.4): its ``templates/base.html``
unchanged (project name ``mysite``), and its static files. ``tests.settings_wagtail_start``
points ``BASE_TEMPLATE`` at that ``base.html``."""
