"""Headless preview: an editor's preview opens the site's frontend with a signed, expiring token.

The flow, switched on by the ``HEADLESS_PREVIEW_URL`` setting:

1. An editor previews an article or a treatment (the preview button, the live preview panel, a
   workflow's revision preview). Wagtail calls ``serve_preview`` on the object as edited, unsaved
   changes included.
2. :class:`HeadlessPreviewMixin` stores that object's content in a
   :class:`~wagtail_acupuncture.models.HeadlessPreview` row (deleting expired rows first), signs
   the row's random key with a timestamp (:func:`make_token`) and redirects to the frontend URL
   with ``?content_type=<app_label.model>&token=<token>``.
3. The frontend asks the API for the draft: ``GET /api/v2/page_preview/?token=...`` (or
   ``treatment_preview``), which checks the signature and the age (:func:`get_preview`) and
   answers in the live API's detail shape (:mod:`wagtail_acupuncture.api.preview`).

A token is valid for ``HEADLESS_PREVIEW_TOKEN_MAX_AGE`` seconds (ten minutes by default), then
it and its row are refused, and the row is deleted by the next preview or by
``manage.py acupuncture_clear_previews``.

wagtail-headless-preview is not needed, and not used at run time: its 0.9 tokens never expire
(``unsign`` without ``max_age``; rows are deleted a day later, by date), it previews pages only,
its stored JSON rounds times to milliseconds and it needs its own app and migration. The protocol
is the same, though: the ``content_type`` and ``token`` query parameters, the ``page_preview``
endpoint name, a redirect (its recommended mode on Wagtail 7.1+), and its ``CLIENT_URLS`` dict
is accepted as ``HEADLESS_PREVIEW_URL``; a frontend written for it needs only the new endpoint.
"""

import datetime
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core import signing
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Site, TranslatableMixin

from .conf import acupuncture_settings
from .content.registry import package_model

#: Salt of the token signatures (tokens signed for anything else never verify here).
TOKEN_SALT = "wagtail_acupuncture.preview"  # noqa: S105 - a salt, not a secret

#: Longest token accepted; real ones are about 60 characters.
TOKEN_MAX_LENGTH = 200


class PreviewTokenError(Exception):
    """A preview token that cannot be used; ``status_code`` is the API's answer."""

    status_code = 403
    default_message = _("This preview link is not valid. Open the preview again from the editor.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class MissingPreviewToken(PreviewTokenError):
    status_code = 401
    default_message = _("A preview token is required (?token=...).")


class InvalidPreviewToken(PreviewTokenError):
    """Tampered, malformed, unknown (cleared) or for another kind of object: 403."""


class ExpiredPreviewToken(PreviewTokenError):
    status_code = 401
    default_message = _("This preview link has expired. Open the preview again from the editor.")


def token_max_age():
    """Seconds a token stays valid (``HEADLESS_PREVIEW_TOKEN_MAX_AGE``)."""
    return int(acupuncture_settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE)


def get_signer():
    """The timestamp signer of preview tokens (``SECRET_KEY`` and its fallbacks)."""
    return signing.TimestampSigner(salt=TOKEN_SALT)


def make_token(key):
    """A token for the preview row ``key``: ``<key>:<timestamp>:<signature>``, URL-safe."""
    return get_signer().sign(key)


def read_token(token):
    """The row key signed into ``token``, if the signature is valid and not too old.

    Raises :class:`MissingPreviewToken`, :class:`InvalidPreviewToken` or
    :class:`ExpiredPreviewToken`.
    """
    if not token:
        raise MissingPreviewToken()
    if len(token) > TOKEN_MAX_LENGTH or "\x00" in token:
        raise InvalidPreviewToken()
    try:
        return get_signer().unsign(token, max_age=token_max_age())
    except signing.SignatureExpired as error:
        raise ExpiredPreviewToken() from error
    except signing.BadSignature as error:
        raise InvalidPreviewToken() from error


def get_preview(token, model=None):
    """The :class:`~wagtail_acupuncture.models.HeadlessPreview` of a valid ``token``.

    ``model``: the row must preview an instance of it (``Page`` for ``page_preview``).
    """
    key = read_token(token)
    preview = package_model("HeadlessPreview").objects.select_related("content_type").filter(key=key).first()
    if preview is None:
        raise InvalidPreviewToken()
    if preview.is_expired():
        raise ExpiredPreviewToken()
    if model is not None and not (preview.model and issubclass(preview.model, model)):
        raise InvalidPreviewToken(_("This preview token is for another kind of content."))
    return preview


def create_preview(obj):
    """Store ``obj`` as it is now for a headless preview; returns ``(row, token)``.

    Expired rows are deleted first, so the table holds at most the previews of the last
    ``HEADLESS_PREVIEW_TOKEN_MAX_AGE`` seconds.
    """
    preview_model = package_model("HeadlessPreview")
    now = timezone.now()
    preview_model.objects.clear_expired(now)
    _set_default_locale(obj)
    key = secrets.token_urlsafe(24)
    preview = preview_model.objects.create(
        key=key,
        content_type=ContentType.objects.get_for_model(obj),
        object_id="" if obj.pk is None else str(obj.pk),
        content_json=preview_model.content_for(obj),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=token_max_age()),
    )
    return preview, make_token(key)


