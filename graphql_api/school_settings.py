"""The school's own settings: the GraphQL side."""

from __future__ import annotations

from typing import Annotated

import strawberry
from django.conf import settings

from graphql_api.access_levels import settings_admin
from graphql_api.context import Info
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from safeguarding.models import SchoolSettings
from safeguarding.selectors.school_settings import school_settings_get
from safeguarding.services.errors import ServiceError
from safeguarding.services.school_settings import school_settings_update


@strawberry.type(name="SchoolSettings", description="Settings the school chooses for itself.")
class SchoolSettingsType:
    session_idle_minutes: int = strawberry.field(
        description="Minutes without activity after which a session ends."
    )
    session_idle_minutes_is_default: bool = strawberry.field(
        description="Whether that is Haven's default rather than the school's own choice."
    )
    session_absolute_hours: float = strawberry.field(
        description="Hours after signing in when a session always ends."
    )

    @classmethod
    def from_model(cls, school_settings: SchoolSettings) -> SchoolSettingsType:
        chosen = school_settings.session_idle_minutes
        return cls(
            session_idle_minutes=chosen or settings.HAVEN_SESSION_IDLE_MINUTES,
            session_idle_minutes_is_default=chosen is None,
            session_absolute_hours=settings.HAVEN_SESSION_ABSOLUTE_SECONDS / 3600,
        )


@strawberry.type(description="The settings after a change.")
class SchoolSettingsPayload:
    school_settings: SchoolSettingsType | None = strawberry.field(description="The settings.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type
class SchoolSettingsQuery:
    @strawberry.field(description="The school's settings; null unless you are a school admin.")
    def school_settings(self, info: Info) -> SchoolSettingsType | None:
        if settings_admin(info) is None:
            return None
        return SchoolSettingsType.from_model(school_settings_get())


@strawberry.type
class SchoolSettingsMutation:
    @strawberry.mutation(description="Change the school's settings (school admins).")
    def update_school_settings(
        self,
        info: Info,
        session_idle_minutes: Annotated[
            int | None,
            strawberry.argument(
                description="Minutes (5 to 720) without activity before a session ends; "
                "null for Haven's default."
            ),
        ],
    ) -> SchoolSettingsPayload:
        staff = info.context.staff
        if staff is None:
            return SchoolSettingsPayload(school_settings=None, errors=not_signed_in())
        try:
            updated = school_settings_update(
                actor=staff,
                request=info.context.request,
                session_idle_minutes=session_idle_minutes,
            )
        except ServiceError as error:
            return SchoolSettingsPayload(school_settings=None, errors=errors_of(error))
        return SchoolSettingsPayload(
            school_settings=SchoolSettingsType.from_model(updated), errors=[]
        )
