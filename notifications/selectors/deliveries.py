"""Reading the e-mail outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import EmailDelivery, NotificationPreference
from safeguarding.models import Staff

FAILED_LIST_MAX = 100


def failed_alert_emails_for(
    *, actor: Staff | None, key_access: bool, first: int = 50
) -> QuerySet[EmailDelivery]:
    """Alert e-mails that could not be delivered, newest first, for people with key access
    (who make sure the alert reached its recipient some other way); nobody else sees any."""
    if actor is None or not key_access:
        return EmailDelivery.objects.none()
    first = max(0, min(first, FAILED_LIST_MAX))
    return (
        EmailDelivery.objects.filter(
            kind=EmailDelivery.Kind.ALERT, status=EmailDelivery.Status.FAILED
        )
        .select_related("recipient")
        .order_by("-created_at", "-id")[:first]
    )


def alert_emails_enabled(*, staff: Staff) -> bool:
    preference = NotificationPreference.objects.filter(staff=staff).first()
    return True if preference is None else preference.alert_emails
