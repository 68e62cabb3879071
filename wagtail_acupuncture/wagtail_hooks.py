"""Admin registration: snippet viewsets, the "Articles" index and editor assets."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from . import admin_views
from .admin_reports import review_due_menu_item, review_due_urls, webhook_delivery_viewset
from .claims import publish as claims_publish
from .conf import acupuncture_settings
from .modeladmin import articles_admin
from .viewsets import ClinicSnippetGroup
from .wordpress import views as wordpress_views  # noqa: F401 - registers Settings > WordPress import

register_snippet(ClinicSnippetGroup)
hooks.register("register_admin_viewset", webhook_delivery_viewset)
# Reports > Review due (articles due for medical review).
hooks.register("register_admin_urls", review_due_urls)
hooks.register("register_reports_menu_item", review_due_menu_item)

if acupuncture_settings.MODELADMIN_ENABLED:
    # One editorial index per article type, the site's own included (see ``modeladmin``).
    modeladmin_register(articles_admin())

# Booking call-to-action defaults in the page editor (admin_views.cta_defaults, js/editor.js).
hooks.register("register_admin_urls", admin_views.get_admin_urls)
hooks.register("insert_editor_js", admin_views.editor_js)

# Claims findings when an article is published (warnings; a refusal with CLAIMS_BLOCK_PUBLISH).
hooks.register("before_publish_page", claims_publish.refuse_publishing)
hooks.register("after_publish_page", claims_publish.warn_on_publish)
