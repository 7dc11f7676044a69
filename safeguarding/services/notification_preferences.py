"""Each person's notification choices (the outbox reads them; changing one is audited)."""

from __future__ import annotations

from django.db import transaction

from notifications.models import NotificationPreference
from safeguarding.models import Staff
from safeguarding.services.audit import audit_record


def notification_preference_set(*, actor: Staff, alert_emails: bool) -> NotificationPreference:
    """Turn the actor's alert e-mails on or off. Alerts on the dashboard are not affected."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            staff=actor
        )
        if preference.alert_emails != alert_emails:
            preference.alert_emails = alert_emails
            preference.save(update_fields=["alert_emails"])
            audit_record(
                action="notifications.preference_changed",
                actor=actor,
                target=actor,
                detail={"alert_emails": alert_emails},
            )
    return preference
