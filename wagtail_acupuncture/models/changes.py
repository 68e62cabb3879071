"""The content change log that keys the render cache.

Every save or deletion of an object that can appear in a page or an API response inserts one
:class:`ContentChange` row, in the transaction of that change (see
:mod:`wagtail_acupuncture.delivery.render_cache`). The number of rows and the highest id together are the
*generation* of the content: any committed change gives a new pair, in every process, because it
is read from the database. Rows are only inserted, never updated, so concurrent publishes never
wait on each other here; old rows are pruned as new ones arrive.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentChange(models.Model):
    """One change to content the package serves (a row per save or deletion)."""

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("content change")
        verbose_name_plural = _("content changes")

    def __str__(self):
        return f"content change {self.pk}"
