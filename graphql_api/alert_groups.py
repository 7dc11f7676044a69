"""Alert groups in the school admins' settings (the forms' list is ``alertGroups`` in
reference.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.access_levels import settings_admin
from graphql_api.context import Info
from graphql_api.ids import decode_id, decode_ids, global_id
from graphql_api.types.errors import UserError, errors_of
from safeguarding.models import AlertGroup, Staff
from safeguarding.selectors.alert_groups import alert_group_for_settings, alert_groups_for_settings
from safeguarding.services.alert_groups import (
    alert_group_create,
    alert_group_member_add,
    alert_group_member_remove,
    alert_group_set_active,
    alert_group_update,
    alert_groups_reorder,
)
from safeguarding.services.errors import ServiceError

MAX_GROUPS = 500
MAX_MEMBERS = 500


@strawberry.type(name="SettingsAlertGroupMember", description="A member of an alert group.")
class SettingsAlertGroupMemberType:
    id: relay.GlobalID = strawberry.field(description="Global id of the member of staff.")
    full_name: str = strawberry.field(description="First and last name.")
    job_title: str = strawberry.field(description="Job title.")

    @classmethod
    def from_model(cls, staff: Staff) -> SettingsAlertGroupMemberType:
        return cls(
            id=global_id("Staff", staff.pk), full_name=staff.full_name, job_title=staff.job_title
        )


@strawberry.type(name="SettingsAlertGroup", description="An alert group, as admins manage it.")
class SettingsAlertGroupType:
    id: relay.GlobalID = strawberry.field(description="Global id (as in `alertGroups`).")
    name: str = strawberry.field(description="Name, e.g. SLT.")
    order: int = strawberry.field(description="Position in the list, from 0.")
    is_active: bool = strawberry.field(
        description="Offered on the forms; an inactive group cannot be alerted."
    )
    members: list[SettingsAlertGroupMemberType] = strawberry.field(
        description="Its active members, by surname (at most 500): alerting the group alerts them."
    )

    @classmethod
    def from_model(cls, group: AlertGroup) -> SettingsAlertGroupType:
        return cls(
            id=global_id("AlertGroup", group.pk),
            name=group.name,
            order=group.order,
            is_active=group.is_active,
            members=[
                SettingsAlertGroupMemberType.from_model(m)
                for m in list(group.members.all())[:MAX_MEMBERS]
            ],
        )


@strawberry.type(description="An alert group after a change.")
class AlertGroupPayload:
    alert_group: SettingsAlertGroupType | None = strawberry.field(
        description="The group as it now is; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="All alert groups after reordering.")
class AlertGroupsPayload:
    alert_groups: list[SettingsAlertGroupType] | None = strawberry.field(
        description="Every alert group in its new order; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


def _payload(group: AlertGroup) -> AlertGroupPayload:
    found = alert_group_for_settings(alert_group_id=group.pk)
    assert found is not None
    return AlertGroupPayload(alert_group=SettingsAlertGroupType.from_model(found), errors=[])


def _key(value: relay.GlobalID, type_name: str = "AlertGroup") -> int:
    # Undecodable ids become 0: the service then refuses (forbidden before not found).
    return decode_id(value, type_name) or 0


ID_ARG = strawberry.argument(description="The alert group's id.")
GROUP_ARG = strawberry.argument(description="The alert group's id.")
STAFF_ARG = strawberry.argument(description="The member of staff's id (as in `staff`).")
NAME_ARG = strawberry.argument(description="Name, unique in the school (at most 80).")


@strawberry.type
class AlertGroupsSettingsQuery:
    @strawberry.field(
        description="Every alert group, active or not, in order, with its members (at most "
        "500); null unless you are a school admin."
    )
    def settings_alert_groups(self, info: Info) -> list[SettingsAlertGroupType] | None:
        if settings_admin(info) is None:
            return None
        return [
            SettingsAlertGroupType.from_model(g)
            for g in alert_groups_for_settings(limit=MAX_GROUPS)
        ]


@strawberry.type
class AlertGroupsSettingsMutation:
    @strawberry.mutation(
        description="Add an alert group, with no members, at the end of the list (school admins)."
    )
    def create_alert_group(self, info: Info, name: Annotated[str, NAME_ARG]) -> AlertGroupPayload:
        try:
            group = alert_group_create(
                actor=info.context.staff, request=info.context.request, name=name
            )
        except ServiceError as error:
            return AlertGroupPayload(alert_group=None, errors=errors_of(error))
        return _payload(group)

    @strawberry.mutation(description="Rename an alert group (school admins).")
    def update_alert_group(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        name: Annotated[str, NAME_ARG],
    ) -> AlertGroupPayload:
        try:
            group = alert_group_update(
                actor=info.context.staff,
                request=info.context.request,
                alert_group_id=_key(id),
                name=name,
            )
        except ServiceError as error:
            return AlertGroupPayload(alert_group=None, errors=errors_of(error))
        return _payload(group)

    @strawberry.mutation(
        description="Put the alert groups in a new order; the list names every group, active "
        "or not, once (school admins)."
    )
    def reorder_alert_groups(
        self,
        info: Info,
        ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="Every alert group's id, in the new order."),
        ],
    ) -> AlertGroupsPayload:
        keys, valid = decode_ids(ids[: MAX_GROUPS + 1], "AlertGroup")
        try:
            alert_groups_reorder(
                actor=info.context.staff,
                request=info.context.request,
                # An undecodable id can never match a group: the order check refuses it.
                alert_group_ids=keys if valid else [*keys, 0],
            )
        except ServiceError as error:
            return AlertGroupsPayload(alert_groups=None, errors=errors_of(error))
        return AlertGroupsPayload(
            alert_groups=[
                SettingsAlertGroupType.from_model(g)
                for g in alert_groups_for_settings(limit=MAX_GROUPS)
            ],
            errors=[],
        )

    @strawberry.mutation(
        description="Deactivate an alert group (no longer offered or alerted) or reactivate "
        "it (school admins)."
    )
    def set_alert_group_active(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        active: Annotated[
            bool, strawberry.argument(description="True to reactivate, false to deactivate.")
        ],
    ) -> AlertGroupPayload:
        try:
            group = alert_group_set_active(
                actor=info.context.staff,
                request=info.context.request,
                alert_group_id=_key(id),
                active=active,
            )
        except ServiceError as error:
            return AlertGroupPayload(alert_group=None, errors=errors_of(error))
        return _payload(group)

    @strawberry.mutation(description="Add a colleague to an alert group (school admins).")
    def add_alert_group_member(
        self,
        info: Info,
        alert_group_id: Annotated[relay.GlobalID, GROUP_ARG],
        staff_id: Annotated[relay.GlobalID, STAFF_ARG],
    ) -> AlertGroupPayload:
        try:
            group = alert_group_member_add(
                actor=info.context.staff,
                request=info.context.request,
                alert_group_id=_key(alert_group_id),
                staff_id=_key(staff_id, "Staff"),
            )
        except ServiceError as error:
            return AlertGroupPayload(alert_group=None, errors=errors_of(error))
        return _payload(group)

    @strawberry.mutation(
        description="Take a colleague out of an alert group: later alerts to the group no "
        "longer reach them (school admins)."
    )
    def remove_alert_group_member(
        self,
        info: Info,
        alert_group_id: Annotated[relay.GlobalID, GROUP_ARG],
        staff_id: Annotated[relay.GlobalID, STAFF_ARG],
    ) -> AlertGroupPayload:
        try:
            group = alert_group_member_remove(
                actor=info.context.staff,
                request=info.context.request,
                alert_group_id=_key(alert_group_id),
                staff_id=_key(staff_id, "Staff"),
            )
        except ServiceError as error:
            return AlertGroupPayload(alert_group=None, errors=errors_of(error))
        return _payload(group)
