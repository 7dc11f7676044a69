"""Settings: access levels, and the year and tutor groups a level can be limited to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry
from django.http import HttpRequest
from strawberry import relay

from graphql_api.context import Info
from graphql_api.ids import decode_id, decode_ids, global_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from safeguarding.models import AccessLevel, Category, Staff, TutorGroup, YearGroup
from safeguarding.permissions import FORBIDDEN, admin_refusal, can_administer_school
from safeguarding.selectors.access_levels import (
    access_level_get_for_settings,
    access_levels_for_settings,
    categories_all,
)
from safeguarding.selectors.pupils import tutor_groups_all, year_groups_all
from safeguarding.services.access_levels import (
    AccessLevelSpec,
    GrantSpec,
    access_level_create,
    access_level_delete,
    access_level_update,
)
from safeguarding.services.errors import ServiceError
from safeguarding.services.settings_rules import REFUSAL_MESSAGES

MAX_GROUPS = 500
MAX_INPUT_IDS = 200


def forbidden_error() -> list[UserError]:
    """The same answer for anyone who is not a school admin, whatever they asked about."""
    return [UserError(field=None, code="forbidden", message="Only school admins can do this.")]


def settings_admin(info: Info) -> Staff | None:
    """The asking school admin whose session passed the second factor, or None for anyone
    else (an admin signed in with a password alone included)."""
    staff = info.context.staff
    return staff if can_administer_school(staff, info.context.session_assurance) else None


def admin_problem(info: Info) -> list[UserError] | None:
    """None when the asker may administer the school; otherwise the error to answer with:
    ``forbidden`` for anyone who is not an admin, whatever they asked about, and for an admin
    whose session has not passed the second factor, ``second_factor_required``."""
    code = admin_refusal(info.context.staff, info.context.session_assurance)
    if code is None:
        return None
    if code == FORBIDDEN:
        return forbidden_error()
    return [UserError(field=None, code=code, message=REFUSAL_MESSAGES[code])]


@strawberry.type(name="SettingsYearGroup", description="A year group, as the MIS names it.")
class SettingsYearGroupType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. Year 7.")

    @classmethod
    def from_model(cls, group: YearGroup) -> SettingsYearGroupType:
        return cls(id=global_id("YearGroup", group.pk), name=group.name)


@strawberry.type(name="SettingsTutorGroup", description="A tutor group, as the MIS names it.")
class SettingsTutorGroupType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. 7B.")

    @classmethod
    def from_model(cls, group: TutorGroup) -> SettingsTutorGroupType:
        return cls(id=global_id("TutorGroup", group.pk), name=group.name)


@strawberry.type(name="AccessGrantCategory", description="The category a grant is about.")
class AccessGrantCategoryType:
    id: relay.GlobalID = strawberry.field(description="Global id of the category.")
    name: str = strawberry.field(description="Name, e.g. Child Protection.")
    colour: str = strawberry.field(description="Chip colour, #rrggbb.")
    is_active: bool = strawberry.field(
        description="False for a category no longer offered for new records."
    )


@strawberry.type(name="AccessGrant", description="What a level allows in one category.")
class AccessGrantType:
    category: AccessGrantCategoryType = strawberry.field(description="The category.")
    can_view_pupils: bool = strawberry.field(description="View pupils.")
    can_view_incidents: bool = strawberry.field(description="View incidents.")
    can_add_incidents: bool = strawberry.field(description="Add incidents.")


@strawberry.type(
    name="SettingsAccessLevel",
    description="An access level: what its key holders may see and add, category by category.",
)
class SettingsAccessLevelType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. Pastoral.")
    description: str = strawberry.field(description="What the level is for.")
    is_dsl_team: bool = strawberry.field(
        description="DSL team: its members see categories marked DSL team only."
    )
    staff_count: int = strawberry.field(
        description="How many staff hold it, deactivated staff included; 0 means it can go."
    )
    year_groups: list[SettingsYearGroupType] = strawberry.field(
        description="Only pupils in these year groups; empty for every year group."
    )
    tutor_groups: list[SettingsTutorGroupType] = strawberry.field(
        description="Only pupils in these tutor groups; empty for every tutor group."
    )
    grants: list[AccessGrantType] = strawberry.field(
        description="One entry per category, every category in order (inactive ones too)."
    )

    @classmethod
    def from_model(cls, level: AccessLevel, categories: list[Category]) -> SettingsAccessLevelType:
        by_category = {grant.category_id: grant for grant in level.grants.all()}
        grants = []
        for category in categories:
            grant = by_category.get(category.pk)
            grants.append(
                AccessGrantType(
                    category=AccessGrantCategoryType(
                        id=global_id("Category", category.pk),
                        name=category.name,
                        colour=category.colour,
                        is_active=category.is_active,
                    ),
                    can_view_pupils=bool(grant and grant.can_view_pupils),
                    can_view_incidents=bool(grant and grant.can_view_incidents),
                    can_add_incidents=bool(grant and grant.can_add_incidents),
                )
            )
        return cls(
            id=global_id("AccessLevel", level.pk),
            name=level.name,
            description=level.description,
            is_dsl_team=level.is_dsl_team,
            staff_count=int(getattr(level, "staff_count", 0)),
            year_groups=[SettingsYearGroupType.from_model(g) for g in level.year_groups.all()],
            tutor_groups=[SettingsTutorGroupType.from_model(g) for g in level.tutor_groups.all()],
            grants=grants,
        )


@strawberry.input(description="What one access level allows in one category.")
class AccessGrantInput:
    category_id: relay.GlobalID = strawberry.field(description="The category.")
    can_view_pupils: bool = strawberry.field(default=False, description="View pupils.")
    can_view_incidents: bool = strawberry.field(default=False, description="View incidents.")
    can_add_incidents: bool = strawberry.field(default=False, description="Add incidents.")


@strawberry.input(
    description="An access level as the form sends it. On a change, omitted (null) fields "
    "stay as they are, and only the categories listed in grants change."
)
class AccessLevelInput:
    name: str = strawberry.field(description="Name, unique regardless of capitals.")
    description: str | None = strawberry.field(default=None, description="What it is for.")
    is_dsl_team: bool | None = strawberry.field(
        default=None, description="DSL team: members see categories marked DSL team only."
    )
    year_group_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Limit to these year groups; empty for every year group."
    )
    tutor_group_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Limit to these tutor groups; empty for every tutor group."
    )
    grants: list[AccessGrantInput] | None = strawberry.field(
        default=None, description="Per category: view pupils, view incidents, add incidents."
    )


@strawberry.type(description="An access level after a change.")
class AccessLevelPayload:
    access_level: SettingsAccessLevelType | None = strawberry.field(
        description="The level as saved; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="The answer to deleting an access level.")
class DeleteAccessLevelPayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        description="The id of the deleted level; null when it was not deleted."
    )
    errors: list[UserError] = strawberry.field(description="Why it was not deleted.")


def _spec(value: AccessLevelInput) -> AccessLevelSpec | list[UserError]:
    errors: list[UserError] = []

    def ids(field: str, values: list[relay.GlobalID] | None, type_name: str) -> list[int] | None:
        if values is None:
            return None
        keys, valid = decode_ids(values[: MAX_INPUT_IDS + 1], type_name)
        if not valid:
            errors.append(UserError(field=field, code="not_found", message="Unknown group."))
        return keys

    grants = None
    if value.grants is not None:
        grants = []
        for grant in value.grants[: MAX_INPUT_IDS + 1]:
            key = decode_id(grant.category_id, "Category")
            if key is None:
                errors.append(
                    UserError(field="grants", code="not_found", message="Unknown category.")
                )
                continue
            grants.append(
                GrantSpec(
                    category_id=key,
                    can_view_pupils=grant.can_view_pupils,
                    can_view_incidents=grant.can_view_incidents,
                    can_add_incidents=grant.can_add_incidents,
                )
            )
    spec = AccessLevelSpec(
        name=value.name,
        description=value.description,
        is_dsl_team=value.is_dsl_team,
        year_group_ids=ids("yearGroupIds", value.year_group_ids, "YearGroup"),
        tutor_group_ids=ids("tutorGroupIds", value.tutor_group_ids, "TutorGroup"),
        grants=grants,
    )
    return errors or spec


def _saved(level_id: int) -> SettingsAccessLevelType | None:
    level = access_level_get_for_settings(access_level_id=level_id)
    if level is None:
        return None
    return SettingsAccessLevelType.from_model(level, list(categories_all()))


def _level_payload(
    info: Info,
    value: AccessLevelInput,
    save: Callable[[Staff, HttpRequest, AccessLevelSpec], AccessLevel],
) -> AccessLevelPayload:
    staff = info.context.staff
    if staff is None:
        return AccessLevelPayload(access_level=None, errors=not_signed_in())
    problem = admin_problem(info)
    if problem is not None:
        return AccessLevelPayload(access_level=None, errors=problem)
    spec = _spec(value)
    if isinstance(spec, list):
        return AccessLevelPayload(access_level=None, errors=spec)
    try:
        level = save(staff, info.context.request, spec)
    except ServiceError as error:
        return AccessLevelPayload(access_level=None, errors=errors_of(error))
    return AccessLevelPayload(access_level=_saved(level.pk), errors=[])


def _not_found() -> list[UserError]:
    return [UserError(field="id", code="not_found", message="This access level no longer exists.")]


@strawberry.type
class AccessLevelsQuery:
    @strawberry.field(
        description="Every access level by name (at most 200); null unless you are a school admin."
    )
    def settings_access_levels(self, info: Info) -> list[SettingsAccessLevelType] | None:
        if settings_admin(info) is None:
            return None
        categories = list(categories_all())
        return [
            SettingsAccessLevelType.from_model(level, categories)
            for level in access_levels_for_settings()
        ]

    @strawberry.field(
        description="Year groups in order, for limiting a level (at most 500); null unless "
        "you are a school admin."
    )
    def settings_year_groups(self, info: Info) -> list[SettingsYearGroupType] | None:
        if settings_admin(info) is None:
            return None
        return [SettingsYearGroupType.from_model(g) for g in year_groups_all(limit=MAX_GROUPS)]

    @strawberry.field(
        description="Tutor groups by name, for limiting a level (at most 500); null unless "
        "you are a school admin."
    )
    def settings_tutor_groups(self, info: Info) -> list[SettingsTutorGroupType] | None:
        if settings_admin(info) is None:
            return None
        return [SettingsTutorGroupType.from_model(g) for g in tutor_groups_all(limit=MAX_GROUPS)]


@strawberry.type
class AccessLevelsMutation:
    @strawberry.mutation(
        description="Add an access level (school admins with key access who entered their "
        "password in the last few minutes)."
    )
    def create_access_level(
        self,
        info: Info,
        input: Annotated[AccessLevelInput, strawberry.argument(description="The new level.")],  # noqa: A002
    ) -> AccessLevelPayload:
        return _level_payload(
            info,
            input,
            lambda actor, request, spec: access_level_create(
                actor=actor, request=request, spec=spec
            ),
        )

    @strawberry.mutation(
        description="Rename or change an access level (school admins with key access who "
        "entered their password in the last few minutes). Everyone holding it gets the change "
        "on their next request."
    )
    def update_access_level(
        self,
        info: Info,
        level_id: Annotated[
            relay.GlobalID, strawberry.argument(name="id", description="The level to change.")
        ],
        input: Annotated[AccessLevelInput, strawberry.argument(description="The changes.")],  # noqa: A002
    ) -> AccessLevelPayload:
        key = decode_id(level_id, "AccessLevel")
        if key is None and settings_admin(info) is not None:
            return AccessLevelPayload(access_level=None, errors=_not_found())
        return _level_payload(
            info,
            input,
            lambda actor, request, spec: access_level_update(
                actor=actor, request=request, access_level_id=key or 0, spec=spec
            ),
        )

    @strawberry.mutation(
        description="Delete an access level nobody holds (school admins); refused (code "
        "in_use) while anyone, deactivated staff included, holds it."
    )
    def delete_access_level(
        self,
        info: Info,
        level_id: Annotated[
            relay.GlobalID, strawberry.argument(name="id", description="The level to delete.")
        ],
    ) -> DeleteAccessLevelPayload:
        staff = info.context.staff
        if staff is None:
            return DeleteAccessLevelPayload(deleted_id=None, errors=not_signed_in())
        problem = admin_problem(info)
        if problem is not None:
            return DeleteAccessLevelPayload(deleted_id=None, errors=problem)
        key = decode_id(level_id, "AccessLevel")
        if key is None:
            return DeleteAccessLevelPayload(deleted_id=None, errors=_not_found())
        try:
            access_level_delete(actor=staff, request=info.context.request, access_level_id=key)
        except ServiceError as error:
            return DeleteAccessLevelPayload(deleted_id=None, errors=errors_of(error))
        return DeleteAccessLevelPayload(deleted_id=level_id, errors=[])
