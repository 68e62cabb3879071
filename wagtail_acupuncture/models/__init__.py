"""Models of ``wagtail_acupuncture``: pages, snippets, the per-site clinic settings, the
webhook delivery log, stored headless previews and the content change log."""

from .pages import (
    AbstractArticleIndexPage,
    AbstractArticlePage,
    AbstractArticlePageTreatment,
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTreatment,
)
from .changes import ContentChange
from .imports import WordPressImportedItem
from .preview import HeadlessPreview
from .settings import ClinicSettings
from .snippets import Practitioner, Treatment
from .webhooks import WebhookDelivery

__all__ = [
    "AbstractArticleIndexPage",
    "AbstractArticlePage",
    "AbstractArticlePageTreatment",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTreatment",
    "ClinicSettings",
    "ContentChange",
    "HeadlessPreview",
    "Practitioner",
    "Treatment",
    "WebhookDelivery",
    "WordPressImportedItem",
]
