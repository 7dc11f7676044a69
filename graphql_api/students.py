"""Students: the typeahead, and a pupil's record for those who may open it."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.common import Connection, actor_of, paginate
from graphql_api.context import Info
from graphql_api.ids import decode_id
from graphql_api.types.records import IncidentType, StudentType
from safeguarding.models import Incident
from safeguarding.selectors.incidents import incident_view, incidents_of_pupil, with_detail
from safeguarding.selectors.pupils import pupils_search
from safeguarding.services.pupils import pupil_read


@strawberry.type(name="StudentRecord", description="A pupil's record and chronology.")
class StudentRecordType:
    student: StudentType = strawberry.field(description="The pupil.")
    incidents: Connection[IncidentType] = strawberry.field(
        description="Incidents this person may see, most recent first (first page of 50)."
    )


@strawberry.type
class StudentsQuery:
    @strawberry.field(
        description=(
            "Typeahead over pupils on roll by name or tutor group; every word must match. "
            "Names and groups only: records need key access."
        )
    )
    def students(
        self,
        info: Info,
        search: Annotated[
            str, strawberry.argument(description="What was typed, e.g. 'gre' or '1B'.")
        ],
        first: Annotated[
            int | None, strawberry.argument(description="Page size (at most 50).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor of the page before.")
        ] = None,
    ) -> Connection[StudentType]:
        actor = actor_of(info)
        if actor is None or not search.strip():
            return paginate([], first=first, after=after, build=StudentType.from_summary)
        return paginate(
            pupils_search(search=search[:100]),
            first=first,
            after=after,
            build=StudentType.from_summary,
        )

    @strawberry.field(
        description="A pupil's record (audited), or null when missing or not allowed."
    )
    def student(
        self,
        info: Info,
        record_id: Annotated[
            relay.GlobalID, strawberry.argument(name="id", description="Student id.")
        ],
    ) -> StudentRecordType | None:
        actor = actor_of(info)
        key = decode_id(record_id, "Student")
        if actor is None or key is None:
            return None
        pupil = pupil_read(actor=actor, pupil_id=key, request=info.context.request)
        if pupil is None:
            return None

        def build(incident: Incident) -> IncidentType:
            # On a linked pupil's record, the incident shows as that pupil's copy.
            view = incident_view(actor=actor, incident=incident, pupil_id=pupil.pk)
            # The chronology's query and the view apply the same rule: a row is always visible.
            assert view is not None
            return IncidentType.from_view(view)

        return StudentRecordType(
            student=StudentType.from_model(pupil),
            incidents=paginate(
                with_detail(incidents_of_pupil(actor=actor, pupil=pupil)),
                first=None,
                after=None,
                build=build,
            ),
        )
