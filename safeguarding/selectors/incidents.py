"""Reading incidents: the access rules of ``safeguarding.permissions`` as querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from safeguarding.models import (
    Action,
    Alert,
    Attachment,
    Category,
    Incident,
    IncidentLink,
    Pupil,
)
from safeguarding.permissions import AccessProfile, Actor, viewable_incident_category_ids

IncidentCategory = Incident.categories.through
LinkCategory = IncidentLink.categories.through


def _scope_q(profile: AccessProfile, pupil_path: str) -> Q:
    q = Q()
    if profile.year_group_ids:
        q &= Q(**{f"{pupil_path}__year_group_id__in": profile.year_group_ids})
    if profile.tutor_group_ids:
        q &= Q(**{f"{pupil_path}__tutor_group_id__in": profile.tutor_group_ids})
    return q


def _record_q(profile: AccessProfile, *, through: type, owner_field: str, pupil_path: str) -> Q:
    """SQL form of ``permissions.record_visible`` for rows owning categories via ``through``."""
    viewable = viewable_incident_category_ids(profile)
    if not viewable:
        return Q(pk__in=[])
    own = through.objects.filter(**{owner_field: OuterRef("pk")})  # type: ignore[attr-defined]
    q = _scope_q(profile, pupil_path) & Q(Exists(own.filter(category_id__in=viewable)))
    if not profile.is_dsl_team:
        q &= ~Q(Exists(own.filter(category__dsl_team_only=True)))
    return q


def unread_alert_incident_ids(actor: Actor) -> QuerySet[Alert, Any]:
    return Alert.objects.filter(recipient=actor.staff, read_at__isnull=True).values("incident_id")


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    q = Q(pk__in=unread_alert_incident_ids(actor))
    if actor.key_access:
        profile = actor.profile
        q |= _record_q(
            profile, through=IncidentCategory, owner_field="incident_id", pupil_path="pupil"
        )
        links = IncidentLink.objects.filter(
            _record_q(
                profile, through=LinkCategory, owner_field="incidentlink_id", pupil_path="pupil"
            )
        )
        q |= Q(pk__in=links.values("incident_id"))
    return Incident.objects.filter(q)


def with_detail(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """Everything the incident screen and the permission checks read, in a fixed few queries."""
    pupils = Pupil.objects.select_related("tutor_group", "year_group")
    return queryset.select_related(
        "pupil__tutor_group", "pupil__year_group", "author"
    ).prefetch_related(
        Prefetch("categories", queryset=Category.objects.all()),
        "subcategories",
        "agencies",
        Prefetch(
            "links",
            queryset=IncidentLink.objects.prefetch_related(
                Prefetch("pupil", queryset=pupils), "categories"
            ),
        ),
        "body_map_markers",
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("author").prefetch_related(
                "agencies", Prefetch("attachments", queryset=Attachment.objects.all())
            ),
        ),
    )


def incident_get_visible(*, actor: Actor, incident_id: int) -> Incident | None:
    """The incident if this person may read it; None when missing or forbidden alike."""
    return with_detail(incidents_visible_to(actor).filter(pk=incident_id)).first()


def incidents_of_pupil(*, actor: Actor, pupil: Pupil) -> QuerySet[Incident]:
    """A pupil's chronology as this person may see it, by when things happened."""
    return (
        incidents_visible_to(actor)
        .filter(Q(pupil=pupil) | Q(links__pupil=pupil))
        .distinct()
        .order_by("-occurred_at", "-id")
    )
