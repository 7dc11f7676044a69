"""Each person's choice of notifications. A missing row means the defaults."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    staff = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    alert_emails = models.BooleanField(
        default=True,
        help_text="Send an e-mail for each alert. The alert on the dashboard always exists.",
    )

    def __str__(self) -> str:
        return f"{self.staff_id}: alert e-mails {'on' if self.alert_emails else 'off'}"
