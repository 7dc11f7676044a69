"""Alerts: a member of staff asked to read an incident or an action."""

from __future__ import annotations

from django.db import models


class Alert(models.Model):
    """An alert to one person. ``incident`` is always set; ``action`` when it is for an action."""

    recipient = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="alerts"
    )
    incident = models.ForeignKey(
        "safeguarding.Incident", on_delete=models.PROTECT, related_name="alerts"
    )
    action = models.ForeignKey(
        "safeguarding.Action",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    alerted_by = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="alerts_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text="When it was marked read.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="alert_unread_by_recipient",
            ),
            models.Index(fields=["incident", "recipient"], name="alert_incident_recipient"),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk} to {self.recipient_id}"
