"""Managing staff accounts (school admins): invite, change, deactivate, reactivate.

Who may: any school admin whose session passed the second factor; but inviting or changing
someone into key access, an access level or admin rights, changing an e-mail address (the
way into an account) and reactivating a key holder or admin need an admin with key access
who has also entered their password in the last few minutes (permissions.admin_refusal).

The rule that keeps a school manageable: there is always at least one active school admin
with key access. Every change that could break it locks all such admins' rows first (in id
order, so two changes wait for each other rather than deadlock) and counts again, so two
admins demoting each other at the same moment cannot both succeed.

Validation errors are keyed by the GraphQL input's field names (``email``, ``isKeyHolder``...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from notifications.services.deliveries import invitation_email_queue
from safeguarding.models import AccessLevel, AlertGroup, Staff
from safeguarding.permissions import (
    staff_change_touches_key_access,
    staff_reactivation_touches_key_access,
)
from safeguarding.services.api_clients import api_clients_revoke_for_creator
from safeguarding.services.audit import audit_change, audit_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.password_resets import password_reset_link
from safeguarding.services.settings_rules import admin_validation_require
from safeguarding.services.staff_sessions import staff_sessions_end_all

FORBIDDEN = "Only school admins can manage staff."
LAST_ADMIN = (
    "Haven needs at least one active school admin with key access. Make someone else an "
    "admin with key access first."
)
MAX_ALERT_GROUPS = 200


@dataclass(frozen=True)
class StaffSpec:
    """What the form sends; ``None`` leaves a field as it is."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    # ``access_level_set`` distinguishes "no access level" (None) from "unchanged".
    access_level_id: int | None = None
    access_level_set: bool = False
    is_key_holder: bool | None = None
    is_school_admin: bool | None = None
    alert_group_ids: Sequence[int] | None = None


def staff_snapshot(staff: Staff) -> dict[str, Any]:
    """The account as the change history shows it."""
    return {
        "email": staff.email,
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "job_title": staff.job_title,
        "access_level": staff.access_level.name if staff.access_level_id else None,  # type: ignore[union-attr]
        "is_key_holder": staff.is_key_holder,
        "is_school_admin": staff.is_school_admin,
        "is_active": staff.is_active,
        "alert_groups": sorted(group.name for group in staff.alert_groups.all()),
    }


def _touches_key_access(staff: Staff | None, spec: StaffSpec) -> bool:
    return staff_change_touches_key_access(
        staff,
        email=spec.email,
        access_level_id=spec.access_level_id,
        access_level_set=spec.access_level_set,
        is_key_holder=spec.is_key_holder,
        is_school_admin=spec.is_school_admin,
    )


def _admin_require(
    actor: Staff, request: HttpRequest | None, *, changes_key_access: bool = False
) -> None:
    admin_validation_require(
        actor, request, changes_key_access=changes_key_access, forbidden_message=FORBIDDEN
    )


def _qualifies(staff: Staff) -> bool:
    return staff.is_active and staff.is_school_admin and staff.is_key_holder


