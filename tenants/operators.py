"""Operator accounts: creation, sign-in with password and TOTP, and the platform audit log."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.util import random_hex
from django_ratelimit.core import is_ratelimited

from tenants.models import Operator, PlatformAuditEvent
from tenants.network import client_address

SESSION_KEY = "haven_operator_id"
# When the operator signed in and when they were last seen (POSIX seconds), for the idle and
# absolute limits of an operator session.
SIGNED_IN_AT_KEY = "haven_operator_signed_in_at"
SEEN_AT_KEY = "haven_operator_seen_at"
# A dummy hash checked for unknown e-mails, so they take as long as real ones.
_UNKNOWN_OPERATOR_HASH = make_password("unknown-operator-password-never-matches")


def platform_audit_record(
    *,
    action: str,
    request: HttpRequest | None,
    operator: Operator | None = None,
    actor_label: str = "",
    school_subdomain: str = "",
    detail: dict[str, Any] | None = None,
) -> PlatformAuditEvent:
    return PlatformAuditEvent.objects.create(
        action=action,
        operator=operator,
        actor_label=(actor_label or (f"{operator.name} <{operator.email}>" if operator else ""))[
            :300
        ],
        school_subdomain=school_subdomain,
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:500],
        detail=detail or {},
    )


def totp_uri(operator: Operator) -> str:
    """otpauth:// URI for an authenticator app."""
    secret = base64.b32encode(binascii.unhexlify(operator.totp_key)).decode().rstrip("=")
    label = quote(f"Haven platform:{operator.email}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote('Haven platform')}&digits=6"


@transaction.atomic
def operator_create(*, email: str, name: str, password: str) -> Operator:
    """Create an operator; the TOTP secret is created with the account (2FA is mandatory)."""
    operator = Operator(email=email.strip().lower(), name=name.strip(), totp_key=random_hex(20))
    validate_password(password)
    operator.password = make_password(password)
    operator.full_clean()
    operator.save()
    platform_audit_record(action="operator.created", request=None, operator=operator)
    return operator


def _totp_accepts(operator: Operator, code: str) -> bool:
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return False
    totp = TOTP(binascii.unhexlify(operator.totp_key))
    # Codes from the previous or next 30 s step are accepted (clock skew), each only once.
    if totp.verify(int(code), tolerance=1, min_t=operator.totp_last_t + 1):
        operator.totp_last_t = totp.t()
        return True
    return False


class SignInRefusedError(Exception):
    """One message for every reason, so the answer never says which part was wrong."""

    message = "Those details are not right, or too many attempts were made. Try again later."


def operator_sign_in(*, request: HttpRequest, email: str, password: str, code: str) -> Operator:
    """Sign an operator in with password and TOTP code; raises SignInRefusedError otherwise."""
    email = email.strip().lower()
    limited = is_ratelimited(
        request,
        group="operator-sign-in",
        key=lambda group, req: f"{client_address(req)}:{email}",
        rate=settings.HAVEN_OPERATOR_SIGN_IN_RATE,
        increment=True,
    )
    with transaction.atomic():
        operator = Operator.objects.select_for_update().filter(email=email, is_active=True).first()
        password_ok = check_password(
            password, operator.password if operator else _UNKNOWN_OPERATOR_HASH
        )
        accepted = (
            not limited and operator is not None and password_ok and _totp_accepts(operator, code)
        )
        if accepted and operator is not None:
            operator.last_login = timezone.now()
            operator.save(update_fields=["last_login", "totp_last_t"])
            request.session.cycle_key()  # a new session id at every sign-in
            request.session[SESSION_KEY] = operator.pk
            now = timezone.now().timestamp()
            request.session[SIGNED_IN_AT_KEY] = now
            request.session[SEEN_AT_KEY] = now
            platform_audit_record(action="operator.signed_in", request=request, operator=operator)
            return operator
    # Outside the transaction: the failure is recorded even though nothing else is written.
    platform_audit_record(
        action="operator.sign_in_locked" if limited else "operator.sign_in_failed",
        request=request,
        actor_label=email,
    )
    raise SignInRefusedError


def _session_expiry(request: HttpRequest, now: float) -> str | None:
    """Why this operator session has ended ("idle" or "absolute"), or None while it lasts.

    A session without its timestamps (made before they were kept) counts as ended.
    """
    signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
    seen_at = request.session.get(SEEN_AT_KEY)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return "absolute"
    if now - signed_in_at > settings.HAVEN_OPERATOR_ABSOLUTE_MINUTES * 60:
        return "absolute"
    if now - seen_at > settings.HAVEN_OPERATOR_IDLE_MINUTES * 60:
        return "idle"
    return None


def operator_from_session(request: HttpRequest) -> Operator | None:
    """The signed-in operator, or None. An operator session ends after
    ``HAVEN_OPERATOR_IDLE_MINUTES`` without a request and ``HAVEN_OPERATOR_ABSOLUTE_MINUTES``
    after sign-in however active: the platform's keys should not sit in an unattended browser.
    """
    operator_id = request.session.get(SESSION_KEY)
    if operator_id is None:
        return None
    now = timezone.now().timestamp()
    expired = _session_expiry(request, now)
    if expired is not None:
        platform_audit_record(
            action="operator.session_expired",
            request=request,
            operator=Operator.objects.filter(pk=operator_id).first(),
            detail={"reason": expired},
        )
        request.session.flush()
        return None
    operator = Operator.objects.filter(pk=operator_id, is_active=True).first()
    if operator is not None:
        request.session[SEEN_AT_KEY] = now
    return operator


def operator_sign_out(*, request: HttpRequest, operator: Operator | None) -> None:
    if operator is not None:
        platform_audit_record(action="operator.signed_out", request=request, operator=operator)
    request.session.flush()
