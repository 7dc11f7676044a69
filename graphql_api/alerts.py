"""Dashboard, alerts and "mark as read"."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.common import (
    MAX_PAGE_SIZE,
    Connection,
    actor_of,
    paginate,
)
from graphql_api.context import Info
from graphql_api.ids import decode_id, global_id
from graphql_api.types.errors import UserError, errors_of, not_signed_in
from graphql_api.types.records import CategoryChipType, StudentType
from safeguarding.selectors.alerts import AlertRow, HistoryEntry, alerts_unread, my_history
from safeguarding.services.alerts import alert_mark_read
from safeguarding.services.errors import ServiceError


@strawberry.enum(name="RecordKind", description="Whether a row is about an incident or an action.")
class RecordKind(Enum):
    INCIDENT = "incident"
    ACTION = "action"


@strawberry.type(name="Alert", description="An unread alert: someone asked this person to read.")
class AlertType:
    id: relay.GlobalID = strawberry.field(description="Global id of the alert.")
    kind: RecordKind = strawberry.field(description="Alerted to an incident or an action.")
    incident_id: relay.GlobalID = strawberry.field(description="The incident to open.")
    summary: str = strawberry.field(
        description='e.g. "Chloe Kelan added an incident for Hannah Greenwood".'
    )
    student: StudentType = strawberry.field(description="The pupil it is about.")
    categories: list[CategoryChipType] = strawberry.field(description="The incident's categories.")
    added_by_name: str = strawberry.field(description="Who added the incident or action.")
    added_at: datetime.datetime = strawberry.field(description="When it was added.")
    alerted_by_name: str = strawberry.field(description="Who sent the alert.")
    alerted_at: datetime.datetime = strawberry.field(description="When the alert was sent.")

    @classmethod
    def from_row(cls, alert: AlertRow) -> AlertType:
        kind = RecordKind(alert.kind)
        return cls(
            id=global_id("Alert", alert.id),
            kind=kind,
            incident_id=global_id("Incident", alert.incident_id),
            summary=f"{alert.added_by_name} added an {kind.value} for {alert.pupil.full_name}",
            student=StudentType.from_summary(alert.pupil),
            categories=[CategoryChipType.from_facts(f) for f in alert.categories],
            added_by_name=alert.added_by_name,
            added_at=alert.added_at,
            alerted_by_name=alert.alerted_by_name,
            alerted_at=alert.alerted_at,
        )


@strawberry.type(name="HistoryEntry", description="An incident or action I added recently.")
class HistoryEntryType:
    kind: RecordKind = strawberry.field(description="Incident or action.")
    incident_id: relay.GlobalID = strawberry.field(description="The incident.")
    summary: str = strawberry.field(
        description='e.g. "You added an incident for Hannah Greenwood".'
    )
    student: StudentType = strawberry.field(description="The pupil it is about.")
    categories: list[CategoryChipType] = strawberry.field(description="The incident's categories.")
    added_at: datetime.datetime = strawberry.field(description="When it was added.")

    @classmethod
    def from_entry(cls, entry: HistoryEntry) -> HistoryEntryType:
        pupil = entry.pupil
        return cls(
            kind=RecordKind(entry.kind),
            incident_id=global_id("Incident", entry.incident_id),
            summary=f"You added an {entry.kind} for {pupil.full_name}",
            student=StudentType.from_summary(pupil),
            categories=[CategoryChipType.from_facts(f) for f in entry.categories],
            added_at=entry.added_at,
        )


@strawberry.type(name="Dashboard", description="The dashboard: 'Alert' and 'My History'.")
class DashboardType:
    alerts: list[AlertType] = strawberry.field(
        description="Unread alerts, newest first (the first 50; see `alerts` for more)."
    )
    unread_alert_count: int = strawberry.field(description="How many alerts are unread.")
    my_history: list[HistoryEntryType] = strawberry.field(
        description="Incidents and actions I added in the last 7 days, newest first (up to 50)."
    )


@strawberry.type
class AlertsQuery:
    @strawberry.field(description="The signed-in person's dashboard; null when signed out.")
    def dashboard(self, info: Info) -> DashboardType | None:
        actor = actor_of(info)
        if actor is None:
            return None
        unread = alerts_unread(staff=actor.staff)
        alerts = unread[: MAX_PAGE_SIZE + 1]
        count = len(alerts)
        if count > MAX_PAGE_SIZE:
            count = unread.count()
        return DashboardType(
            alerts=[AlertType.from_row(a) for a in alerts[:MAX_PAGE_SIZE]],
            unread_alert_count=count,
            my_history=[
                HistoryEntryType.from_entry(e)
                for e in my_history(staff=actor.staff, limit=MAX_PAGE_SIZE)
            ],
        )

    @strawberry.field(description="My unread alerts, newest first, a page at a time.")
    def alerts(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (at most 50).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor after which the page starts.")
        ] = None,
    ) -> Connection[AlertType]:
        actor = actor_of(info)
        if actor is None:
            return paginate([], first=first, after=after, build=AlertType.from_row)
        return paginate(
            alerts_unread(staff=actor.staff), first=first, after=after, build=AlertType.from_row
        )


@strawberry.type(description="Result of marking an alert read.")
class MarkAlertReadPayload:
    next_alert: AlertType | None = strawberry.field(
        description="The next unread alert ('next alert'), if any."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was marked, if so.")


@strawberry.type
class AlertsMutation:
    @strawberry.mutation(
        description=(
            "Mark one of my alerts read. Without key access the incident cannot be opened "
            "again afterwards."
        )
    )
    def mark_alert_read(
        self,
        info: Info,
        alert_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The alert to mark read.")
        ],
    ) -> MarkAlertReadPayload:
        actor = actor_of(info)
        if actor is None:
            return MarkAlertReadPayload(next_alert=None, errors=not_signed_in())
        try:
            next_alert = alert_mark_read(
                actor=actor,
                alert_id=decode_id(alert_id, "Alert") or -1,
                request=info.context.request,
            )
        except ServiceError as error:
            return MarkAlertReadPayload(next_alert=None, errors=errors_of(error))
        return MarkAlertReadPayload(
            next_alert=AlertType.from_row(next_alert) if next_alert else None, errors=[]
        )
