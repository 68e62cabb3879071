"""Admin view (Settings > WordPress import): upload an export, import it, read the report.

Only superusers see and use it: an import creates pages, images and redirects in bulk. The
upload is imported like the command does it (images are downloaded over HTTP(S); a copy of
``wp-content/uploads`` needs the command's ``--uploads``), and the same report is shown.
"""

import tempfile

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from ..models import AbstractArticleIndexPage
from .importer import WordPressImporter, WordPressImportError
from .report import render_html
from .wxr import WXRError

URL_NAME = "wagtail_acupuncture_wordpress_import"
#: Largest export accepted by the upload form (bytes); larger exports go through the command.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def index_pages():
    models = [m for m in apps.get_models() if issubclass(m, AbstractArticleIndexPage)]
    return Page.objects.type(*models).order_by("path") if models else Page.objects.none()


class WordPressImportForm(forms.Form):
    export = forms.FileField(
        label=_("WordPress export"),
        help_text=_("The XML file from Tools > Export in WordPress."),
    )
    index = forms.ModelChoiceField(
        label=_("Article index"),
        queryset=Page.objects.none(),
        help_text=_("The posts become articles below this page."),
    )
    download_images = forms.BooleanField(
        label=_("Download images"), required=False, initial=True,
        help_text=_("Fetch the posts' images from the WordPress site."),
    )
    redirects = forms.BooleanField(
        label=_("Create redirects"), required=False,
        initial=apps.is_installed("wagtail.contrib.redirects"),
        help_text=_("From each old permalink to its new page (needs wagtail.contrib.redirects)."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, initial=True,
        help_text=_("Only report what the import would do; nothing is written."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["index"].queryset = index_pages()

    def clean_export(self):
        export = self.cleaned_data["export"]
        if export.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The export is larger than %(limit)d MB: import it with the command.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return export


def _superuser(user):
    if not user.is_superuser:
        raise PermissionDenied
    return True


@user_passes_test(_superuser)
def import_view(request):
    """The upload form; after an import, the report below it."""
    report_html = None
    status = 200
    if request.method == "POST":
        form = WordPressImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            with tempfile.TemporaryFile() as file:
                for chunk in data["export"].chunks():
                    file.write(chunk)
                try:
                    report = WordPressImporter(
                        file, data["index"], download=data["download_images"],
                        redirects=data["redirects"], dry_run=data["dry_run"], user=request.user,
                    ).run()
                    report_html = render_html(report, standalone=False)
                except (WXRError, WordPressImportError) as error:
                    form.add_error("export", str(error))
                    status = 400
        else:
            status = 400
    else:
        form = WordPressImportForm()
    return render(
        request,
        "wagtail_acupuncture/wordpress/import.html",
        {"form": form, "report_html": report_html, "action_url": reverse(URL_NAME)},
        status=status,
    )


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("acupuncture/wordpress-import/", import_view, name=URL_NAME)]


@hooks.register("register_settings_menu_item")
def menu_item():
    return SuperuserMenuItem(
        _("WordPress import"), reverse(URL_NAME), icon_name="download", order=900
    )
