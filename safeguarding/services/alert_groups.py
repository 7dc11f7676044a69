"""School admins' changes to alert groups and their members.

Alerting a group alerts its members at that moment, so a member removed here is not alerted
by later alerts to the group (alerts already sent stay theirs).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from safeguarding.models import AlertGroup, Staff
from safeguarding.services.audit import audit_change, audit_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.settings_rules import (
    admin_require,
    name_clean,
    name_race_guard,
    not_found,
    order_check,
)

NAME_MAX = 80


def _facts(group: AlertGroup) -> dict[str, object]:
    return {"name": group.name, "is_active": group.is_active}


def _locked(group_id: int, field: str = "id") -> AlertGroup:
    group = AlertGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        raise not_found("alert group", field)
    return group


def alert_group_create(
    *, actor: Staff | None, request: HttpRequest | None = None, name: str
) -> AlertGroup:
    """Add an alert group, with no members, at the end of the list."""
    admin = admin_require(actor)
    errors: list[FieldError] = []
    with transaction.atomic():
        clean = name_clean(
            name,
            field="name",
            noun="alert group",
            max_length=NAME_MAX,
            taken_in=AlertGroup.objects.all(),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        last = AlertGroup.objects.aggregate(last=Max("order"))["last"]
        with name_race_guard("alert group"):
            group = AlertGroup.objects.create(name=clean, order=0 if last is None else last + 1)
        audit_change(
            action="alert_group.created",
            actor=admin,
            request=request,
            target=group,
            before={},
            after=_facts(group),
        )
    return group


def alert_group_update(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_id: int, name: str
) -> AlertGroup:
    admin = admin_require(actor)
    errors: list[FieldError] = []
    with transaction.atomic():
        group = _locked(alert_group_id)
        before = _facts(group)
        group.name = name_clean(
            name,
            field="name",
            noun="alert group",
            max_length=NAME_MAX,
            taken_in=AlertGroup.objects.exclude(pk=group.pk),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        with name_race_guard("alert group"):
            group.save(update_fields=["name"])
        audit_change(
            action="alert_group.updated",
            actor=admin,
            request=request,
            target=group,
            before=before,
            after=_facts(group),
        )
    return group


def alert_groups_reorder(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_ids: list[int]
) -> list[AlertGroup]:
    """Put every alert group (active or not) in the given order."""
    admin = admin_require(actor)
    with transaction.atomic():
        groups = {g.pk: g for g in AlertGroup.objects.select_for_update().order_by("order")}
        before = list(groups)
        order_check(alert_group_ids, before)
        for position, pk in enumerate(alert_group_ids):
            groups[pk].order = position
        AlertGroup.objects.bulk_update(list(groups.values()), ["order"])
        if before != alert_group_ids:
            audit_record(
                action="alert_groups.reordered",
                actor=admin,
                request=request,
                detail={"changes": {"order": [before, alert_group_ids]}},
            )
    return [groups[pk] for pk in alert_group_ids]


def alert_group_set_active(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_id: int, active: bool
) -> AlertGroup:
    """An inactive group is not offered on the forms and cannot be alerted."""
    admin = admin_require(actor)
    with transaction.atomic():
        group = _locked(alert_group_id)
        before = _facts(group)
        group.is_active = active
        group.save(update_fields=["is_active"])
        audit_change(
            action="alert_group.activated" if active else "alert_group.deactivated",
            actor=admin,
            request=request,
            target=group,
            before=before,
            after=_facts(group),
        )
    return group


def _members_change(
    *,
    actor: Staff | None,
    request: HttpRequest | None,
    alert_group_id: int,
    staff_id: int,
    add: bool,
) -> AlertGroup:
    admin = admin_require(actor)
    with transaction.atomic():
        group = _locked(alert_group_id, "alertGroupId")
        # Anyone may be taken out; only active colleagues can be put in.
        staff = Staff.objects.filter(pk=staff_id)
        member = (staff.filter(is_active=True) if add else staff).first()
        if member is None:
            raise not_found("member of staff", "staffId")
        before = sorted(group.members.values_list("pk", flat=True))
        if add:
            group.members.add(member)
        else:
            group.members.remove(member)
        audit_change(
            action="alert_group.member_added" if add else "alert_group.member_removed",
            actor=admin,
            request=request,
            target=group,
            before={"members": before},
            after={"members": sorted(group.members.values_list("pk", flat=True))},
        )
    return group


def alert_group_member_add(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_id: int, staff_id: int
) -> AlertGroup:
    """Add a colleague to a group (adding a member again changes nothing)."""
    return _members_change(
        actor=actor, request=request, alert_group_id=alert_group_id, staff_id=staff_id, add=True
    )


def alert_group_member_remove(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_id: int, staff_id: int
) -> AlertGroup:
    """Take a colleague out of a group: later alerts to the group no longer reach them."""
    return _members_change(
        actor=actor, request=request, alert_group_id=alert_group_id, staff_id=staff_id, add=False
    )
