"""Signing in and out, and re-authentication before sensitive account changes.

Every password check goes through ``django.contrib.auth.authenticate(request=...)`` so
django-axes counts failures and locks out an account and address on every path (sign-in,
re-authentication, password change). Answers never reveal whether an e-mail address belongs
to an account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safeguarding.models import Staff, StaffSession
from safeguarding.permissions import SessionAssurance
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.staff_sessions import SESSION_ID_KEY

REAUTHENTICATED_AT_KEY = "haven_reauthenticated_at"

INVALID_CREDENTIALS = "The e-mail address or password is incorrect."


def _locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many unsuccessful attempts. Please wait {minutes} minutes before trying again, "
        "or reset your password."
    )


REAUTHENTICATION_REQUIRED = "Please enter your password again to continue."


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """django-axes' key for the account: the e-mail as typed, case-insensitively."""
    value = (credentials or {}).get("username")
    return value.strip().lower() if isinstance(value, str) else None


def axes_lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """GraphQL already answered a lockout with a typed error; any other path gets a 429."""
    if original_response is not None and request.path == "/graphql":
        return original_response
    return HttpResponse(_locked_out_message(), status=429, content_type="text/plain; charset=utf-8")


def password_check(*, request: HttpRequest, email: str, password: str) -> Staff | None:
    """The active account these credentials open, or None. Raises when locked out."""
    user = authenticate(request, username=email, password=password)
    if getattr(request, "axes_locked_out", False):
        raise ServiceError.one("", "locked_out", _locked_out_message())
    return user if isinstance(user, Staff) else None


def staff_login(*, request: HttpRequest, email: str, password: str) -> Staff:
    """Sign in with e-mail and password. The session gets a new key; a key holder still has
    to pass the second factor before key access is effective."""
    email = email.strip().lower()
    try:
        staff = password_check(request=request, email=email, password=password)
    except ServiceError:
        with transaction.atomic():
            audit_record(
                action="login.locked_out",
                actor=Staff.objects.filter(email=email).first(),
                actor_label=email,
                request=request,
            )
        raise
    if staff is None:
        with transaction.atomic():
            audit_record(
                action="login.failed",
                actor=Staff.objects.filter(email=email).first(),
                actor_label=email,
                request=request,
            )
        raise ServiceError.one("", "invalid_credentials", INVALID_CREDENTIALS)
    with transaction.atomic():
        previous = request.session.pop(SESSION_ID_KEY, None)
        if previous:
            StaffSession.objects.filter(pk=previous).delete()
        # login() cycles the session key, so a planted session id is worthless; its
        # user_logged_in signal indexes the new session (staff_signed_in_index).
        auth_login(request, staff, backend="django.contrib.auth.backends.ModelBackend")
        request.session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()
        audit_record(action="login.succeeded", actor=staff, request=request)
    return staff


def staff_logout(*, request: HttpRequest, actor: Staff) -> None:
    with transaction.atomic():
        session_id = request.session.get(SESSION_ID_KEY)
        if session_id:
            StaffSession.objects.filter(pk=session_id, staff=actor).delete()
        audit_record(action="logout", actor=actor, request=request)
    auth_logout(request)


def staff_reauthenticate(*, request: HttpRequest, actor: Staff, password: str) -> None:
    """Confirm the signed-in person's password; opens a short window for account changes."""
    try:
        staff = password_check(request=request, email=actor.email, password=password)
    except ServiceError as error:
        raise ServiceError(
            [FieldError("password", e.code, e.message) for e in error.errors]
        ) from error
    with transaction.atomic():
        if staff is None or staff.pk != actor.pk:
            audit_record(action="reauthentication.failed", actor=actor, request=request)
            failed = True
        else:
            request.session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()
            audit_record(action="reauthentication.succeeded", actor=actor, request=request)
            failed = False
    if failed:
        raise ServiceError.one("password", "invalid_password", "The password is incorrect.")


def reauthentication_is_recent(request: HttpRequest) -> bool:
    at = request.session.get(REAUTHENTICATED_AT_KEY)
    if not isinstance(at, int | float):
        return False
    age = timezone.now().timestamp() - at
    return 0 <= age <= settings.HAVEN_REAUTHENTICATION_SECONDS


def reauthentication_require(request: HttpRequest) -> None:
    """Refuse an account change unless the password was entered in the last few minutes."""
    if not reauthentication_is_recent(request):
        raise ServiceError.one("", "reauthentication_required", REAUTHENTICATION_REQUIRED)


def reauthentication_record(request: HttpRequest) -> None:
    """Entering the current password (e.g. to change it) counts as re-authenticating."""
    request.session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()


def session_second_factor_passed(request: HttpRequest | None) -> bool:
    """Whether this session passed the second factor (django-otp's ``is_verified``)."""
    is_verified = getattr(getattr(request, "user", None), "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def session_assurance(request: HttpRequest | None) -> SessionAssurance:
    """What the request's session proved; nothing at all without a request (no session)."""
    if request is None or not hasattr(request, "session"):
        return SessionAssurance()
    return SessionAssurance(
        second_factor_passed=session_second_factor_passed(request),
        recently_reauthenticated=reauthentication_is_recent(request),
    )
