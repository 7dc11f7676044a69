"""Reading alerts and the dashboard ("Alert" and "My History")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, OuterRef, QuerySet, Value
from django.db.models.functions import JSONObject
from django.utils import timezone

from safeguarding.models import (
    Action,
    Alert,
    Category,
    Incident,
    Pupil,
    Staff,
    TutorGroup,
    YearGroup,
)

HISTORY_DAYS = 7


def _categories_of(incident_ref: str) -> ArraySubquery:
    # Categories ride along as JSON in the same row: one query however many alerts there are.
    return ArraySubquery(
        Category.objects.filter(incidents=OuterRef(incident_ref))
        .order_by("order", "name")
        .values(json=JSONObject(id="id", name="name", colour="colour"))
    )


def alerts_unread(*, staff: Staff) -> QuerySet[Alert]:
    """This person's unread alerts, newest first, with everything a dashboard row shows."""
    return (
        Alert.objects.filter(recipient=staff, read_at__isnull=True)
        .select_related(
            "incident__pupil__tutor_group",
            "incident__pupil__year_group",
            "incident__author",
            "action__author",
            "alerted_by",
        )
        # Only what a dashboard row shows: staff rows are wide (password hash, flags).
        .only(
            "created_at",
            "read_at",
            "recipient_id",
            "incident__created_at",
            "incident__pupil__legal_first_name",
            "incident__pupil__legal_last_name",
            "incident__pupil__preferred_first_name",
            "incident__pupil__preferred_last_name",
            "incident__pupil__tutor_group__name",
            "incident__pupil__year_group__name",
            "incident__author__first_name",
            "incident__author__last_name",
            "action__created_at",
            "action__author__first_name",
            "action__author__last_name",
            "alerted_by__first_name",
            "alerted_by__last_name",
        )
        .annotate(category_facts=_categories_of("incident_id"))
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class HistoryEntry:
    """An incident or action this person added recently."""

    kind: str  # "incident" or "action"
    incident_id: int
    pupil: Pupil  # carries names and groups only, enough to display
    added_at: datetime.datetime
    categories: list[dict[str, Any]]


# The same columns, in the same order, from incidents and from actions (via their incident),
# so both kinds come back from one UNION query.
_HISTORY_COLUMNS = (
    "kind",
    "incident_ref",
    "added_at",
    "pupil_ref",
    "first",
    "last",
    "preferred_first",
    "preferred_last",
    "tutor_ref",
    "tutor_name",
    "year_ref",
    "year_name",
    "category_facts",
)


def _history_rows(queryset: QuerySet[Any], kind: str, incident: str) -> QuerySet[Any]:
    pupil = f"{incident}pupil__" if incident else "pupil__"
    rows: QuerySet[Any] = queryset.annotate(
        kind=Value(kind, output_field=CharField()),
        incident_ref=F(f"{incident}id") if incident else F("id"),
        added_at=F("created_at"),
        pupil_ref=F(f"{pupil}id"),
        first=F(f"{pupil}legal_first_name"),
        last=F(f"{pupil}legal_last_name"),
        preferred_first=F(f"{pupil}preferred_first_name"),
        preferred_last=F(f"{pupil}preferred_last_name"),
        tutor_ref=F(f"{pupil}tutor_group_id"),
        tutor_name=F(f"{pupil}tutor_group__name"),
        year_ref=F(f"{pupil}year_group_id"),
        year_name=F(f"{pupil}year_group__name"),
        category_facts=_categories_of(f"{incident}id" if incident else "pk"),
    ).values(*_HISTORY_COLUMNS)
    return rows


def _pupil_of(row: dict[str, Any]) -> Pupil:
    pupil = Pupil(
        pk=row["pupil_ref"],
        legal_first_name=row["first"],
        legal_last_name=row["last"],
        preferred_first_name=row["preferred_first"],
        preferred_last_name=row["preferred_last"],
    )
    if row["tutor_ref"] is not None:
        pupil.tutor_group = TutorGroup(pk=row["tutor_ref"], name=row["tutor_name"])
    if row["year_ref"] is not None:
        pupil.year_group = YearGroup(pk=row["year_ref"], name=row["year_name"])
    return pupil


def my_history(*, staff: Staff, limit: int) -> list[HistoryEntry]:
    """Incidents and actions this person added in the last 7 days, newest first (one query)."""
    since = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    incidents = _history_rows(
        Incident.objects.filter(author=staff, created_at__gte=since), "incident", ""
    )
    actions = _history_rows(
        Action.objects.filter(author=staff, created_at__gte=since), "action", "incident__"
    )
    rows = incidents.union(actions, all=True).order_by("-added_at")[:limit]
    return [
        HistoryEntry(
            kind=row["kind"],
            incident_id=row["incident_ref"],
            pupil=_pupil_of(row),
            added_at=row["added_at"],
            categories=row["category_facts"],
        )
        for row in rows
    ]


def alert_unread_next(*, staff: Staff) -> Alert | None:
    """The alert the "next alert" link leads to: the newest one still unread."""
    return alerts_unread(staff=staff).first()


def alert_unread_for_incident(*, staff: Staff, incident: Incident) -> Alert | None:
    """The alert behind "X alerted you to this incident": the incident's own, else an action's."""
    return (
        Alert.objects.filter(recipient=staff, incident=incident, read_at__isnull=True)
        .select_related("alerted_by")
        .order_by(F("action_id").asc(nulls_first=True), "-created_at")
        .first()
    )


MAX_RECIPIENT_NAMES = 200


def incident_alert_recipient_names(*, incident_id: int) -> list[str]:
    """Who was alerted to the incident itself, by name: those 'Add incident alert recipients'
    alerts again (the same rule as ``action_create``: active staff, not alerts on actions)."""
    rows = (
        Staff.objects.filter(
            is_active=True, alerts__incident_id=incident_id, alerts__action__isnull=True
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .values_list("first_name", "last_name")[:MAX_RECIPIENT_NAMES]
    )
    return [f"{first} {last}".strip() for first, last in rows]
