"""Agencies in the school admins' settings (the forms' list is ``agencies`` in
reference.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.access_levels import settings_admin
from graphql_api.categories import DeletePayload
from graphql_api.context import Info
from graphql_api.ids import decode_id, global_id
from graphql_api.types.errors import UserError, errors_of
from safeguarding.models import Agency
from safeguarding.selectors.agencies import agencies_for_settings, agency_for_settings
from safeguarding.services.agencies import (
    agency_create,
    agency_delete,
    agency_set_active,
    agency_update,
)
from safeguarding.services.errors import ServiceError

MAX_AGENCIES = 500


@strawberry.type(name="SettingsAgency", description="An agency, as admins manage it.")
class SettingsAgencyType:
    id: relay.GlobalID = strawberry.field(description="Global id (as in `agencies`).")
    name: str = strawberry.field(description="Name, e.g. Police.")
    is_active: bool = strawberry.field(
        description="Offered on the forms; inactive ones still show on old records."
    )
    in_use: bool = strawberry.field(
        description="Whether an incident or action records it; then it can be deactivated, "
        "not deleted."
    )

    @classmethod
    def from_model(cls, agency: Agency) -> SettingsAgencyType:
        return cls(
            id=global_id("Agency", agency.pk),
            name=agency.name,
            is_active=agency.is_active,
            in_use=bool(getattr(agency, "in_use", True)),
        )


@strawberry.type(description="An agency after a change.")
class AgencyPayload:
    agency: SettingsAgencyType | None = strawberry.field(
        description="The agency as it now is; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


def _payload(agency: Agency) -> AgencyPayload:
    found = agency_for_settings(agency_id=agency.pk)
    assert found is not None
    return AgencyPayload(agency=SettingsAgencyType.from_model(found), errors=[])


def _key(value: relay.GlobalID) -> int:
    # Undecodable ids become 0: the service then refuses (forbidden before not found).
    return decode_id(value, "Agency") or 0


ID_ARG = strawberry.argument(description="The agency's id.")
NAME_ARG = strawberry.argument(description="Name, unique in the school (at most 120).")


@strawberry.type
class AgenciesSettingsQuery:
    @strawberry.field(
        description="Every agency, active or not, by name (at most 500); null unless you are "
        "a school admin."
    )
    def settings_agencies(self, info: Info) -> list[SettingsAgencyType] | None:
        if settings_admin(info) is None:
            return None
        return [SettingsAgencyType.from_model(a) for a in agencies_for_settings(limit=MAX_AGENCIES)]


@strawberry.type
class AgenciesSettingsMutation:
    @strawberry.mutation(description="Add an agency (school admins).")
    def create_agency(self, info: Info, name: Annotated[str, NAME_ARG]) -> AgencyPayload:
        try:
            agency = agency_create(
                actor=info.context.staff, request=info.context.request, name=name
            )
        except ServiceError as error:
            return AgencyPayload(agency=None, errors=errors_of(error))
        return _payload(agency)

    @strawberry.mutation(description="Rename an agency (school admins).")
    def update_agency(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        name: Annotated[str, NAME_ARG],
    ) -> AgencyPayload:
        try:
            agency = agency_update(
                actor=info.context.staff,
                request=info.context.request,
                agency_id=_key(id),
                name=name,
            )
        except ServiceError as error:
            return AgencyPayload(agency=None, errors=errors_of(error))
        return _payload(agency)

    @strawberry.mutation(
        description="Deactivate an agency (no longer offered; old records still show it) or "
        "reactivate it (school admins)."
    )
    def set_agency_active(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        active: Annotated[
            bool, strawberry.argument(description="True to reactivate, false to deactivate.")
        ],
    ) -> AgencyPayload:
        try:
            agency = agency_set_active(
                actor=info.context.staff,
                request=info.context.request,
                agency_id=_key(id),
                active=active,
            )
        except ServiceError as error:
            return AgencyPayload(agency=None, errors=errors_of(error))
        return _payload(agency)

    @strawberry.mutation(
        description="Delete an agency no incident or action records; refused with code "
        "in_use otherwise (school admins)."
    )
    def delete_agency(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
    ) -> DeletePayload:
        try:
            agency_delete(
                actor=info.context.staff, request=info.context.request, agency_id=_key(id)
            )
        except ServiceError as error:
            return DeletePayload(deleted_id=None, errors=errors_of(error))
        return DeletePayload(deleted_id=id, errors=[])
