"""Adding actions to an incident."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import Action, Alert
from safeguarding.permissions import Actor, can_add_action
from safeguarding.selectors.incidents import incident_get_visible
from safeguarding.services.alerts import alert_recipients_resolve, alerts_create
from safeguarding.services.attachments import attachments_claim
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.incidents import MAX_TEXT, agencies_resolve, occurred_at_check


@dataclass
class ActionSpec:
    incident_id: int | None
    text: str
    agency_ids: list[int] = field(default_factory=list)
    occurred_at: datetime.datetime | None = None
    add_to_linked_pupils: bool = False
    share_documents: bool = False
    alert_staff_ids: list[int] = field(default_factory=list)
    alert_group_ids: list[int] = field(default_factory=list)
    alert_incident_recipients: bool = False
    attachment_ids: list[int] = field(default_factory=list)


def action_create(*, actor: Actor, spec: ActionSpec, request: HttpRequest | None = None) -> Action:
    """Record an action on an incident the person can open, and alert whom they chose.

    "Add incident alert recipients" alerts everyone who was alerted to the incident itself.
    """
    errors: list[FieldError] = []
    incident = (
        incident_get_visible(actor=actor, incident_id=spec.incident_id)
        if spec.incident_id is not None
        else None
    )
    if incident is None:
        raise ServiceError.one("incidentId", "not_found", "That incident was not found.")
    if not can_add_action(actor, incident):
        raise ServiceError.one(
            "incidentId",
            "forbidden",
            "You can see only a linked pupil's copy of this incident; actions are added to the "
            "main record by someone who can open it.",
        )
    text = spec.text.strip()
    if not text:
        errors.append(FieldError("text", "required", "Describe the action taken."))
    elif len(text) > MAX_TEXT:
        errors.append(FieldError("text", "too_long", f"At most {MAX_TEXT} characters."))
    agencies = agencies_resolve(spec.agency_ids, errors)
    occurred_at_check(spec.occurred_at, errors)
    recipient_ids, recipient_errors = alert_recipients_resolve(
        staff_ids=spec.alert_staff_ids, group_ids=spec.alert_group_ids
    )
    errors.extend(recipient_errors)
    if errors:
        raise ServiceError(errors)
    if spec.alert_incident_recipients:
        recipient_ids |= set(
            Alert.objects.filter(
                incident=incident, action__isnull=True, recipient__is_active=True
            ).values_list("recipient_id", flat=True)
        )

    with transaction.atomic():
        attachments = attachments_claim(actor=actor, attachment_ids=spec.attachment_ids)
        action = Action.objects.create(
            incident=incident,
            author=actor.staff,
            text=text,
            occurred_at=spec.occurred_at or timezone.now(),
            add_to_linked_pupils=spec.add_to_linked_pupils,
            share_documents=spec.share_documents,
        )
        action.agencies.set(agencies)
        for attachment in attachments:
            attachment.action = action
            attachment.save(update_fields=["action"])
        alerts = alerts_create(
            actor=actor, incident=incident, action=action, recipient_ids=recipient_ids
        )
        audit_record(
            action="action.create",
            actor=actor.staff,
            request=request,
            target=action,
            detail={"incident": incident.pk, "alerts": len(alerts)},
        )
    return action
