"""Managing access levels (school admins): create, change, delete.

A level is read afresh on every request (``Actor.profile`` is built per request), so a change
takes effect on the next request of everyone holding the level; nothing here has to tell them.

Creating or changing a level decides who sees which records, so it needs an admin with key
access who passed the second factor and entered their password in the last few minutes;
deleting one (only possible when nobody holds it) needs any admin with the second factor.

Validation errors are keyed by the GraphQL input's field names (``name``, ``grants`` ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import (
    AccessLevel,
    AccessLevelGrant,
    Category,
    Staff,
    TutorGroup,
    YearGroup,
)
from safeguarding.services.audit import audit_change, audit_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.settings_rules import admin_validation_require

MAX_GROUP_IDS = 200
MAX_GRANTS = 200
FORBIDDEN = "Only school admins can change access levels."


@dataclass(frozen=True)
class GrantSpec:
    category_id: int
    can_view_pupils: bool = False
    can_view_incidents: bool = False
    can_add_incidents: bool = False


@dataclass(frozen=True)
class AccessLevelSpec:
    """What the form sends. ``None`` leaves a field as it is (on create: empty/false).

    ``grants`` lists only the categories it changes; others keep their grant."""

    name: str | None = None
    description: str | None = None
    is_dsl_team: bool | None = None
    year_group_ids: Sequence[int] | None = None
    tutor_group_ids: Sequence[int] | None = None
    grants: Sequence[GrantSpec] | None = None


def _grant_label(grant: AccessLevelGrant | GrantSpec | None) -> list[str]:
    if grant is None:
        return []
    labels = []
    if grant.can_view_pupils:
        labels.append("view pupils")
    if grant.can_view_incidents:
        labels.append("view incidents")
    if grant.can_add_incidents:
        labels.append("add incidents")
    return labels


def access_level_snapshot(level: AccessLevel) -> dict[str, Any]:
    """The level as the change history shows it: names rather than ids."""
    grants = {
        grant.category.name: _grant_label(grant)
        for grant in level.grants.select_related("category").order_by(
            "category__order", "category__name"
        )
    }
    return {
        "name": level.name,
        "description": level.description,
        "is_dsl_team": level.is_dsl_team,
        "year_groups": sorted(g.name for g in level.year_groups.all()),
        "tutor_groups": sorted(g.name for g in level.tutor_groups.all()),
        **{f"grants: {name}": labels for name, labels in grants.items()},
    }


def _validate(level: AccessLevel, spec: AccessLevelSpec) -> list[FieldError]:
    errors: list[FieldError] = []

    def add(field: str, message: str, code: str) -> None:
        errors.append(FieldError(field, code, message))

    if spec.name is not None:
        name = spec.name.strip()
        if not name:
            add("name", "Enter a name.", "required")
        elif len(name) > 80:
            add("name", "A name has at most 80 characters.", "max_length")
        elif AccessLevel.objects.filter(name__iexact=name).exclude(pk=level.pk or 0).exists():
            add("name", f"There is already an access level called {name}.", "unique")
    if spec.description is not None and len(spec.description.strip()) > 300:
        add("description", "A description has at most 300 characters.", "max_length")
    for field, ids, model in (
        ("yearGroupIds", spec.year_group_ids, YearGroup),
        ("tutorGroupIds", spec.tutor_group_ids, TutorGroup),
    ):
        if ids is None:
            continue
        if len(ids) > MAX_GROUP_IDS:
            add(field, f"Choose at most {MAX_GROUP_IDS}.", "too_many")
        elif model.objects.filter(pk__in=set(ids)).count() != len(set(ids)):
            add(field, "One of these groups no longer exists. Reload and try again.", "not_found")
    if spec.grants is not None:
        category_ids = [grant.category_id for grant in spec.grants]
        if len(category_ids) > MAX_GRANTS:
            add("grants", f"At most {MAX_GRANTS} categories.", "too_many")
        elif len(set(category_ids)) != len(category_ids):
            add("grants", "Each category may appear once.", "duplicate")
        elif Category.objects.filter(pk__in=category_ids).count() != len(category_ids):
            add("grants", "One of these categories no longer exists. Reload.", "not_found")
    return errors


def _apply(level: AccessLevel, spec: AccessLevelSpec) -> None:
    errors = _validate(level, spec)
    if errors:
        raise ServiceError(errors)
    if spec.name is not None:
        level.name = spec.name.strip()
    if spec.description is not None:
        level.description = spec.description.strip()
    if spec.is_dsl_team is not None:
        level.is_dsl_team = spec.is_dsl_team
    level.save()
    if spec.year_group_ids is not None:
        level.year_groups.set(sorted(set(spec.year_group_ids)))
    if spec.tutor_group_ids is not None:
        level.tutor_groups.set(sorted(set(spec.tutor_group_ids)))
    for grant in spec.grants or ():
        AccessLevelGrant.objects.update_or_create(
            access_level=level,
            category_id=grant.category_id,
            defaults={
                "can_view_pupils": grant.can_view_pupils,
                "can_view_incidents": grant.can_view_incidents,
                "can_add_incidents": grant.can_add_incidents,
            },
        )


def access_level_create(
    *, actor: Staff, request: HttpRequest | None, spec: AccessLevelSpec
) -> AccessLevel:
    admin_validation_require(actor, request, changes_key_access=True, forbidden_message=FORBIDDEN)
    if spec.name is None:
        raise ServiceError.one("name", "required", "Enter a name.")
    with transaction.atomic():
        level = AccessLevel()
        _apply(level, spec)
        audit_change(
            action="access_level.created",
            actor=actor,
            request=request,
            target=level,
            before={},
            after=access_level_snapshot(level),
        )
    return level


def _level_locked(access_level_id: int) -> AccessLevel:
    level = AccessLevel.objects.select_for_update().filter(pk=access_level_id).first()
    if level is None:
        raise ServiceError.one("", "not_found", "This access level no longer exists.")
    return level


def access_level_update(
    *, actor: Staff, request: HttpRequest | None, access_level_id: int, spec: AccessLevelSpec
) -> AccessLevel:
    """Rename or change a level; holders get the change on their next request."""
    admin_validation_require(actor, request, changes_key_access=True, forbidden_message=FORBIDDEN)
    with transaction.atomic():
        level = _level_locked(access_level_id)
        before = access_level_snapshot(level)
        _apply(level, spec)
        audit_change(
            action="access_level.updated",
            actor=actor,
            request=request,
            target=level,
            before=before,
            after=access_level_snapshot(level),
        )
    return level


def access_level_delete(*, actor: Staff, request: HttpRequest | None, access_level_id: int) -> None:
    """Delete a level nobody holds (deactivated staff count: they keep their level)."""
    admin_validation_require(actor, request, forbidden_message=FORBIDDEN)
    with transaction.atomic():
        level = _level_locked(access_level_id)
        holders = Staff.objects.filter(access_level=level).count()
        if holders:
            people = "member of staff holds" if holders == 1 else "members of staff hold"
            raise ServiceError.one(
                "",
                "in_use",
                f"{holders} {people} {level.name}. Give them another access level first.",
            )
        before = access_level_snapshot(level)
        audit_record(
            action="access_level.deleted",
            actor=actor,
            request=request,
            target=level,
            detail={"changes": {field: [value, None] for field, value in before.items()}},
        )
        level.delete()
