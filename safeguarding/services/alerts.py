"""Creating alerts and marking them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import Action, Alert, AlertGroup, Incident, Staff
from safeguarding.permissions import Actor
from safeguarding.selectors.alerts import AlertRow, alert_unread_next
from safeguarding.services.alert_delivery import alerts_created
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import FieldError, ServiceError

MAX_RECIPIENTS = 500


def alert_recipients_resolve(
    *, staff_ids: Iterable[int], group_ids: Iterable[int], field_prefix: str = ""
) -> tuple[set[int], list[FieldError]]:
    """Expand chosen colleagues and alert groups (their members now) into staff ids."""
    errors: list[FieldError] = []
    staff_ids = set(staff_ids)
    group_ids = set(group_ids)
    found = set(Staff.objects.filter(pk__in=staff_ids, is_active=True).values_list("pk", flat=True))
    if found != staff_ids:
        errors.append(
            FieldError(f"{field_prefix}alertStaffIds", "not_found", "A colleague was not found.")
        )
    groups = set(
        AlertGroup.objects.filter(pk__in=group_ids, is_active=True).values_list("pk", flat=True)
    )
    if groups != group_ids:
        errors.append(
            FieldError(f"{field_prefix}alertGroupIds", "not_found", "An alert group was not found.")
        )
    members = set(
        Staff.objects.filter(alert_groups__in=groups, is_active=True).values_list("pk", flat=True)
    )
    return found | members, errors


def alerts_create(
    *,
    actor: Actor,
    incident: Incident,
    action: Action | None,
    recipient_ids: set[int],
) -> list[Alert]:
    """Alert each recipient once; nobody is alerted to what they wrote themselves."""
    recipient_ids = set(recipient_ids) - {actor.staff.pk}
    if len(recipient_ids) > MAX_RECIPIENTS:
        raise ServiceError.one(
            "alertStaffIds", "too_many", f"At most {MAX_RECIPIENTS} colleagues can be alerted."
        )
    alerts = Alert.objects.bulk_create(
        Alert(recipient_id=rid, incident=incident, action=action, alerted_by=actor.staff)
        for rid in sorted(recipient_ids)
    )
    if alerts:
        alerts_created(alerts)
    return alerts


def alert_mark_read(
    *, actor: Actor, alert_id: int, request: HttpRequest | None = None
) -> AlertRow | None:
    """Mark one of the person's unread alerts read; returns the next unread one, if any.

    Without key access the incident is gone for them afterwards, as the guide warns.
    """
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .filter(pk=alert_id, recipient=actor.staff, read_at__isnull=True)
            .first()
        )
        if alert is None:
            raise ServiceError.one("alertId", "not_found", "That alert was not found.")
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
        audit_record(action="alert.read", actor=actor.staff, request=request, target=alert)
        actor.forget_alerts()
        return alert_unread_next(staff=actor.staff)
