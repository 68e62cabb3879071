"""Moments at which a render's output changes by itself (a notice appearing or disappearing).

Content reports them while it renders (:func:`changes_at`); whoever keeps renders (the render
cache) collects them between :func:`begin` and :func:`end` and expires what it kept at the first
one. Nothing is collected outside such a window.
"""

from contextvars import ContextVar

from django.utils import timezone

_moments = ContextVar("wagtail_acupuncture_render_moments", default=None)


def begin():
    """Start collecting :func:`changes_at` moments for a render that may be kept.

    Returns the token to hand to :func:`end` when the render is over.
    """
    return _moments.set([])


def end(token):
    """Stop collecting; the moments reported since :func:`begin` returned ``token``."""
    moments = _moments.get() or []
    _moments.reset(token)
    return moments


def changes_at(moment):
    """Tell the render in progress (if any) that its output changes at ``moment``."""
    collected = _moments.get()
    if collected is not None:
        collected.append(timezone.make_aware(moment) if timezone.is_naive(moment) else moment)
