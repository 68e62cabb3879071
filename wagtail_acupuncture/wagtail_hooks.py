"""Admin registration: snippet viewsets, the "Articles" index and editor assets."""

from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .conf import acupuncture_settings
from .modeladmin import ArticleModelAdmin
from .viewsets import ClinicSnippetGroup

register_snippet(ClinicSnippetGroup)

if acupuncture_settings.MODELADMIN_ENABLED:
    modeladmin_register(ArticleModelAdmin)
