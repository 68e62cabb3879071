"""A benchmark-only app: the stock Wagtail page the package is compared with."""
