"""What the WordPress importer brought in, so that a second run updates instead of duplicating."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class WordPressImportedItem(models.Model):
    """One post or image of a WordPress export, keyed by the blog and ``wp:post_id``.

    Posts point at their page and keep a fingerprint of the content last imported (a re-run
    writes a revision only when it differs); images point at their Wagtail image and keep their
    source URL and the SHA-256 of the file, so an image is stored once.
    """

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        IMAGE = "image", _("Image")

    #: The blog the export came from (its ``wp:base_blog_url``).
    source = models.CharField(_("source"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    #: ``wp:post_id`` of the post or attachment (``None`` for an image known only by its URL).
    wp_id = models.PositiveBigIntegerField(_("WordPress ID"), null=True, blank=True)
    source_url = models.CharField(_("source URL"), max_length=1000, blank=True)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wp_id"],
                condition=models.Q(wp_id__isnull=False),
                name="wagtail_acupuncture_wp_item_unique_id",
            ),
        ]
        indexes = [models.Index(fields=["source", "kind", "source_url"], name="wagtail_acu_wp_url_idx")]

    def __str__(self):
        return f"{self.source} {self.kind} {self.wp_id or self.source_url}"
