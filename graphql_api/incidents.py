"""Incidents and actions: reading one, adding them."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.common import actor_of
from graphql_api.context import Info
from graphql_api.ids import decode_id, global_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in, user_errors
from graphql_api.types.records import ActionType, BodyMapSide, IncidentType
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.incidents import (
    IncidentSpec,
    LinkSpec,
    MarkerSpec,
    incident_create,
    incident_read,
)

MAX_INPUT_LIST = 50


def _keys(values: list[relay.GlobalID], type_name: str) -> list[int]:
    # An id of another type or school becomes a key that exists nowhere: "not found".
    return [decode_id(v, type_name) or -1 for v in values]


def _too_long(**lists: list[object]) -> list[FieldError]:
    return [
        FieldError(name, "too_many", f"At most {MAX_INPUT_LIST} items.")
        for name, values in lists.items()
        if len(values) > MAX_INPUT_LIST
    ]


@strawberry.input(description="A pupil to link to the incident.")
class LinkedStudentInput:
    student_id: relay.GlobalID = strawberry.field(description="The linked pupil.")
    category_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Categories on their copy; default: the incident's."
    )
    share_documents: bool = strawberry.field(
        default=False, description="Show the incident's files on their copy."
    )


@strawberry.input(description="A numbered marker on the body map.")
class BodyMapMarkerInput:
    side: BodyMapSide = strawberry.field(description="Front or back.")
    x: float = strawberry.field(description="0 (left) to 1 (right).")
    y: float = strawberry.field(description="0 (top) to 1 (bottom).")
    number: int = strawberry.field(description="The number on the marker.")
    note: str = strawberry.field(default="", description="A short note.")


@strawberry.input(description="A new incident, as on the 'Add Incident' page.")
class AddIncidentInput:
    student_id: relay.GlobalID = strawberry.field(description="The pupil it is about.")
    text: str = strawberry.field(description="What happened.")
    category_ids: list[relay.GlobalID] = strawberry.field(description="At least one category.")
    subcategory_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Subcategories of the chosen categories."
    )
    agency_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Agencies involved."
    )
    linked_students: list[LinkedStudentInput] = strawberry.field(
        default_factory=list, description="Other pupils to copy it to."
    )
    body_map: list[BodyMapMarkerInput] = strawberry.field(
        default_factory=list, description="Body map markers."
    )
    occurred_at: datetime.datetime | None = strawberry.field(
        default=None, description="When it happened; default now."
    )
    alert_staff_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Colleagues to alert."
    )
    alert_group_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Alert groups whose members to alert."
    )
    attachment_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Files uploaded with uploadAttachment."
    )


@strawberry.type(description="Result of adding an incident.")
class AddIncidentPayload:
    incident: IncidentType | None = strawberry.field(
        description="The new incident, as its author may read it (null without access)."
    )
    errors: list[UserError] = strawberry.field(description="What to fix; empty on success.")
    incident_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "Id of the new incident, also when its author may not read it back: the form "
            "goes to its page."
        ),
    )


@strawberry.input(description="A new action, as on the 'Add Action' page.")
class AddActionInput:
    incident_id: relay.GlobalID = strawberry.field(description="The incident acted on.")
    text: str = strawberry.field(description="Action taken.")
    agency_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Agencies involved."
    )
    occurred_at: datetime.datetime | None = strawberry.field(
        default=None, description="When it was done; default now."
    )
    add_to_linked_students: bool = strawberry.field(
        default=False, description="Copy the action to the linked students."
    )
    share_documents: bool = strawberry.field(
        default=False, description="Show its files on the linked students' copies."
    )
    alert_staff_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Colleagues to alert."
    )
    alert_group_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Alert groups whose members to alert."
    )
    add_incident_alert_recipients: bool = strawberry.field(
        default=False, description="Also alert everyone who was alerted to the incident."
    )
    attachment_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Files uploaded with uploadAttachment."
    )


@strawberry.type(description="Result of adding an action.")
class AddActionPayload:
    action: ActionType | None = strawberry.field(description="The new action.")
    incident: IncidentType | None = strawberry.field(description="The incident, as now visible.")
    errors: list[UserError] = strawberry.field(description="What to fix; empty on success.")


@strawberry.type
class IncidentsQuery:
    @strawberry.field(
        description="One incident, if this person may read it (the read is audited); else null."
    )
    def incident(
        self,
        info: Info,
        record_id: Annotated[
            relay.GlobalID, strawberry.argument(name="id", description="Incident id.")
        ],
    ) -> IncidentType | None:
        actor = actor_of(info)
        key = decode_id(record_id, "Incident")
        if actor is None or key is None:
            return None
        view = incident_read(actor=actor, incident_id=key, request=info.context.request)
        return IncidentType.from_view(view) if view else None


@strawberry.type
class IncidentsMutation:
    @strawberry.mutation(description="Add an incident and alert the chosen colleagues.")
    def add_incident(
        self,
        info: Info,
        data: Annotated[
            AddIncidentInput, strawberry.argument(name="input", description="The incident.")
        ],
    ) -> AddIncidentPayload:
        actor = actor_of(info)
        if actor is None:
            return AddIncidentPayload(incident=None, errors=not_signed_in())
        too_long = _too_long(
            categoryIds=list(data.category_ids),
            subcategoryIds=list(data.subcategory_ids),
            agencyIds=list(data.agency_ids),
            alertStaffIds=list(data.alert_staff_ids),
            alertGroupIds=list(data.alert_group_ids),
            attachmentIds=list(data.attachment_ids),
            bodyMap=list(data.body_map),
        )
        if too_long:
            return AddIncidentPayload(incident=None, errors=user_errors(too_long))
        spec = IncidentSpec(
            pupil_id=decode_id(data.student_id, "Student"),
            text=data.text,
            category_ids=_keys(data.category_ids, "Category"),
            subcategory_ids=_keys(data.subcategory_ids, "Subcategory"),
            agency_ids=_keys(data.agency_ids, "Agency"),
            links=[
                LinkSpec(
                    pupil_id=decode_id(link.student_id, "Student"),
                    category_ids=None
                    if link.category_ids is None
                    else _keys(link.category_ids, "Category"),
                    share_documents=link.share_documents,
                )
                for link in data.linked_students
            ],
            markers=[
                MarkerSpec(side=m.side.value, x=m.x, y=m.y, number=m.number, note=m.note)
                for m in data.body_map
            ],
            occurred_at=data.occurred_at,
            alert_staff_ids=_keys(data.alert_staff_ids, "Staff"),
            alert_group_ids=_keys(data.alert_group_ids, "AlertGroup"),
            attachment_ids=_keys(data.attachment_ids, "Attachment"),
        )
        try:
            created = incident_create(actor=actor, spec=spec, request=info.context.request)
        except ServiceError as error:
            return AddIncidentPayload(incident=None, errors=errors_of(error))
        # The author sees the incident only if their own access allows it; that is a read.
        view = incident_read(actor=actor, incident_id=created.pk, request=info.context.request)
        return AddIncidentPayload(
            incident=IncidentType.from_view(view) if view else None,
            incident_id=global_id("Incident", created.pk),
            errors=[],
        )

    @strawberry.mutation(description="Add an action to an incident I can open.")
    def add_action(
        self,
        info: Info,
        data: Annotated[
            AddActionInput, strawberry.argument(name="input", description="The action.")
        ],
    ) -> AddActionPayload:
        actor = actor_of(info)
        if actor is None:
            return AddActionPayload(action=None, incident=None, errors=not_signed_in())
        too_long = _too_long(
            agencyIds=list(data.agency_ids),
            alertStaffIds=list(data.alert_staff_ids),
            alertGroupIds=list(data.alert_group_ids),
            attachmentIds=list(data.attachment_ids),
        )
        if too_long:
            return AddActionPayload(action=None, incident=None, errors=user_errors(too_long))
        spec = ActionSpec(
            incident_id=decode_id(data.incident_id, "Incident"),
            text=data.text,
            agency_ids=_keys(data.agency_ids, "Agency"),
            occurred_at=data.occurred_at,
            add_to_linked_pupils=data.add_to_linked_students,
            share_documents=data.share_documents,
            alert_staff_ids=_keys(data.alert_staff_ids, "Staff"),
            alert_group_ids=_keys(data.alert_group_ids, "AlertGroup"),
            alert_incident_recipients=data.add_incident_alert_recipients,
            attachment_ids=_keys(data.attachment_ids, "Attachment"),
        )
        try:
            action = action_create(actor=actor, spec=spec, request=info.context.request)
        except ServiceError as error:
            return AddActionPayload(action=None, incident=None, errors=errors_of(error))
        view = incident_read(
            actor=actor, incident_id=action.incident_id, request=info.context.request
        )
        if view is None:
            return AddActionPayload(action=None, incident=None, errors=[])
        shown = IncidentType.from_view(view)
        mine = next((a for a in shown.actions if decode_id(a.id, "Action") == action.pk), None)
        return AddActionPayload(action=mine, incident=shown, errors=[])