def _set_default_locale(obj):
    """A page previewed before its first save has no locale yet; give it its parent's."""
    if isinstance(obj, TranslatableMixin) and obj.locale_id is None:
        obj.locale = obj.get_default_locale()


def content_type_label(obj):
    """``app_label.model_name`` of ``obj``, the ``content_type`` query parameter."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def object_site(obj, request=None):
    """The ``Site`` of a page, else of the request, else the default site (or ``None``)."""
    site = None
    if isinstance(obj, Page):
        site = obj.get_site()
    if site is None and request is not None:
        site = Site.find_for_request(request)
    return site or Site.objects.filter(is_default_site=True).first()


def frontend_url(obj, request=None):
    """The frontend URL configured for ``obj``'s site (``HEADLESS_PREVIEW_URL``), or ``None``."""
    setting = acupuncture_settings.HEADLESS_PREVIEW_URL
    if not setting:
        return None
    site = object_site(obj, request)
    if isinstance(setting, dict):
        url = (site and setting.get(site.hostname)) or setting.get("default")
    else:
        url = setting
    if not url:
        return None
    if "{SITE_ROOT_URL}" in url:
        root_url = site.root_url.rstrip("/") if site is not None else ""
        url = url.replace("{SITE_ROOT_URL}", root_url)
    return url


def add_query(url, **params):
    """``url`` with ``params`` added to its query string."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


class HeadlessPreviewMixin:
    """Preview on the frontend: ``serve_preview`` redirects to it with a fresh token.

    Dormant until ``HEADLESS_PREVIEW_URL`` is set: until then Wagtail's own preview is served.
    With ``HEADLESS_PREVIEW_MODE`` set, only that extra preview mode goes to the frontend. Put it
    before the model's Wagtail bases (``class MyPage(HeadlessPreviewMixin, Page)``).
    """

    #: Label of the ``HEADLESS_PREVIEW_MODE`` preview mode.
    headless_preview_mode_label = _("Frontend")

    def get_headless_preview_url(self, request=None):
        """The frontend URL previews of this object open (without the query), or ``None``."""
        return frontend_url(self, request)

    @property
    def preview_modes(self):
        modes = list(super().preview_modes)
        mode = acupuncture_settings.HEADLESS_PREVIEW_MODE
        if mode and acupuncture_settings.HEADLESS_PREVIEW_URL and mode not in dict(modes):
            modes.append((mode, self.headless_preview_mode_label))
        return modes

    def is_headless_preview_mode(self, mode_name):
        """Whether ``mode_name`` is served by the frontend."""
        mode = acupuncture_settings.HEADLESS_PREVIEW_MODE
        return not mode or mode_name == mode

    def serve_preview(self, request, mode_name):
        url = self.get_headless_preview_url(request)
        if url is None or not self.is_headless_preview_mode(mode_name):
            return super().serve_preview(request, mode_name)
        _preview, token = create_preview(self)
        return redirect(add_query(url, content_type=content_type_label(self), token=token))
