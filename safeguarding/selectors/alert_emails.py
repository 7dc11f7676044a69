"""Alert e-mails the mail server refused, as a key holder may see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from notifications.models import EmailDelivery
from notifications.selectors.deliveries import failed_alert_emails_for
from safeguarding.models import Alert
from safeguarding.permissions import Actor
from safeguarding.selectors.incidents import incidents_main_record_visible_to


def failed_alert_emails_visible(*, actor: Actor | None, first: int = 50) -> QuerySet[EmailDelivery]:
    """Failed alert e-mails for key holders (who make sure the alert reached its recipient
    some other way), limited to alerts on incidents whose main record they may see, or that
    they sent themselves: a row names the recipient and the incident's categories, which must
    not reveal an incident (or a DSL-team-only filing) beyond the reader's level."""
    if actor is None or not actor.key_access:
        return EmailDelivery.objects.none()
    alerts = Alert.objects.filter(
        Q(incident__in=incidents_main_record_visible_to(actor)) | Q(alerted_by=actor.staff)
    )
    return failed_alert_emails_for(alert_ids=alerts.values("pk"), first=first)
