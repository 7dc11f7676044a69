"""First-time and forgotten passwords: an e-mailed, single-use, expiring link.

Tokens come from Django's ``PasswordResetTokenGenerator``: they sign the password hash and
last sign-in, so a link stops working once used (or once the person signs in), and expire
after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_ratelimit.core import is_ratelimited

from notifications.services.deliveries import password_reset_email_queue
from safeguarding.models import Staff
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import ServiceError
from safeguarding.services.passwords import password_validate
from safeguarding.services.staff_sessions import staff_sessions_end_all
from tenants.network import client_address
from tenants.schools import school_url

INVALID_LINK = "This link has expired or has already been used. Please ask for a new one."


def password_reset_link(*, staff: Staff) -> str:
    """The link for the school's host, built from settings: the request's Host header never
    decides where a password link points."""
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    token = default_token_generator.make_token(staff)
    subdomain = str(getattr(connection, "schema_name", ""))
    return school_url(subdomain, f"/set-password/{uid}/{token}")


def _throttled(*, request: HttpRequest, email: str) -> bool:
    """Count this request per e-mail address and per client address (django-ratelimit, in
    the shared cache, so every web process counts together; keys carry the school's schema).

    Both are counted whatever the outcome, so probing addresses costs the same as asking.
    """
    by_email = is_ratelimited(
        request,
        group="haven.password-reset.email",
        key=lambda group, req: email,
        rate=settings.HAVEN_PASSWORD_RESET_RATE,
        increment=True,
    )
    by_address = is_ratelimited(
        request,
        group="haven.password-reset.address",
        key=lambda group, req: client_address(req) or "",
        rate=settings.HAVEN_PASSWORD_RESET_ADDRESS_RATE,
        increment=True,
    )
    return bool(by_email or by_address)


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Send a set-password link if the address belongs to an active account. The caller
    answers the same either way, so the answer never reveals who has an account.

    Beyond ``HAVEN_PASSWORD_RESET_RATE`` per e-mail address or
    ``HAVEN_PASSWORD_RESET_ADDRESS_RATE`` per client address, nothing more is sent (no one
    can flood a colleague's inbox), and the answer is still the same.
    """
    email = email.strip().lower()
    throttled = _throttled(request=request, email=email)
    staff = Staff.objects.filter(email=email, is_active=True).first()
    with transaction.atomic():
        audit_record(
            action="password_reset.throttled" if throttled else "password_reset.requested",
            actor=staff,
            actor_label="" if staff is not None else email,
            request=request,
            detail={"account_found": staff is not None},
        )
        if staff is not None and not throttled:
            # Through the e-mail outbox: written in this transaction, sent by a worker, so
            # the answer takes as long for an unknown address as for a real one.
            password_reset_email_queue(staff=staff, link=password_reset_link(staff=staff))


def _staff_from_uid(uidb64: str) -> Staff | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return Staff.objects.filter(pk=pk, is_active=True).first()


def password_reset_complete(
    *, request: HttpRequest, uidb64: str, token: str, new_password: str
) -> Staff:
    """Set a new password through a link. Every session of the account ends."""
    staff = _staff_from_uid(uidb64)
    if staff is None or not default_token_generator.check_token(staff, token):
        with transaction.atomic():
            audit_record(
                action="password_reset.rejected",
                actor=staff,
                actor_label="" if staff is not None else "unknown link",
                request=request,
            )
        raise ServiceError.one("token", "invalid_link", INVALID_LINK)
    password_validate(password=new_password, staff=staff)
    with transaction.atomic():
        staff.set_password(new_password)
        staff.save(update_fields=["password"])
        audit_record(action="password_reset.used", actor=staff, request=request)
        staff_sessions_end_all(staff=staff, reason="password_reset", actor=staff, request=request)
    return staff
