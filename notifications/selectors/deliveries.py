"""Reading the e-mail outbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from notifications.models import EmailDelivery, NotificationPreference
from notifications.recipients import Recipient

FAILED_LIST_MAX = 100


def failed_alert_emails_for(
    *, alert_ids: QuerySet[Any, Any], first: int = 50
) -> QuerySet[EmailDelivery]:
    """Alert e-mails that could not be delivered, newest first, among those of ``alert_ids``
    (the caller decides which alerts its reader may know about)."""
    first = max(0, min(first, FAILED_LIST_MAX))
    return (
        EmailDelivery.objects.filter(
            kind=EmailDelivery.Kind.ALERT,
            status=EmailDelivery.Status.FAILED,
            source_id__in=alert_ids,
        )
        .select_related("recipient")
        .order_by("-created_at", "-id")[:first]
    )


def alert_emails_enabled(*, staff: Recipient) -> bool:
    preference = NotificationPreference.objects.filter(staff_id=staff.pk).first()
    return True if preference is None else preference.alert_emails
