"""The e-mail outbox: one row per message to send, written in the same transaction as the
thing that causes it, so a message exists exactly when its cause was saved.

A row holds only what the message may say. An alert e-mail says who sent the alert and under
which categories, never anything about the pupil or the concern; so the outbox never holds
safeguarding content either.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def message_id_new() -> str:
    """A Message-ID fixed when the row is written, so every attempt sends the same one and a
    receiving server or mail client can recognise a repeat."""
    return f"<{uuid.uuid4().hex}@{settings.BASE_DOMAIN}>"


class EmailDelivery(models.Model):
    """One e-mail to one address, and how far its delivery has come."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert"
        PASSWORD_RESET = "password_reset", "Password reset"
        INVITATION = "invitation", "Invitation"
        # To every school admin when a platform operator invites an admin: an operator
        # adding an account is something the school must hear about from Haven itself.
        ADMIN_INVITED = "admin_invited", "Admin invited by an operator"

    class Status(models.TextChoices):
        # A worker claims a pending row by locking it (SELECT ... FOR UPDATE SKIP LOCKED) for
        # the length of the SMTP conversation; the lock is the claim, so there is no committed
        # "sending" state that a crash could strand.
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member of staff it is for; empty for a raw address.",
    )
    to_address = models.EmailField(max_length=254, help_text="Where it goes.")
    sender_name = models.CharField(
        max_length=201,
        blank=True,
        help_text="Alerts: who created the alert. Notices: who did what the notice reports.",
    )
    category_names = models.JSONField(
        default=list, blank=True, help_text="Alerts: the names of the alert's categories."
    )
    link = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Password resets and invitations: the one-time link. Cleared once the "
        "message is sent or has failed, so the outbox does not keep usable links.",
    )
    about_address = models.EmailField(
        max_length=254,
        blank=True,
        help_text="Notices: the address the message is about (e.g. the admin an operator invited).",
    )
    source_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text="Alerts: the alert's id."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text="The last failure, as the server said.")
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the next attempt is due; the sweeper resends rows left past it.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=message_id_new)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "e-mail deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="emaildelivery_pending_due",
            )
        ]
        constraints = [
            # A person alerted both by name and through a group gets one e-mail.
            models.UniqueConstraint(
                fields=["source_id", "recipient"],
                condition=Q(kind="alert", source_id__isnull=False),
                name="emaildelivery_one_per_alert_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address} ({self.status})"
