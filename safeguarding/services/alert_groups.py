"""School admins' changes to alert groups and their members.

Alerting a group alerts its members at that moment, so a member removed here is not alerted
by later alerts to the group (alerts already sent stay theirs).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from safeguarding.models import AlertGroup, Staff
from safeguarding.services.audit import audit_change
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.settings_rules import (
    active_set,
    admin_require,
    name_clean,
    name_race_guard,
    not_found,
    order_apply,
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
    admin = admin_require(actor, request)
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
    admin = admin_require(actor, request)
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
    admin = admin_require(actor, request)
    with transaction.atomic():
        return order_apply(
            admin=admin,
            request=request,
            locked=AlertGroup.objects.select_for_update().order_by("order"),
            ids=alert_group_ids,
            action="alert_groups.reordered",
        )


def alert_group_set_active(
    *, actor: Staff | None, request: HttpRequest | None = None, alert_group_id: int, active: bool
) -> AlertGroup:
    """An inactive group is not offered on the forms and cannot be alerted."""
    admin = admin_require(actor, request)
    with transaction.atomic():
        return active_set(
            admin=admin,
            request=request,
            item=_locked(alert_group_id),
            active=active,
            noun="alert_group",
            facts=_facts,
        )


def _members_change(
    *,
    actor: Staff | None,
    request: HttpRequest | None,
    alert_group_id: int,
    staff_id: int,
    add: bool,
) -> AlertGroup:
    admin = admin_require(actor, request)
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
