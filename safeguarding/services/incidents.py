"""Adding and reading incidents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import (
    Agency,
    BodyMapMarker,
    Category,
    Incident,
    IncidentLink,
    Pupil,
    Subcategory,
)
from safeguarding.permissions import Actor, CategoryFacts, addable_category_ids
from safeguarding.selectors.incidents import IncidentView, incident_get_visible, incident_view
from safeguarding.services.alerts import alert_recipients_resolve, alerts_create
from safeguarding.services.attachments import attachments_claim
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import FieldError, ServiceError

MAX_TEXT = 50_000
MAX_LINKS = 30
MAX_MARKERS = 50
# Clocks differ a little between a laptop and the server; more than this is a mistake.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class LinkSpec:
    pupil_id: int | None
    category_ids: list[int] | None = None  # None: the incident's categories
    share_documents: bool = False


@dataclass(frozen=True)
class MarkerSpec:
    side: str
    x: float
    y: float
    number: int
    note: str = ""


@dataclass
class IncidentSpec:
    pupil_id: int | None
    text: str
    category_ids: list[int]
    subcategory_ids: list[int] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    markers: list[MarkerSpec] = field(default_factory=list)
    occurred_at: datetime.datetime | None = None
    alert_staff_ids: list[int] = field(default_factory=list)
    alert_group_ids: list[int] = field(default_factory=list)
    attachment_ids: list[int] = field(default_factory=list)


def occurred_at_check(value: datetime.datetime | None, errors: list[FieldError]) -> None:
    if value is not None and value > timezone.now() + FUTURE_TOLERANCE:
        errors.append(FieldError("occurredAt", "in_future", "The date and time is in the future."))


def _no_longer_in_use(field_name: str, noun: str, names: list[str]) -> FieldError:
    # Deactivated in Settings while the form was open: say so, so the person can choose again.
    return FieldError(
        field_name,
        "inactive",
        f"{', '.join(f'“{name}”' for name in names)} "
        f"{'is' if len(names) == 1 else 'are'} no longer in use; choose another {noun}.",
    )


def agencies_resolve(ids: list[int], errors: list[FieldError]) -> list[Agency]:
    agencies = list(Agency.objects.filter(pk__in=set(ids)))
    if len(agencies) != len(set(ids)):
        errors.append(FieldError("agencyIds", "not_found", "An agency was not found."))
    inactive = [a.name for a in agencies if not a.is_active]
    if inactive:
        errors.append(_no_longer_in_use("agencyIds", "agency", inactive))
    return [a for a in agencies if a.is_active]


def _categories_resolve(
    actor: Actor, ids: list[int], field_name: str, errors: list[FieldError]
) -> list[Category]:
    categories = list(Category.objects.filter(pk__in=set(ids)))
    allowed = addable_category_ids(actor.profile, [CategoryFacts.of(c) for c in categories])
    # A category the person may not use is reported exactly like one that does not exist.
    if len(categories) != len(set(ids)) or len(allowed) != len(categories):
        errors.append(FieldError(field_name, "not_found", "A category was not found."))
    inactive = [c.name for c in categories if c.pk in allowed and not c.is_active]
    if inactive:
        errors.append(_no_longer_in_use(field_name, "category", inactive))
    return [c for c in categories if c.pk in allowed and c.is_active]


def _markers_check(markers: list[MarkerSpec], errors: list[FieldError]) -> None:
    numbers = [m.number for m in markers]
    if len(markers) > MAX_MARKERS:
        errors.append(
            FieldError("bodyMap", "too_many", f"At most {MAX_MARKERS} markers can be placed.")
        )
    if len(set(numbers)) != len(numbers):
        errors.append(FieldError("bodyMap", "duplicate", "Each marker needs its own number."))
    for marker in markers:
        if marker.side not in BodyMapMarker.Side.values:
            errors.append(FieldError("bodyMap", "invalid", "A marker is on the front or back."))
        if not (0 <= marker.x <= 1 and 0 <= marker.y <= 1) or marker.number < 1:
            errors.append(FieldError("bodyMap", "invalid", "A marker is outside the body map."))
        if len(marker.note) > 200:
            errors.append(
                FieldError("bodyMap", "too_long", "A marker note is at most 200 characters.")
            )


def incident_create(
    *, actor: Actor, spec: IncidentSpec, request: HttpRequest | None = None
) -> Incident:
    """Log an incident with its links, body map, attachments and alerts, all or nothing.

    Every expected problem with the input is collected and raised together as a
    ``ServiceError`` before anything is written.
    """
    errors: list[FieldError] = []
    text = spec.text.strip()
    if not text:
        errors.append(FieldError("text", "required", "Describe the incident."))
    elif len(text) > MAX_TEXT:
        errors.append(FieldError("text", "too_long", f"At most {MAX_TEXT} characters."))
    pupil = Pupil.objects.filter(pk=spec.pupil_id).first() if spec.pupil_id is not None else None
    if pupil is None:
        errors.append(FieldError("studentId", "not_found", "Choose a student."))
    if not spec.category_ids:
        errors.append(FieldError("categoryIds", "required", "Choose at least one category."))
        categories: list[Category] = []
    else:
        categories = _categories_resolve(actor, spec.category_ids, "categoryIds", errors)
    subcategories = list(Subcategory.objects.filter(pk__in=set(spec.subcategory_ids)))
    chosen = {c.pk for c in categories}
    if len(subcategories) != len(set(spec.subcategory_ids)) or any(
        s.category_id not in chosen for s in subcategories
    ):
        errors.append(
            FieldError(
                "subcategoryIds",
                "not_in_category",
                "A subcategory must belong to one of the chosen categories.",
            )
        )
    inactive_subcategories = [s.name for s in subcategories if not s.is_active]
    if inactive_subcategories:
        errors.append(_no_longer_in_use("subcategoryIds", "subcategory", inactive_subcategories))
    agencies = agencies_resolve(spec.agency_ids, errors)
    occurred_at_check(spec.occurred_at, errors)
    _markers_check(spec.markers, errors)

    if len(spec.links) > MAX_LINKS:
        errors.append(
            FieldError("linkedStudents", "too_many", f"At most {MAX_LINKS} linked students.")
        )
    link_ids = [link.pupil_id for link in spec.links]
    linked = {p.pk: p for p in Pupil.objects.filter(pk__in={i for i in link_ids if i})}
    missing = [n for n, i in enumerate(link_ids) if i is None or i not in linked]
    if missing:
        errors.append(
            FieldError(
                f"linkedStudents.{missing[0]}.studentId",
                "not_found",
                "A linked student was not found.",
            )
        )
    if len(set(link_ids)) != len(link_ids) or (pupil is not None and pupil.pk in link_ids):
        errors.append(FieldError("linkedStudents", "duplicate", "Link each other student once."))
    link_categories: list[list[Category]] = []
    for n, link in enumerate(spec.links):
        # Reported against the input's own path, e.g. linkedStudents.0.categoryIds.
        link_field = f"linkedStudents.{n}.categoryIds"
        if link.category_ids is None:
            link_categories.append(categories)
        elif not link.category_ids:
            errors.append(
                FieldError(link_field, "required", "A linked student needs at least one category.")
            )
        else:
            link_categories.append(
                _categories_resolve(actor, link.category_ids, link_field, errors)
            )

    recipient_ids, recipient_errors = alert_recipients_resolve(
        staff_ids=spec.alert_staff_ids, group_ids=spec.alert_group_ids
    )
    errors.extend(recipient_errors)
    if errors:
        raise ServiceError(errors)
    assert pupil is not None

    with transaction.atomic():
        attachments = attachments_claim(actor=actor, attachment_ids=spec.attachment_ids)
        incident = Incident.objects.create(
            pupil=pupil,
            author=actor.staff,
            text=text,
            occurred_at=spec.occurred_at or timezone.now(),
        )
        incident.categories.set(categories)
        incident.subcategories.set(subcategories)
        incident.agencies.set(agencies)
        for link_spec, cats in zip(spec.links, link_categories, strict=True):
            assert link_spec.pupil_id is not None
            link_row = IncidentLink.objects.create(
                incident=incident,
                pupil=linked[link_spec.pupil_id],
                share_documents=link_spec.share_documents,
            )
            link_row.categories.set(cats)
        BodyMapMarker.objects.bulk_create(
            BodyMapMarker(
                incident=incident,
                side=m.side,
                x=m.x,
                y=m.y,
                number=m.number,
                note=m.note.strip(),
            )
            for m in spec.markers
        )
        for attachment in attachments:
            attachment.incident = incident
            attachment.save(update_fields=["incident"])
        alerts = alerts_create(
            actor=actor, incident=incident, action=None, recipient_ids=recipient_ids
        )
        audit_record(
            action="incident.create",
            actor=actor.staff,
            request=request,
            target=incident,
            detail={"pupil": pupil.pk, "alerts": len(alerts)},
        )
    return incident


def incident_read(
    *, actor: Actor, incident_id: int, request: HttpRequest | None = None
) -> IncidentView | None:
    """Open an incident as this person may see it (the main record or a linked pupil's copy):
    the read is audited, with which record was shown. None when missing or not allowed, alike."""
    incident = incident_get_visible(actor=actor, incident_id=incident_id)
    view = incident_view(actor=actor, incident=incident) if incident is not None else None
    if view is None:
        return None
    detail = {} if view.record.link is None else {"linked_pupil": view.pupil.pk}
    with transaction.atomic():
        audit_record(
            action="incident.read",
            actor=actor.staff,
            request=request,
            target=view.incident,
            detail=detail,
        )
    return view
