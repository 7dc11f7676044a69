"""API clients: the school's MIS sync tools, each with its own bearer token and scopes.

The token is shown once when the client is created. Only its key id (to find the row) and a
SHA-256 digest of the whole token (to check it) are stored, so a copy of the database gives
no one a working token.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ApiScope(models.TextChoices):
    PUPILS_WRITE = "pupils:write", "Create and update pupils"
    STAFF_WRITE = "staff:write", "Create and update staff"
    GROUPS_WRITE = "groups:write", "Create and update year and tutor groups"
    INCIDENTS_READ = "incidents:read", "Read incidents"
    INCIDENTS_WRITE = "incidents:write", "Add incidents"


class ApiClient(models.Model):
    name = models.CharField(max_length=100, help_text="Shown in the audit log, e.g. Arbor sync.")
    scopes = models.JSONField(
        default=list, blank=True, help_text="What the token may do: a list of ApiScope values."
    )
    key_id = models.CharField(
        max_length=32, unique=True, help_text="Public part of the token, to recognise it."
    )
    token_hash = models.CharField(max_length=64, help_text="SHA-256 of the token (hex).")
    created_by = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When its token stops working; empty means never."
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Audit rows name the client, so two live clients must not share a name.
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(revoked_at__isnull=True),
                name="api_client_name_unique_live_ci",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class MisFullSync(models.Model):
    """A full sync of pupils sent in several batches: which MIS ids the batches named, so that
    finishing it can mark every pupil it did not name as left."""

    api_client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seen_mis_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Full sync {self.pk} by {self.api_client}"
