"""Models of ``wagtail_acupuncture``: pages, snippets, the per-site clinic settings, the
webhook delivery log, stored headless previews, the content change log and the medical
review workflow task."""

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
from .workflow import MedicalReviewTask

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
    "MedicalReviewTask",
    "Practitioner",
    "Treatment",
    "WebhookDelivery",
    "WordPressImportedItem",
]
