"""The append-only audit log of a school: security events and every read of a record.

Rows are never updated or deleted; a database trigger (migration 0002) refuses both, so not
even a bug in Haven can rewrite history.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "safeguarding.Staff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who did it; empty for anonymous attempts and API clients.",
    )
    actor_label = models.CharField(
        max_length=300, blank=True, help_text="Name or e-mail at the time, or the API client."
    )
    action = models.CharField(max_length=64, db_index=True, help_text="e.g. incident.read")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
