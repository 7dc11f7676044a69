"""First-time and forgotten passwords: an e-mailed, single-use, expiring link.

Tokens come from Django's ``PasswordResetTokenGenerator``: they sign the password hash and
last sign-in, so a link stops working once used (or once the person signs in), and expire
after ``PASSWORD_RESET_TIMEOUT``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from safeguarding.models import Staff
from safeguarding.services.audit import audit_record
from safeguarding.services.passwords import password_validate
from safeguarding.services.staff_sessions import staff_sessions_end_all
from tenants.schools import school_host

INVALID_LINK = "This link has expired or has already been used. Please ask for a new one."


def password_reset_link(*, staff: Staff) -> str:
    """The link for the school's host, built from settings: the request's Host header never
    decides where a password link points."""
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    token = default_token_generator.make_token(staff)
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    host = school_host(str(getattr(connection, "schema_name", "")))
    return f"{settings.SITE_SCHEME}://{host}{port}/set-password/{uid}/{token}"


def password_reset_email_send(*, staff: Staff, link: str) -> None:
    """Send the set-password e-mail. The one place this message leaves Haven."""
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    send_mail(
        subject="Set your Haven password",
        message=(
            f"Hello {staff.first_name},\n\n"
            "Someone (hopefully you) asked to set or reset the password of your Haven "
            "account. Use this link to choose a password:\n\n"
            f"{link}\n\n"
            f"The link works once and expires in {minutes} minutes. If you did not ask for "
            "it, you can ignore this e-mail: your password has not changed.\n"
        ),
        from_email=None,
        recipient_list=[staff.email],
    )


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Send a set-password link if the address belongs to an active account. The caller
    answers the same either way, so the answer never reveals who has an account."""
    email = email.strip().lower()
    staff = Staff.objects.filter(email=email, is_active=True).first()
    with transaction.atomic():
        audit_record(
            action="password_reset.requested",
            actor=staff,
            actor_label="" if staff is not None else email,
            request=request,
            detail={"account_found": staff is not None},
        )
        if staff is not None:
            link = password_reset_link(staff=staff)
            # robust: a mail failure is logged, never shown, or the answer would differ
            # between addresses with and without an account.
            transaction.on_commit(
                functools.partial(password_reset_email_send, staff=staff, link=link),
                robust=True,
            )


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
        raise ValidationError({"token": ValidationError(INVALID_LINK, code="invalid_link")})
    password_validate(password=new_password, staff=staff)
    with transaction.atomic():
        staff.set_password(new_password)
        staff.save(update_fields=["password"])
        audit_record(action="password_reset.used", actor=staff, request=request)
        staff_sessions_end_all(staff=staff, reason="password_reset", actor=staff, request=request)
    return staff
