"""Signed-in sessions of staff: the index that lets a person see and end their sessions, and
lets Haven end every session of a disabled account at once."""

from __future__ import annotations

import uuid

from django.db import models


class StaffSession(models.Model):
    """One signed-in browser session. A session whose row is gone is signed out on its next
    request, whatever the session store still holds."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.CASCADE, related_name="staff_sessions"
    )
    # Never shown to anyone: holding a session key is holding the session.
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(help_text="When the person signed in.")
    last_seen_at = models.DateTimeField(help_text="The session's most recent request.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.staff_id} since {self.created_at:%Y-%m-%d %H:%M}"
