"""Types of the safeguarding records: students, categories, incidents, actions, attachments."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from enum import Enum
from typing import Any

import strawberry
from django.urls import reverse
from strawberry import relay

from graphql_api.ids import decode_id, global_id
from safeguarding.models import (
    Agency,
    AlertGroup,
    Attachment,
    BodyMapMarker,
    Category,
    Pupil,
    Staff,
    Subcategory,
)
from safeguarding.names import name_spans
from safeguarding.selectors.alerts import incident_alert_recipient_names
from safeguarding.selectors.incidents import ActionView, IncidentView, LinkedPupilView
from safeguarding.selectors.pupils import PupilSummary


@strawberry.type(description="Where a pupil's name occurs in a text (UTF-16 offsets).")
class NameSpan:
    start: int = strawberry.field(description="Offset of the first character of the name.")
    end: int = strawberry.field(description="Offset just after the last character.")


def spans(text: str, pupils: Iterable[Pupil]) -> list[NameSpan]:
    return [NameSpan(start=s, end=e) for s, e in name_spans(text, pupils)]


@strawberry.type(name="Student", description="A pupil as the typeahead and records show them.")
class StudentType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    display_name: str = strawberry.field(description='e.g. "Hannah Greenwood (1B)".')
    first_name: str = strawberry.field(description="First name (preferred if known).")
    last_name: str = strawberry.field(description="Last name (preferred if known).")
    tutor_group: str | None = strawberry.field(description="Tutor group or class, e.g. 1B.")
    year_group: str | None = strawberry.field(description="Year group, e.g. Year 7.")

    @classmethod
    def from_model(cls, pupil: Pupil) -> StudentType:
        return cls(
            id=global_id("Student", pupil.pk),
            display_name=pupil.display_name,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            tutor_group=pupil.tutor_group.name if pupil.tutor_group_id else None,  # type: ignore[union-attr]
            year_group=pupil.year_group.name if pupil.year_group_id else None,  # type: ignore[union-attr]
        )

    @classmethod
    def from_summary(cls, pupil: PupilSummary) -> StudentType:
        return cls(
            id=global_id("Student", pupil.pk),
            display_name=pupil.display_name,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            tutor_group=pupil.tutor_group_name,
            year_group=pupil.year_group_name,
        )


@strawberry.type(name="Colleague", description="A member of staff as colleagues see them.")
class ColleagueType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    full_name: str = strawberry.field(description="First and last name.")
    job_title: str = strawberry.field(description="Job title.")
    would_not_normally_view: bool | None = strawberry.field(
        description=(
            "For the alert picker: true when this colleague could not view the incident "
            "being written without the alert (shown highlighted in red). Null unless a "
            "student and categories were given."
        )
    )

    @classmethod
    def from_model(cls, staff: Staff, would_not_normally_view: bool | None = None) -> ColleagueType:
        return cls(
            id=global_id("Staff", staff.pk),
            full_name=staff.full_name,
            job_title=staff.job_title,
            would_not_normally_view=would_not_normally_view,
        )


@strawberry.type(name="CategoryChip", description="A category as shown on a record.")
class CategoryChipType:
    id: relay.GlobalID = strawberry.field(description="Global id of the category.")
    name: str = strawberry.field(description="Name, e.g. Child Protection.")
    colour: str = strawberry.field(description="Chip colour, #rrggbb.")

    @classmethod
    def from_model(cls, category: Category) -> CategoryChipType:
        return cls(
            id=global_id("Category", category.pk), name=category.name, colour=category.colour
        )

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> CategoryChipType:
        return cls(
            id=global_id("Category", int(facts["id"])),
            name=str(facts["name"]),
            colour=str(facts["colour"]),
        )


@strawberry.type(name="Subcategory", description="A subcategory of a category.")
class SubcategoryType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. Early Help.")

    @classmethod
    def from_model(cls, sub: Subcategory) -> SubcategoryType:
        return cls(id=global_id("Subcategory", sub.pk), name=sub.name)


@strawberry.type(name="Category", description="A category an incident can be filed under.")
class CategoryType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. Child Protection.")
    colour: str = strawberry.field(description="Chip colour, #rrggbb.")
    dsl_team_only: bool = strawberry.field(description="Only the DSL team sees these records.")
    subcategories: list[SubcategoryType] = strawberry.field(
        description="Its active subcategories, in order."
    )

    @classmethod
    def from_model(cls, category: Category) -> CategoryType:
        return cls(
            id=global_id("Category", category.pk),
            name=category.name,
            colour=category.colour,
            dsl_team_only=category.dsl_team_only,
            subcategories=[
                SubcategoryType.from_model(s) for s in category.subcategories.all() if s.is_active
            ],
        )


@strawberry.type(name="Agency", description="An agency that can be recorded as involved.")
class AgencyType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. Police.")

    @classmethod
    def from_model(cls, agency: Agency) -> AgencyType:
        return cls(id=global_id("Agency", agency.pk), name=agency.name)


@strawberry.type(name="AlertGroup", description="A group of colleagues alerted together.")
class AlertGroupType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="Name, e.g. SLT.")

    @classmethod
    def from_model(cls, group: AlertGroup) -> AlertGroupType:
        return cls(id=global_id("AlertGroup", group.pk), name=group.name)


@strawberry.type(name="AttachmentFile", description="A file attached to a record.")
class AttachmentType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    name: str = strawberry.field(description="File name as uploaded (display text only).")
    size: int = strawberry.field(description="Size in bytes.")
    content_type: str = strawberry.field(description="Type detected from the file's bytes.")
    uploaded_at: datetime.datetime = strawberry.field(description="When it was uploaded.")
    download_url: str = strawberry.field(
        description="Permission-checked, audited address that redirects to the file."
    )

    @classmethod
    def from_model(cls, attachment: Attachment) -> AttachmentType:
        gid = global_id("Attachment", attachment.pk)
        return cls(
            id=gid,
            name=attachment.original_name,
            size=attachment.size,
            content_type=attachment.content_type,
            uploaded_at=attachment.uploaded_at,
            download_url=reverse("attachment-download", args=[str(gid)]),
        )


@strawberry.enum(name="BodyMapSide", description="Which outline a marker is on.")
class BodyMapSide(Enum):
    FRONT = "front"
    BACK = "back"


@strawberry.type(name="BodyMapMarker", description="A numbered marker on the body map.")
class BodyMapMarkerType:
    side: BodyMapSide = strawberry.field(description="Front or back outline.")
    x: float = strawberry.field(description="0 (left) to 1 (right).")
    y: float = strawberry.field(description="0 (top) to 1 (bottom).")
    number: int = strawberry.field(description="The number shown on the marker.")
    note: str = strawberry.field(description="A short note.")

    @classmethod
    def from_model(cls, marker: BodyMapMarker) -> BodyMapMarkerType:
        return cls(
            side=BodyMapSide(marker.side),
            x=marker.x,
            y=marker.y,
            number=marker.number,
            note=marker.note,
        )


@strawberry.type(name="LinkedStudent", description="Another pupil the incident is copied to.")
class LinkedStudentType:
    student: StudentType = strawberry.field(description="The linked pupil.")
    categories: list[CategoryChipType] = strawberry.field(
        description=(
            "Categories on this pupil's copy (e.g. victim and perpetrator differ); empty "
            "where that copy is beyond the reader's access."
        )
    )
    share_documents: bool = strawberry.field(
        description="Whether the attachments show on this pupil's copy."
    )

    @classmethod
    def from_view(cls, link: LinkedPupilView) -> LinkedStudentType:
        return cls(
            student=StudentType.from_model(link.pupil),
            categories=[CategoryChipType.from_model(c) for c in link.categories],
            share_documents=link.share_documents,
        )


@strawberry.type(name="IncidentAction", description="An action taken about an incident.")
class ActionType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    author_name: str = strawberry.field(description="Who added it.")
    text: str = strawberry.field(description="Action taken.")
    text_name_spans: list[NameSpan] = strawberry.field(
        description="Where the incident's pupils are named in the text (for Hide Names)."
    )
    occurred_at: datetime.datetime = strawberry.field(description="When it was done.")
    created_at: datetime.datetime = strawberry.field(description="When it was recorded.")
    agencies: list[AgencyType] = strawberry.field(description="Agencies involved.")
    add_to_linked_students: bool = strawberry.field(
        description="Whether it is copied to the linked students."
    )
    share_documents: bool = strawberry.field(description="Whether its files show on their copies.")
    attachments: list[AttachmentType] = strawberry.field(description="Files this person may open.")

    @classmethod
    def from_view(cls, view: ActionView, pupils: list[Pupil]) -> ActionType:
        action = view.action
        return cls(
            id=global_id("Action", action.pk),
            author_name=action.author.full_name,
            text=action.text,
            text_name_spans=spans(action.text, pupils),
            occurred_at=action.occurred_at,
            created_at=action.created_at,
            agencies=[AgencyType.from_model(a) for a in action.agencies.all()],
            add_to_linked_students=action.add_to_linked_pupils,
            share_documents=action.share_documents,
            attachments=[AttachmentType.from_model(a) for a in view.attachments],
        )


@strawberry.type(name="Incident", description="A concern logged about a pupil.")
class IncidentType:
    id: relay.GlobalID = strawberry.field(description="Global id.")
    student: StudentType = strawberry.field(description="The pupil it is about.")
    author_name: str = strawberry.field(description="Who logged it.")
    occurred_at: datetime.datetime = strawberry.field(description="When it happened.")
    created_at: datetime.datetime = strawberry.field(description="When it was logged.")
    text: str = strawberry.field(description="What happened.")
    text_name_spans: list[NameSpan] = strawberry.field(
        description="Where the pupil and linked pupils are named in the text (Hide Names)."
    )
    categories: list[CategoryChipType] = strawberry.field(description="Its categories.")
    subcategories: list[SubcategoryType] = strawberry.field(description="Its subcategories.")
    agencies: list[AgencyType] = strawberry.field(description="Agencies involved.")
    linked_students: list[LinkedStudentType] = strawberry.field(
        description="Other pupils it is copied to."
    )
    body_map: list[BodyMapMarkerType] = strawberry.field(description="Body map markers.")
    attachments: list[AttachmentType] = strawberry.field(description="Files this person may open.")
    actions: list[ActionType] = strawberry.field(description="Actions taken, oldest first.")
    unread_alert_id: relay.GlobalID | None = strawberry.field(
        description="This person's unread alert for the incident, for 'mark as read'."
    )
    alerted_by_name: str | None = strawberry.field(
        description="Who alerted this person to it ('Chloe Kelan alerted you to this incident')."
    )

    is_linked_copy: bool = strawberry.field(
        description=(
            "True when this is a linked pupil's copy (the pupil above), as the reader's access "
            "allows: its own categories, only actions added to linked students, files only "
            "where shared; no agencies, body map, other pupils or recipients."
        )
    )
    shows_alert_recipients: strawberry.Private[bool]

    @strawberry.field(
        description=(
            "Who was alerted to the incident itself, by name (at most 200): those 'Add "
            "incident alert recipients' alerts again. Empty on a linked pupil's copy. Read one "
            "incident at a time."
        )
    )
    def alert_recipient_names(self) -> list[str]:
        incident_id = decode_id(self.id, "Incident")
        if incident_id is None or not self.shows_alert_recipients:
            return []
        return incident_alert_recipient_names(incident_id=incident_id)

    @classmethod
    def from_view(cls, view: IncidentView) -> IncidentType:
        """The incident as ``safeguarding.selectors.incidents.incident_view`` decided this
        reader sees it; nothing here decides what is shown."""
        incident = view.incident
        pupils = view.named_pupils
        alert = view.unread_alert
        return cls(
            id=global_id("Incident", incident.pk),
            student=StudentType.from_model(view.pupil),
            author_name=incident.author.full_name,
            occurred_at=incident.occurred_at,
            created_at=incident.created_at,
            text=incident.text,
            text_name_spans=spans(incident.text, pupils),
            categories=[CategoryChipType.from_model(c) for c in view.categories],
            subcategories=[SubcategoryType.from_model(s) for s in view.subcategories],
            agencies=[AgencyType.from_model(a) for a in view.agencies],
            linked_students=[LinkedStudentType.from_view(link) for link in view.linked_pupils],
            body_map=[BodyMapMarkerType.from_model(m) for m in view.body_map],
            attachments=[AttachmentType.from_model(a) for a in view.attachments],
            actions=[ActionType.from_view(a, pupils) for a in view.actions],
            unread_alert_id=global_id("Alert", alert.pk) if alert else None,
            alerted_by_name=alert.alerted_by.full_name if alert else None,
            is_linked_copy=not view.record.is_main,
            shows_alert_recipients=view.shows_alert_recipients,
        )
