"""Signal receivers: purge the frontend cache and send webhooks when clinic content changes.

Connected by :func:`register` (from ``AppConfig.ready()``) for every concrete model of these kinds:

* article and article index pages of every type, a site's own types built on the abstract bases
  included (:mod:`wagtail_acupuncture.models.registry`): ``page_published`` ("published"),
  ``page_unpublished`` ("unpublished"), ``pre_delete``/``post_delete`` ("deleted"), and
  ``page_slug_changed`` / ``post_page_move`` of a live page ("published", with its old URLs as
  well);
* ``Treatment`` (draft/publish snippet): ``published`` and ``unpublished`` from
  ``wagtail.signals``, ``pre_delete``/``post_delete``;
* ``Practitioner`` and ``ClinicSettings`` (no draft state, so saving publishes): ``post_save``
  ("published"; not the creation of clinic settings, which happens when they are first read),
  ``pre_delete``/``post_delete``.

The affected URLs are worked out when the signal fires (before a deletion, while references still
exist); purging and enqueueing webhooks wait until the transaction commits
(``transaction.on_commit``), so a rolled-back publish sends nothing and a cache is never refilled
from uncommitted content. Nothing here can fail or slow down a publish beyond those lookups: every
error is caught and logged to ``wagtail_acupuncture.signals``.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from . import invalidation
from ..models import ClinicSettings, Practitioner, Treatment
from ..conf import acupuncture_settings
from ..models.registry import article_index_page_models, article_page_models
from .purge import frontend_cache_configured, purge_change
from .webhooks import send_webhooks, webhook_targets

logger = logging.getLogger("wagtail_acupuncture.signals")

_DELETED_CHANGE_ATTR = "_acupuncture_deleted_change"


def _enabled():
    purging = acupuncture_settings.FRONTEND_CACHE_PURGE and frontend_cache_configured()
    return purging or bool(acupuncture_settings.REVALIDATE_WEBHOOKS and webhook_targets())


def _describe(describe, *args, **kwargs):
    try:
        return describe(*args, **kwargs)
    except Exception:
        logger.exception("Could not work out the URLs affected by a change to %r", args[0])
        return None


def _dispatch(change, *, unless_deleted=None):
    """Purge and send webhooks for ``change`` (after commit); never raises."""
    if unless_deleted is not None:
        model, pk = unless_deleted
        try:
            if not model._default_manager.filter(pk=pk).exists():
                # Unpublished on its way to deletion: the "deleted" change covers it.
                return
        except Exception:
            logger.exception("Could not check whether %s %s still exists", model, pk)
    try:
        purge_change(change)
    except Exception:
        logger.exception(
            "Frontend cache purge failed for %s %s", change.object["type"], change.object["id"]
        )
    try:
        send_webhooks(change)
    except Exception:
        logger.exception(
            "Revalidation webhooks failed for %s %s", change.object["type"], change.object["id"]
        )


def _schedule(change, **kwargs):
    if change is not None:
        transaction.on_commit(lambda: _dispatch(change, **kwargs))


def _notify(instance, event):
    if not _enabled():
        return
    unless_deleted = (type(instance), instance.pk) if event == "unpublished" else None
    _schedule(
        _describe(invalidation.describe_change, instance, event), unless_deleted=unless_deleted
    )


# --- Receivers --------------------------------------------------------------------------------


def on_published(sender, instance, **kwargs):
    """``page_published`` / ``published``: the object is live with new content."""
    _notify(instance, "published")


def on_unpublished(sender, instance, **kwargs):
    """``page_unpublished`` / ``unpublished``: the object is no longer live."""
    _notify(instance, "unpublished")


def on_saved(sender, instance, raw=False, **kwargs):
    """``post_save`` of models without draft state: saving publishes them."""
    if not raw:
        _notify(instance, "published")


def on_settings_saved(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of per-site settings, except their creation: ``for_site()`` creates them,
    with their defaults, the first time they are read, even by a page view."""
    if not raw and not created:
        _notify(instance, "published")


def on_pre_delete(sender, instance, **kwargs):
    """``pre_delete``: work out the affected URLs while the object and its references exist."""
    if _enabled():
        change = _describe(invalidation.describe_change, instance, "deleted")
        setattr(instance, _DELETED_CHANGE_ATTR, change)


def on_post_delete(sender, instance, **kwargs):
    """``post_delete``: purge and notify, once the deletion is committed."""
    change = instance.__dict__.pop(_DELETED_CHANGE_ATTR, None)
    _schedule(change)


def on_page_slug_changed(sender, instance, instance_before, **kwargs):
    """``page_slug_changed``: a live page's URL changed; its old URLs are stale too."""
    if instance.live and _enabled():
        _schedule(
            _describe(
                invalidation.describe_move, instance, url_path_before=instance_before.url_path
            )
        )


def on_page_moved(sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs):
    """``post_page_move``: a live page moved; its old URLs and old parent's listing are stale."""
    if url_path_before == url_path_after or not instance.live or not _enabled():
        return
    page = instance.specific
    if not invalidation.is_tracked(page):
        return
    _schedule(
        _describe(
            invalidation.describe_move,
            page,
            url_path_before=url_path_before,
            parent_before=parent_page_before,
        )
    )


def _installed_subclasses(*bases):
    """The installed models that subclass one of ``bases`` (proxies of them included)."""
    return [model for model in apps.get_models() if issubclass(model, bases)]


def register():
    """Connect the receivers for every concrete model whose changes are purged and sent."""

    def connect(signal, receiver, model):
        signal.connect(
            receiver,
            sender=model,
            dispatch_uid=f"acupuncture-{receiver.__name__}-{model._meta.label}",
        )

    for model in _installed_subclasses(*article_page_models(), *article_index_page_models()):
        connect(page_published, on_published, model)
        connect(page_unpublished, on_unpublished, model)
        connect(page_slug_changed, on_page_slug_changed, model)
        connect(post_page_move, on_page_moved, model)
        connect(pre_delete, on_pre_delete, model)
        connect(post_delete, on_post_delete, model)
    for model in _installed_subclasses(Treatment):
        connect(published, on_published, model)
        connect(unpublished, on_unpublished, model)
        connect(pre_delete, on_pre_delete, model)
        connect(post_delete, on_post_delete, model)
    for model in _installed_subclasses(Practitioner):
        connect(post_save, on_saved, model)
    for model in _installed_subclasses(ClinicSettings):
        connect(post_save, on_settings_saved, model)
    for model in _installed_subclasses(Practitioner, ClinicSettings):
        connect(pre_delete, on_pre_delete, model)
        connect(post_delete, on_post_delete, model)
