"""Your signed-in sessions (Account Settings): the GraphQL side."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graphql_api.context import Info
from graphql_api.types.errors import OkPayload, UserError, not_signed_in, ok_payload
from safeguarding.models import StaffSession
from safeguarding.selectors.staff_sessions import staff_sessions_of
from safeguarding.services.staff_sessions import staff_session_end

MAX_SESSIONS_LISTED = 50


@strawberry.type(name="StaffSession", description="A browser session signed in as you.")
class StaffSessionType:
    id: strawberry.ID = strawberry.field(description="Pass to endSession.")
    created_at: datetime = strawberry.field(description="When you signed in.")
    last_seen_at: datetime = strawberry.field(description="When it was last used.")
    ip_address: str | None = strawberry.field(description="The address it signed in from.")
    user_agent: str = strawberry.field(description="The browser it signed in with.")
    current: bool = strawberry.field(description="Whether it is the session asking.")

    @classmethod
    def from_model(cls, session: StaffSession, *, current_key: str | None) -> StaffSessionType:
        return cls(
            id=strawberry.ID(str(session.pk)),
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            ip_address=session.ip_address,
            user_agent=session.user_agent,
            current=session.session_key == current_key,
        )


@strawberry.type
class StaffSessionQuery:
    @strawberry.field(
        description=f"Your signed-in sessions, most recent first (at most {MAX_SESSIONS_LISTED})."
    )
    def my_sessions(self, info: Info) -> list[StaffSessionType]:
        staff = info.context.staff
        if staff is None:
            return []
        current_key = info.context.request.session.session_key
        return [
            StaffSessionType.from_model(session, current_key=current_key)
            for session in staff_sessions_of(staff=staff)[:MAX_SESSIONS_LISTED]
        ]


@strawberry.type
class StaffSessionMutation:
    @strawberry.mutation(description="Sign out one of your sessions, wherever it is.")
    def end_session(
        self,
        info: Info,
        id: Annotated[  # noqa: A002 - GraphQL's name for it
            strawberry.ID, strawberry.argument(description="The session's id.")
        ],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        ended = staff_session_end(actor=staff, request=info.context.request, session_id=str(id))
        if not ended:
            return OkPayload(
                ok=False,
                errors=[UserError(field="id", code="not_found", message="No such session.")],
            )
        return ok_payload()
