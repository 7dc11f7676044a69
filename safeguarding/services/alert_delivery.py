"""The hook through which new alerts reach people outside Haven (e-mail).

Called inside the transaction that created the alerts, so the outbox rows it writes commit or
roll back with them; a worker sends them after commit, and a sweeper retries any that a Redis
or worker outage delayed.
"""

from __future__ import annotations

from collections.abc import Sequence

from notifications.services.deliveries import AlertEmail, alert_emails_queue
from safeguarding.models import Alert, Category


def alerts_created(alerts: Sequence[Alert]) -> None:
    """Queue one content-free e-mail per alert: who alerted them and under which categories,
    never the pupil, the text, agencies or files."""
    if not alerts:
        return
    incident_ids = {alert.incident_id for alert in alerts}
    names: dict[int, list[str]] = {incident_id: [] for incident_id in incident_ids}
    through = (
        Category.objects.filter(incidents__in=incident_ids)
        .values_list("incidents", "name")
        .order_by("order", "name")
    )
    for incident_id, name in through:
        names[incident_id].append(name)
    alert_emails_queue(
        deliveries_for=[
            AlertEmail(
                recipient=alert.recipient,
                sender_name=alert.alerted_by.full_name,
                category_names=names[alert.incident_id],
                alert_id=alert.pk,
            )
            for alert in alerts
        ]
    )
