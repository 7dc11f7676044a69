"""Writing audit events. Call it inside the transaction of the thing being audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.http import HttpRequest

from safeguarding.models import AuditEvent, Staff
from tenants.network import client_address


def audit_record(
    *,
    action: str,
    actor: Staff | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: who (actor), did what (action), to what (target), from where."""
    event = audit_event_build(
        action=action,
        actor=actor,
        actor_label=actor_label,
        request=request,
        target=target,
        detail=detail,
    )
    event.save()
    return event


def audit_record_many(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Append events made by ``audit_event_build`` in one INSERT (a bulk write's per-record
    entries cost one statement whatever the batch size)."""
    return AuditEvent.objects.bulk_create(events) if events else []


def audit_event_build(
    *,
    action: str,
    actor: Staff | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event as ``audit_record`` writes it, not yet saved."""
    if actor is not None and not actor_label:
        actor_label = f"{actor.full_name} <{actor.email}>"
    return AuditEvent(
        action=action,
        actor=actor,
        actor_label=actor_label[:300],
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:500],
        detail=detail or {},
    )


def audit_change(
    *,
    action: str,
    actor: Staff | None,
    request: HttpRequest | None,
    target: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    actor_label: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent | None:
    """Audit a settings change as {"changes": {field: [from, to]}}, only for fields that differ.

    Returns None (and writes nothing) when nothing changed, so saving an unchanged form leaves
    no noise in the log. Values must be JSON-serialisable (names, ids, flags, lists of ids).
    ``actor_label`` names an actor who is not a member of staff (a platform operator);
    ``detail`` adds keys beside the changes.
    """
    changes = {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }
    if not changes:
        return None
    return audit_record(
        action=action,
        actor=actor,
        actor_label=actor_label,
        request=request,
        target=target,
        detail={**(detail or {}), "changes": changes},
    )
