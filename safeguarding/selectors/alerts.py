"""Reading alerts and the dashboard ("Alert" and "My History")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone

from safeguarding.models import Action, Alert, Category, Incident, Staff

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
    incident: Incident
    action: Action | None
    added_at: datetime.datetime
    categories: list[dict[str, Any]]


def my_history(*, staff: Staff, limit: int) -> list[HistoryEntry]:
    since = timezone.now() - datetime.timedelta(days=HISTORY_DAYS)
    incidents = (
        Incident.objects.filter(author=staff, created_at__gte=since)
        .select_related("pupil__tutor_group", "pupil__year_group", "author")
        .annotate(category_facts=_categories_of("pk"))
        .order_by("-created_at", "-id")[:limit]
    )
    actions = (
        Action.objects.filter(author=staff, created_at__gte=since)
        .select_related(
            "incident__pupil__tutor_group",
            "incident__pupil__year_group",
            "incident__author",
            "author",
        )
        .annotate(category_facts=_categories_of("incident_id"))
        .order_by("-created_at", "-id")[:limit]
    )
    entries = [
        HistoryEntry("incident", i, None, i.created_at, i.category_facts) for i in incidents
    ] + [HistoryEntry("action", a.incident, a, a.created_at, a.category_facts) for a in actions]
    entries.sort(key=lambda entry: entry.added_at, reverse=True)
    return entries[:limit]


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
