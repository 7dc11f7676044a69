"""School admins' changes to the agencies offered as "Agency Involved".

An agency is in use when an incident or an action records it; then it can only be
deactivated (no longer offered, still shown on those records), never deleted.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import Action, Agency, Incident, Staff
from safeguarding.services.audit import audit_change
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.settings_rules import (
    active_set,
    admin_require,
    name_clean,
    name_race_guard,
    not_found,
)

NAME_MAX = 120


def agency_in_use(agency: Agency) -> bool:
    return (
        Incident.agencies.through.objects.filter(agency=agency).exists()
        or Action.agencies.through.objects.filter(agency=agency).exists()
    )


def _facts(agency: Agency) -> dict[str, object]:
    return {"name": agency.name, "is_active": agency.is_active}


def _locked(agency_id: int) -> Agency:
    agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
    if agency is None:
        raise not_found("agency")
    return agency


def agency_create(*, actor: Staff | None, request: HttpRequest | None = None, name: str) -> Agency:
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        clean = name_clean(
            name,
            field="name",
            noun="agency",
            max_length=NAME_MAX,
            taken_in=Agency.objects.all(),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        with name_race_guard("agency"):
            agency = Agency.objects.create(name=clean)
        audit_change(
            action="agency.created",
            actor=admin,
            request=request,
            target=agency,
            before={},
            after=_facts(agency),
        )
    return agency


def agency_update(
    *, actor: Staff | None, request: HttpRequest | None = None, agency_id: int, name: str
) -> Agency:
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        agency = _locked(agency_id)
        before = _facts(agency)
        agency.name = name_clean(
            name,
            field="name",
            noun="agency",
            max_length=NAME_MAX,
            taken_in=Agency.objects.exclude(pk=agency.pk),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        with name_race_guard("agency"):
            agency.save(update_fields=["name"])
        audit_change(
            action="agency.updated",
            actor=admin,
            request=request,
            target=agency,
            before=before,
            after=_facts(agency),
        )
    return agency


def agency_set_active(
    *, actor: Staff | None, request: HttpRequest | None = None, agency_id: int, active: bool
) -> Agency:
    admin = admin_require(actor, request)
    with transaction.atomic():
        return active_set(
            admin=admin,
            request=request,
            item=_locked(agency_id),
            active=active,
            noun="agency",
            facts=_facts,
        )


def agency_delete(
    *, actor: Staff | None, request: HttpRequest | None = None, agency_id: int
) -> None:
    admin = admin_require(actor, request)
    with transaction.atomic():
        agency = _locked(agency_id)
        if agency_in_use(agency):
            raise ServiceError.one(
                "id",
                "in_use",
                f"“{agency.name}” is recorded on incidents or actions, so it cannot be deleted. "
                "Deactivate it instead: it will no longer be offered.",
            )
        audit_change(
            action="agency.deleted",
            actor=admin,
            request=request,
            target=agency,
            before=_facts(agency),
            after={"name": None},
        )
        agency.delete()
