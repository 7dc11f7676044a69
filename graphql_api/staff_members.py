"""Settings: staff accounts (invite, change, deactivate, reactivate, resend the invitation)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated

import strawberry
from django.http import HttpRequest
from strawberry import relay

from graphql_api.access_levels import admin_problem, settings_admin
from graphql_api.common import PageInfo, page_slice
from graphql_api.context import Info
from graphql_api.ids import decode_id, decode_ids, global_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from safeguarding.models import Staff
from safeguarding.selectors.staff import staff_for_settings, staff_get_for_settings
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.staff import (
    StaffSpec,
    staff_deactivate,
    staff_invitation_resend,
    staff_invite,
    staff_reactivate,
    staff_update,
)

MAX_STAFF_PAGE = 100
MAX_INPUT_IDS = 200


@strawberry.type(name="StaffAccessLevel", description="The access level a member of staff holds.")
class StaffAccessLevelType:
    id: relay.GlobalID = strawberry.field(description="Global id of the access level.")
    name: str = strawberry.field(description="Name, e.g. Pastoral.")


@strawberry.type(name="StaffAlertGroup", description="An alert group a member of staff is in.")
class StaffAlertGroupType:
    id: relay.GlobalID = strawberry.field(description="Global id of the alert group.")
    name: str = strawberry.field(description="Name, e.g. SLT.")


@strawberry.type(name="SettingsStaffMember", description="A staff account, as admins manage it.")
class SettingsStaffMemberType:
    id: relay.GlobalID = strawberry.field(description="Global id (the same as a colleague's).")
    email: str = strawberry.field(description="Login and alert e-mail address.")
    first_name: str = strawberry.field(description="First name.")
    last_name: str = strawberry.field(description="Last name.")
    full_name: str = strawberry.field(description="First and last name.")
    job_title: str = strawberry.field(description="Job title.")
    is_active: bool = strawberry.field(description="False once deactivated: they cannot sign in.")
    is_key_holder: bool = strawberry.field(description="Key access: sees records by level.")
    is_school_admin: bool = strawberry.field(description="Manages staff and settings.")
    access_level: StaffAccessLevelType | None = strawberry.field(
        description="Their access level; null if none."
    )
    alert_groups: list[StaffAlertGroupType] = strawberry.field(
        description="The alert groups they are a member of."
    )
    has_password: bool = strawberry.field(
        description="Whether they have set a password (accepted the invitation)."
    )
    last_login: datetime.datetime | None = strawberry.field(
        description="When they last signed in; null if never."
    )
    mis_id: str | None = strawberry.field(description="Their id in the school's MIS, if synced.")

    @classmethod
    def from_model(cls, staff: Staff) -> SettingsStaffMemberType:
        level = staff.access_level
        return cls(
            id=global_id("Staff", staff.pk),
            email=staff.email,
            first_name=staff.first_name,
            last_name=staff.last_name,
            full_name=staff.full_name,
            job_title=staff.job_title,
            is_active=staff.is_active,
            is_key_holder=staff.is_key_holder,
            is_school_admin=staff.is_school_admin,
            access_level=StaffAccessLevelType(
                id=global_id("AccessLevel", level.pk), name=level.name
            )
            if level is not None
            else None,
            alert_groups=[
                StaffAlertGroupType(id=global_id("AlertGroup", group.pk), name=group.name)
                for group in sorted(staff.alert_groups.all(), key=lambda g: (g.order, g.name))
            ],
            has_password=staff.has_usable_password(),
            last_login=staff.last_login,
            mis_id=staff.mis_id,
        )


@strawberry.type(name="SettingsStaffEdge", description="One member of staff and their cursor.")
class SettingsStaffEdge:
    node: SettingsStaffMemberType = strawberry.field(description="The member of staff.")
    cursor: str = strawberry.field(description="Opaque position of this member of staff.")


@strawberry.type(
    name="SettingsStaffConnection", description="A page of staff (at most 100), by surname."
)
class SettingsStaffConnection:
    edges: list[SettingsStaffEdge] = strawberry.field(description="The staff of this page.")
    nodes: list[SettingsStaffMemberType] = strawberry.field(
        description="The same staff, without cursors."
    )
    page_info: PageInfo = strawberry.field(description="Paging details.")


@strawberry.input(description="A member of staff to invite: they get a first-time link.")
class InviteStaffInput:
    email: str = strawberry.field(description="Their e-mail address (unique).")
    first_name: str = strawberry.field(description="First name.")
    last_name: str = strawberry.field(description="Last name.")
    job_title: str = strawberry.field(default="", description="Job title.")
    access_level_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Their access level; null for none."
    )
    is_key_holder: bool = strawberry.field(default=False, description="Key access.")
    is_school_admin: bool = strawberry.field(default=False, description="School admin.")
    alert_group_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Alert groups to make them a member of."
    )


@strawberry.input(description="Changes to a staff account; omitted fields stay as they are.")
class UpdateStaffInput:
    email: str | None = strawberry.field(default=None, description="E-mail address (unique).")
    first_name: str | None = strawberry.field(default=None, description="First name.")
    last_name: str | None = strawberry.field(default=None, description="Last name.")
    job_title: str | None = strawberry.field(default=None, description="Job title.")
    access_level_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="Access level; null removes it, omit to keep it."
    )
    is_key_holder: bool | None = strawberry.field(default=None, description="Key access.")
    is_school_admin: bool | None = strawberry.field(default=None, description="School admin.")
    alert_group_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="All the alert groups they are in (replaces the list)."
    )


@strawberry.type(description="A staff account after a change.")
class StaffMemberPayload:
    staff_member: SettingsStaffMemberType | None = strawberry.field(
        description="The account as saved; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


def _spec(value: InviteStaffInput | UpdateStaffInput) -> StaffSpec | list[FieldError]:
    errors: list[FieldError] = []
    level_set = value.access_level_id is not strawberry.UNSET
    level_key = None
    if level_set and value.access_level_id is not None:
        level_key = decode_id(value.access_level_id, "AccessLevel")
        if level_key is None:
            errors.append(FieldError("accessLevelId", "not_found", "Unknown level."))
    group_keys = None
    if value.alert_group_ids is not None:
        group_keys, valid = decode_ids(value.alert_group_ids[: MAX_INPUT_IDS + 1], "AlertGroup")
        if not valid:
            errors.append(FieldError("alertGroupIds", "not_found", "Unknown group."))
    if errors:
        return errors
    return StaffSpec(
        email=value.email,
        first_name=value.first_name,
        last_name=value.last_name,
        job_title=value.job_title,
        access_level_id=level_key,
        access_level_set=level_set,
        is_key_holder=value.is_key_holder,
        is_school_admin=value.is_school_admin,
        alert_group_ids=group_keys,
    )


def _payload(
    info: Info,
    staff_id: relay.GlobalID | None,
    act: Callable[[Staff, HttpRequest, int], Staff],
) -> StaffMemberPayload:
    """Check who asks, decode the id, run the service, answer with the saved account."""
    actor = info.context.staff
    if actor is None:
        return StaffMemberPayload(staff_member=None, errors=not_signed_in())
    problem = admin_problem(info)
    if problem is not None:
        return StaffMemberPayload(staff_member=None, errors=problem)
    key = decode_id(staff_id, "Staff") if staff_id is not None else 0
    if key is None:
        message = "This member of staff no longer exists."
        return StaffMemberPayload(
            staff_member=None, errors=[UserError(field="id", code="not_found", message=message)]
        )
    try:
        saved = act(actor, info.context.request, key)
    except ServiceError as error:
        return StaffMemberPayload(staff_member=None, errors=errors_of(error))
    fresh = staff_get_for_settings(staff_id=saved.pk)
    return StaffMemberPayload(
        staff_member=SettingsStaffMemberType.from_model(fresh) if fresh else None, errors=[]
    )


def _with_spec(
    value: InviteStaffInput | UpdateStaffInput,
    act: Callable[[Staff, HttpRequest, int, StaffSpec], Staff],
) -> Callable[[Staff, HttpRequest, int], Staff]:
    def run(actor: Staff, request: HttpRequest, key: int) -> Staff:
        spec = _spec(value)
        if isinstance(spec, list):
            raise ServiceError(spec)
        return act(actor, request, key, spec)

    return run


IdArgument = Annotated[
    relay.GlobalID, strawberry.argument(name="id", description="The member of staff.")
]


@strawberry.type
class StaffMembersQuery:
    @strawberry.field(
        description="Staff accounts by surname, for school admins; null for anyone else."
    )
    def settings_staff(
        self,
        info: Info,
        search: Annotated[
            str, strawberry.argument(description="Words of a name, e-mail or job title.")
        ] = "",
        include_inactive: Annotated[
            bool, strawberry.argument(description="Include deactivated staff.")
        ] = False,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (at most 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor of the page before.")
        ] = None,
    ) -> SettingsStaffConnection | None:
        if settings_admin(info) is None:
            return None
        items, page_info = page_slice(
            staff_for_settings(search=search[:100], include_inactive=include_inactive),
            first=first,
            after=after,
            max_size=MAX_STAFF_PAGE,
        )
        edges = [
            SettingsStaffEdge(node=SettingsStaffMemberType.from_model(staff), cursor=cursor)
            for cursor, staff in items
        ]
        return SettingsStaffConnection(
            edges=edges, nodes=[edge.node for edge in edges], page_info=page_info
        )


@strawberry.type
class StaffMembersMutation:
    @strawberry.mutation(
        description="Invite a member of staff (school admins): creates the account without a "
        "password and e-mails them a first-time link. With key access, an access level or admin "
        "rights it needs an admin with key access who entered their password in the last few "
        "minutes (codes key_holder_required, reauthentication_required)."
    )
    def invite_staff(
        self,
        info: Info,
        input: Annotated[InviteStaffInput, strawberry.argument(description="Who to invite.")],  # noqa: A002
    ) -> StaffMemberPayload:
        return _payload(
            info,
            None,
            _with_spec(
                input,
                lambda actor, request, _key, spec: staff_invite(
                    actor=actor, request=request, spec=spec
                ),
            ),
        )

    @strawberry.mutation(
        description="Change a staff account (school admins). Refused (code last_admin) if it "
        "would leave no active school admin with key access. Granting key access, an access "
        "level or admin rights, or changing the e-mail address, needs an admin with key access "
        "who entered their password in the last few minutes (codes key_holder_required, "
        "reauthentication_required)."
    )
    def update_staff(
        self,
        info: Info,
        staff_id: IdArgument,
        input: Annotated[UpdateStaffInput, strawberry.argument(description="The changes.")],  # noqa: A002
    ) -> StaffMemberPayload:
        return _payload(
            info,
            staff_id,
            _with_spec(
                input,
                lambda actor, request, key, spec: staff_update(
                    actor=actor, request=request, staff_id=key, spec=spec
                ),
            ),
        )

    @strawberry.mutation(
        description="Deactivate a member of staff (school admins): their sessions end at once "
        "and they cannot sign in; their records stay. Refused (code last_admin) for the last "
        "active school admin with key access."
    )
    def deactivate_staff(self, info: Info, staff_id: IdArgument) -> StaffMemberPayload:
        return _payload(
            info,
            staff_id,
            lambda actor, request, key: staff_deactivate(
                actor=actor, request=request, staff_id=key
            ),
        )

    @strawberry.mutation(
        description="Let a deactivated member of staff sign in again. For a key holder or an "
        "admin this gives back their access, so it needs what granting it needs."
    )
    def reactivate_staff(self, info: Info, staff_id: IdArgument) -> StaffMemberPayload:
        return _payload(
            info,
            staff_id,
            lambda actor, request, key: staff_reactivate(
                actor=actor, request=request, staff_id=key
            ),
        )

    @strawberry.mutation(
        description="E-mail a new first-time link to someone who has not set a password yet."
    )
    def resend_staff_invitation(self, info: Info, staff_id: IdArgument) -> StaffMemberPayload:
        return _payload(
            info,
            staff_id,
            lambda actor, request, key: staff_invitation_resend(
                actor=actor, request=request, staff_id=key
            ),
        )
