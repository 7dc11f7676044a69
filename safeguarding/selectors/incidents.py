"""Reading incidents: the access rules of ``safeguarding.permissions`` as querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from safeguarding.models import (
    Action,
    Agency,
    Alert,
    Attachment,
    BodyMapMarker,
    Category,
    Incident,
    IncidentLink,
    Pupil,
    Subcategory,
)
from safeguarding.permissions import (
    AccessProfile,
    Actor,
    IncidentRecord,
    holds_unread_alert,
    incident_record_for,
    link_categories_shown,
    viewable_incident_category_ids,
)
from safeguarding.selectors.alerts import alert_unread_for_incident

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


def incidents_main_record_visible_to(actor: Actor) -> QuerySet[Incident]:
    """Incidents whose main record (not only a linked pupil's copy) this person may see."""
    q = Q(pk__in=unread_alert_incident_ids(actor))
    if actor.key_access:
        q |= _record_q(
            actor.profile, through=IncidentCategory, owner_field="incident_id", pupil_path="pupil"
        )
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
    """A pupil's chronology as this person may see it, by when things happened: incidents
    whose record *on this pupil* (the main record, or this pupil's linked copy) is visible.
    An incident seen only through another pupil's copy is not on this pupil's record."""
    alerted = Q(pk__in=unread_alert_incident_ids(actor))
    own = Q(pupil=pupil)
    on_copy = IncidentLink.objects.filter(pupil=pupil)
    if actor.key_access:
        profile = actor.profile
        own &= alerted | _record_q(
            profile, through=IncidentCategory, owner_field="incident_id", pupil_path="pupil"
        )
        on_copy = on_copy.filter(
            Q(incident_id__in=unread_alert_incident_ids(actor))
            | _record_q(
                profile, through=LinkCategory, owner_field="incidentlink_id", pupil_path="pupil"
            )
        )
    else:
        own &= alerted
        on_copy = on_copy.filter(incident_id__in=unread_alert_incident_ids(actor))
    return Incident.objects.filter(own | Q(pk__in=on_copy.values("incident_id"))).order_by(
        "-occurred_at", "-id"
    )


@dataclass(frozen=True)
class LinkedPupilView:
    """A linked pupil as the main record shows them; ``categories`` empty where that pupil's
    copy is not one the reader may open."""

    pupil: Pupil
    categories: list[Category]
    share_documents: bool


@dataclass(frozen=True)
class ActionView:
    action: Action
    attachments: list[Attachment]


@dataclass(frozen=True)
class IncidentView:
    """An incident exactly as one reader may see it (see ``permissions.incident_record_for``).
    Every path that shows an incident builds it from this, so no path shows more."""

    record: IncidentRecord
    pupil: Pupil
    categories: list[Category]
    subcategories: list[Subcategory]
    agencies: list[Agency]
    linked_pupils: list[LinkedPupilView]
    body_map: list[BodyMapMarker]
    attachments: list[Attachment]
    actions: list[ActionView]
    # Names of every pupil on the incident, for Hide Names (the text is shared by all copies).
    named_pupils: list[Pupil]
    shows_alert_recipients: bool
    unread_alert: Alert | None

    @property
    def incident(self) -> Incident:
        return self.record.incident


def incident_view(
    *, actor: Actor, incident: Incident, pupil_id: int | None = None
) -> IncidentView | None:
    """The reader's view of an incident loaded ``with_detail``: the main record, a linked
    pupil's copy, or None. ``pupil_id`` asks for the record on that pupil's chronology."""
    record = incident_record_for(actor, incident, pupil_id=pupil_id)
    if record is None:
        return None
    links = list(incident.links.all())
    for attachment in incident.attachments.all():
        attachment.incident = incident  # reuse the prefetched incident in the checks below
    actions = [a for a in incident.actions.all() if record.shows_action(a)]
    for action in actions:
        action.incident = incident
        for attachment in action.attachments.all():
            attachment.action = action
    if record.link is None:
        categories = list(incident.categories.all())
        subcategories = list(incident.subcategories.all())
        linked = [
            LinkedPupilView(
                pupil=link.pupil,
                categories=list(link.categories.all())
                if link_categories_shown(actor, record, link)
                else [],
                share_documents=link.share_documents,
            )
            for link in links
        ]
        agencies = list(incident.agencies.all())
        body_map = list(incident.body_map_markers.all())
        pupil = incident.pupil
    else:
        categories = list(record.link.categories.all())
        shown = {c.pk for c in categories}
        subcategories = [s for s in incident.subcategories.all() if s.category_id in shown]
        linked, agencies, body_map = [], [], []
        pupil = record.link.pupil
    return IncidentView(
        record=record,
        pupil=pupil,
        categories=categories,
        subcategories=subcategories,
        agencies=agencies,
        linked_pupils=linked,
        body_map=body_map,
        attachments=[a for a in incident.attachments.all() if record.shows_attachment(a)],
        actions=[
            ActionView(a, [f for f in a.attachments.all() if record.shows_attachment(f)])
            for a in actions
        ],
        named_pupils=[incident.pupil, *(link.pupil for link in links)],
        shows_alert_recipients=record.is_main,
        # The alert row (for "… alerted you") is read only where the reader holds one: the
        # set of incidents they were alerted to is already known, so a chronology of many
        # incidents costs no query per row.
        unread_alert=alert_unread_for_incident(staff=actor.staff, incident=incident)
        if holds_unread_alert(actor, incident)
        else None,
    )
