"""Changing one's own password (Account Settings)."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import Staff
from safeguarding.services.audit import audit_record
from safeguarding.services.authentication import password_check, reauthentication_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.staff_sessions import staff_session_key_sync, staff_sessions_end_all


def password_validate(*, password: str, staff: Staff, field: str = "newPassword") -> None:
    """Apply the password rules, reporting problems against ``field``."""
    try:
        validate_password(password, user=staff)
    except ValidationError as error:
        raise ServiceError.from_validation(error, field=field) from error


def password_change(
    *, request: HttpRequest, actor: Staff, current_password: str, new_password: str
) -> None:
    """Entering the current password is the re-authentication this change requires (ASVS
    6.2.3). Every other session of the person ends; this one stays signed in."""
    try:
        confirmed = password_check(request=request, email=actor.email, password=current_password)
    except ServiceError as error:
        raise ServiceError(
            [FieldError("currentPassword", e.code, e.message) for e in error.errors]
        ) from error
    if confirmed is None or confirmed.pk != actor.pk:
        with transaction.atomic():
            audit_record(action="reauthentication.failed", actor=actor, request=request)
        raise ServiceError.one(
            "currentPassword", "invalid_password", "Your current password is incorrect."
        )
    reauthentication_record(request)
    password_validate(password=new_password, staff=actor)
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_record(action="password.changed", actor=actor, request=request)
        staff_sessions_end_all(
            staff=actor,
            reason="password_changed",
            actor=actor,
            request=request,
            keep_session_key=request.session.session_key,
        )
    # The session hash follows the password; without this the current session would end too.
    # It also cycles the session key, which the session index has to follow.
    update_session_auth_hash(request, actor)
    staff_session_key_sync(request=request)