def _admins_locked() -> list[int]:
    """Lock every active admin with key access, in id order; call before locking anyone else
    so that concurrent changes queue up here instead of deadlocking."""
    return list(
        Staff.objects.select_for_update()
        .filter(is_active=True, is_school_admin=True, is_key_holder=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _keep_one_admin(
    *, qualifying: list[int], staff: Staff, after: Staff, field: str | None
) -> None:
    """Refuse when ``staff`` is an admin with key access and ``after`` (the same account as it
    would be) is not, unless another active admin with key access remains."""
    others = [pk for pk in qualifying if pk != staff.pk]
    if staff.pk in qualifying and not _qualifies(after) and not others:
        raise ServiceError.one(field or "", "last_admin", LAST_ADMIN)


def _staff_locked(staff_id: int) -> Staff:
    staff = (
        Staff.objects.select_for_update(of=("self",))
        .select_related("access_level")
        .filter(pk=staff_id)
        .first()
    )
    if staff is None:
        raise ServiceError.one("", "not_found", "This member of staff no longer exists.")
    return staff


def _validate(staff: Staff, spec: StaffSpec) -> list[FieldError]:
    errors: list[FieldError] = []

    def add(field: str, message: str, code: str) -> None:
        errors.append(FieldError(field, code, message))

    if spec.email is not None:
        email = spec.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            add("email", "Enter an e-mail address like name@school.org.uk.", "invalid")
        else:
            if Staff.objects.filter(email__iexact=email).exclude(pk=staff.pk or 0).exists():
                add("email", "Another member of staff already has this e-mail address.", "unique")
    for field, value, limit in (
        ("firstName", spec.first_name, 100),
        ("lastName", spec.last_name, 100),
    ):
        if value is None:
            continue
        if not value.strip():
            add(field, "Enter a name.", "required")
        elif len(value.strip()) > limit:
            add(field, f"At most {limit} characters.", "max_length")
    if spec.job_title is not None and len(spec.job_title.strip()) > 150:
        add("jobTitle", "At most 150 characters.", "max_length")
    if (
        spec.access_level_set
        and spec.access_level_id is not None
        and not AccessLevel.objects.filter(pk=spec.access_level_id).exists()
    ):
        add("accessLevelId", "This access level no longer exists. Reload.", "not_found")
    if spec.alert_group_ids is not None:
        ids = set(spec.alert_group_ids)
        if len(ids) > MAX_ALERT_GROUPS:
            add("alertGroupIds", f"Choose at most {MAX_ALERT_GROUPS}.", "too_many")
        elif AlertGroup.objects.filter(pk__in=ids).count() != len(ids):
            add("alertGroupIds", "One of these alert groups no longer exists. Reload.", "not_found")
    return errors


def _apply(staff: Staff, spec: StaffSpec) -> None:
    if spec.email is not None:
        staff.email = spec.email.strip().lower()
    if spec.first_name is not None:
        staff.first_name = spec.first_name.strip()
    if spec.last_name is not None:
        staff.last_name = spec.last_name.strip()
    if spec.job_title is not None:
        staff.job_title = spec.job_title.strip()
    if spec.access_level_set:
        staff.access_level_id = spec.access_level_id
    if spec.is_key_holder is not None:
        staff.is_key_holder = spec.is_key_holder
    if spec.is_school_admin is not None:
        staff.is_school_admin = spec.is_school_admin


def staff_invite(*, actor: Staff, request: HttpRequest | None, spec: StaffSpec) -> Staff:
    """Create the account with no usable password and e-mail the first-time link (through
    the outbox, so the e-mail exists exactly when the account does)."""
    _admin_require(actor, request, changes_key_access=_touches_key_access(None, spec))
    staff = Staff()
    errors = _validate(staff, spec)
    for field, value in (
        ("email", spec.email),
        ("firstName", spec.first_name),
        ("lastName", spec.last_name),
    ):
        if not (value or "").strip() and all(e.field != field for e in errors):
            errors.append(FieldError(field, "required", "This is required."))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        _apply(staff, spec)
        staff.set_unusable_password()
        staff.save()
        if spec.alert_group_ids is not None:
            staff.alert_groups.set(sorted(set(spec.alert_group_ids)))
        audit_change(
            action="staff.invited",
            actor=actor,
            request=request,
            target=staff,
            before={},
            after=staff_snapshot(staff),
        )
        invitation_email_queue(staff=staff, link=password_reset_link(staff=staff))
    return staff


def staff_update(
    *, actor: Staff, request: HttpRequest | None, staff_id: int, spec: StaffSpec
) -> Staff:
    _admin_require(actor, request)
    with transaction.atomic():
        qualifying = _admins_locked()
        staff = _staff_locked(staff_id)
        # Decided on the locked row: what the change does depends on the account as it is.
        _admin_require(actor, request, changes_key_access=_touches_key_access(staff, spec))
        errors = _validate(staff, spec)
        if errors:
            raise ServiceError(errors)
        before = staff_snapshot(staff)
        after = Staff(
            is_active=staff.is_active,
            is_school_admin=staff.is_school_admin,
            is_key_holder=staff.is_key_holder,
        )
        _apply(
            after, StaffSpec(is_key_holder=spec.is_key_holder, is_school_admin=spec.is_school_admin)
        )
        losing_admin = spec.is_school_admin is False and staff.is_school_admin
        _keep_one_admin(
            qualifying=qualifying,
            staff=staff,
            after=after,
            field="isSchoolAdmin" if losing_admin else "isKeyHolder",
        )
        _apply(staff, spec)
        staff.save()
        if spec.alert_group_ids is not None:
            staff.alert_groups.set(sorted(set(spec.alert_group_ids)))
        staff.refresh_from_db(fields=["access_level"])
        audit_change(
            action="staff.updated",
            actor=actor,
            request=request,
            target=staff,
            before=before,
            after=staff_snapshot(staff),
        )
    return staff


def staff_deactivate(*, actor: Staff, request: HttpRequest | None, staff_id: int) -> Staff:
    """They cannot sign in and every session of theirs ends now; their records, and their
    name on them, stay."""
    _admin_require(actor, request)
    with transaction.atomic():
        qualifying = _admins_locked()
        staff = _staff_locked(staff_id)
        if not staff.is_active:
            return staff
        after = Staff(is_active=False, is_school_admin=staff.is_school_admin)
        _keep_one_admin(qualifying=qualifying, staff=staff, after=after, field=None)
        before = staff_snapshot(staff)
        staff_sessions_end_all(
            staff=staff, reason="account_deactivated", actor=actor, request=request
        )
        # Tokens speak for the admin who made them: they end with the account.
        api_clients_revoke_for_creator(
            creator=staff, actor=actor, reason="creator_deactivated", request=request
        )
        staff.is_active = False
        staff.save(update_fields=["is_active"])
        audit_change(
            action="staff.deactivated",
            actor=actor,
            request=request,
            target=staff,
            before=before,
            after=staff_snapshot(staff),
        )
    return staff


def staff_reactivate(*, actor: Staff, request: HttpRequest | None, staff_id: int) -> Staff:
    """Let them sign in again; for a key holder or an admin that gives back their access,
    so it needs what granting it needs."""
    _admin_require(actor, request)
    with transaction.atomic():
        staff = _staff_locked(staff_id)
        if staff.is_active:
            return staff
        _admin_require(
            actor, request, changes_key_access=staff_reactivation_touches_key_access(staff)
        )
        before = staff_snapshot(staff)
        staff.is_active = True
        staff.save(update_fields=["is_active"])
        audit_change(
            action="staff.reactivated",
            actor=actor,
            request=request,
            target=staff,
            before=before,
            after=staff_snapshot(staff),
        )
    return staff


def staff_invitation_resend(*, actor: Staff, request: HttpRequest | None, staff_id: int) -> Staff:
    """A new first-time link, for someone who has not set a password yet."""
    _admin_require(actor, request)
    with transaction.atomic():
        staff = _staff_locked(staff_id)
        if not staff.is_active:
            raise ServiceError.one(
                "", "inactive", "Reactivate this member of staff before sending an invitation."
            )
        if staff.has_usable_password():
            raise ServiceError.one(
                "",
                "already_accepted",
                f"{staff.full_name} has already set a password. If they have forgotten it, "
                "they can use “Forgotten your password?” on the sign-in page.",
            )
        audit_record(action="staff.invitation_resent", actor=actor, request=request, target=staff)
        invitation_email_queue(staff=staff, link=password_reset_link(staff=staff))
    return staff
