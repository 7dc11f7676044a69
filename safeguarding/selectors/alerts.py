"""Reading alerts and the dashboard ("Alert" and "My History")."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone

from safeguarding.models import Alert, Incident, Staff
from safeguarding.selectors.pupils import PupilSummary

HISTORY_DAYS = 7

# The dashboard is the page every member of staff opens first, so its two reads are written
# as SQL: the ORM spent longer building these queries than PostgreSQL spent answering them.
# Staff names come from scalar subqueries rather than joins, which keeps the planner's join
# search small (planning, not execution, is most of a query's time at this size).
_CATEGORIES = """(SELECT json_agg(json_build_object('id', c.id, 'name', c.name,
                                          'colour', c.colour) ORDER BY c."order", c.name)
            FROM safeguarding_incident_categories ic
            JOIN safeguarding_category c ON c.id = ic.category_id
           WHERE ic.incident_id = i.id)"""
_PUPIL = """p.id, p.legal_first_name, p.legal_last_name, p.preferred_first_name,
       p.preferred_last_name, tg.name, yg.name"""
_PUPIL_JOINS = """JOIN safeguarding_pupil p ON p.id = i.pupil_id
  LEFT JOIN safeguarding_tutorgroup tg ON tg.id = p.tutor_group_id
  LEFT JOIN safeguarding_yeargroup yg ON yg.id = p.year_group_id"""
_ALERTS_SQL = f"""
SELECT a.id, a.created_at, a.action_id, i.id, i.created_at,
       (SELECT ARRAY[s.first_name, s.last_name] FROM safeguarding_staff s
         WHERE s.id = i.author_id),
       (SELECT ARRAY[s.first_name, s.last_name] FROM safeguarding_staff s
         WHERE s.id = a.alerted_by_id),
       (SELECT ac.created_at FROM safeguarding_action ac WHERE ac.id = a.action_id),
       (SELECT ARRAY[s.first_name, s.last_name] FROM safeguarding_action ac
          JOIN safeguarding_staff s ON s.id = ac.author_id WHERE ac.id = a.action_id),
       {_CATEGORIES},
       {_PUPIL}
  FROM safeguarding_alert a
  JOIN safeguarding_incident i ON i.id = a.incident_id
  {_PUPIL_JOINS}
 WHERE a.recipient_id = %s AND a.read_at IS NULL
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT %s OFFSET %s
"""  # noqa: S608 - constant fragments only; every value is a parameter
_HISTORY_SQL = f"""
SELECT kind, incident_id, added_at, {_CATEGORIES}, {_PUPIL}
  FROM (SELECT 'incident' AS kind, id AS incident_id, created_at AS added_at
          FROM safeguarding_incident WHERE author_id = %s AND created_at >= %s
        UNION ALL
        SELECT 'action', incident_id, created_at
          FROM safeguarding_action WHERE author_id = %s AND created_at >= %s
        ORDER BY added_at DESC
        LIMIT %s) h
  JOIN safeguarding_incident i ON i.id = h.incident_id
  {_PUPIL_JOINS}
 ORDER BY added_at DESC
"""  # noqa: S608 - as above


def _staff_name(names: list[str]) -> str:
    # As Staff.full_name.
    return f"{names[0]} {names[1]}".strip()


def _categories(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    facts: list[dict[str, Any]] = json.loads(value) if isinstance(value, str) else value
    return facts


def _pupil(row: Sequence[Any]) -> PupilSummary:
    return PupilSummary(*row)


@dataclass(frozen=True, slots=True)
class AlertRow:
    """An unread alert as the dashboard shows it."""

    id: int
    kind: str  # "incident" or "action"
    incident_id: int
    pupil: PupilSummary
    categories: list[dict[str, Any]]  # id, name, colour of the incident's categories
    added_by_name: str
    added_at: datetime.datetime
    alerted_by_name: str
    alerted_at: datetime.datetime


class UnreadAlerts:
    """This person's unread alerts, newest first; slice it for a page (one query a slice)."""

    def __init__(self, staff: Staff) -> None:
        self.staff_id = staff.pk

    def __getitem__(self, page: slice) -> list[AlertRow]:
        start = page.start or 0
        assert page.stop is not None, "a page has an end"
        assert page.step is None, "a page is every row in its range"
        if page.stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(_ALERTS_SQL, [self.staff_id, page.stop - start, start])
            rows = cursor.fetchall()
        return [
            AlertRow(
                id=row[0],
                kind="action" if row[2] is not None else "incident",
                incident_id=row[3],
                pupil=_pupil(row[10:]),
                categories=_categories(row[9]),
                added_by_name=_staff_name(row[8] if row[2] is not None else row[5]),
                added_at=row[7] if row[2] is not None else row[4],
                alerted_by_name=_staff_name(row[6]),
                alerted_at=row[1],
            )
            for row in rows
        ]

    def count(self) -> int:
        return Alert.objects.filter(recipient_id=self.staff_id, read_at__isnull=True).count()


def alerts_unread(*, staff: Staff) -> UnreadAlerts:
    """This person's unread alerts, newest first, with everything a dashboard row shows."""
    return UnreadAlerts(staff)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An incident or action this person added recently."""

    kind: str  # "incident" or "action"
    incident_id: int
    pupil: PupilSummary
    added_at: datetime.datetime
    categories: list[dict[str, Any]]


def my_history(*, staff: Staff, limit: int) -> list[HistoryEntry]:
    """Incidents and actions this person added in the last 7 days, newest first (one query)."""
    since = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_HISTORY_SQL, [staff.pk, since, staff.pk, since, limit])
        rows = cursor.fetchall()
    return [
        HistoryEntry(
            kind=row[0],
            incident_id=row[1],
            pupil=_pupil(row[4:]),
            added_at=row[2],
            categories=_categories(row[3]),
        )
        for row in rows
    ]


def alert_unread_next(*, staff: Staff) -> AlertRow | None:
    """The alert the "next alert" link leads to: the newest one still unread."""
    rows = alerts_unread(staff=staff)[0:1]
    return rows[0] if rows else None


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
