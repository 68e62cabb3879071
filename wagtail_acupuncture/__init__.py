"""Health articles, FAQ and booking blocks, and treatment snippets for clinic sites on Wagtail."""

__version__ = "0.1.0"
