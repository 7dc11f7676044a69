"""Attachments: files kept in the school's part of S3 under a random key.

The original file name is display text only; it never becomes part of a path. The content
type is what the bytes are, not what the name claims.
"""

from __future__ import annotations

from django.db import models


class Attachment(models.Model):
    file = models.FileField(max_length=200, help_text="Storage key (school prefix + random).")
    original_name = models.CharField(max_length=255, help_text="File name as uploaded (display).")
    size = models.PositiveBigIntegerField(help_text="Size in bytes.")
    content_type = models.CharField(max_length=127, help_text="Detected from the bytes.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the bytes, hex.")
    uploaded_by = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="attachments_uploaded"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    incident = models.ForeignKey(
        "safeguarding.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    action = models.ForeignKey(
        "safeguarding.Action",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(incident__isnull=False, action__isnull=False),
                name="attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
