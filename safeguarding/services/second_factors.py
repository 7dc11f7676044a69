"""Second factors: authenticator apps (TOTP), recovery codes, and passing the second factor.

Security keys (WebAuthn) live in services/webauthn_credentials.py; they are django-otp
devices too, so "this session passed the second factor" means one thing everywhere:
``request.user.is_verified()``.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from io import BytesIO

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import Staff
from safeguarding.selectors.second_factors import (
    RECOVERY_CODES_NAME,
    has_primary_factor,
    second_factor_kind,
)
from safeguarding.services.audit import audit_record
from safeguarding.services.authentication import (
    reauthentication_require,
    session_second_factor_passed,
)
from safeguarding.services.errors import ServiceError
from safeguarding.services.staff_sessions import staff_session_rekey

RECOVERY_CODE_COUNT = 10
WRONG_CODE = "That code is not right. Please try again."
SECOND_FACTOR_FIRST = "Please confirm it is you with your second factor first."


def factor_change_require(*, request: HttpRequest, actor: Staff) -> None:
    """Adding or removing a factor needs a fresh password and, once a factor exists, a
    session that passed it: a stolen password alone must not be able to swap the factors."""
    reauthentication_require(request)
    if has_primary_factor(staff=actor) and not session_second_factor_passed(request):
        raise ServiceError.one("", "second_factor_required", SECOND_FACTOR_FIRST)


def second_factor_passed(*, request: HttpRequest, device: Device) -> None:
    """Mark the session as verified by ``device``, under a new session key."""
    django_otp.login(request, device)
    staff_session_rekey(request=request)


@dataclass(frozen=True)
class TotpEnrolment:
    otpauth_uri: str
    secret: str
    qr_code_svg: str


def totp_qr_code_svg(*, otpauth_uri: str) -> str:
    """The otpauth URI as a standalone SVG QR code (with its namespace, so it also works as
    an ``<img>`` data URI); black on white with the standard quiet zone, for phone cameras."""
    buffer = BytesIO()
    segno.make(otpauth_uri, error="m").save(
        buffer, kind="svg", xmldecl=False, scale=4, dark="#000", light="#fff"
    )
    return buffer.getvalue().decode("utf-8")


def totp_enrolment_begin(*, request: HttpRequest, actor: Staff) -> TotpEnrolment:
    """A fresh, unconfirmed authenticator-app secret; it counts once a code confirms it."""
    factor_change_require(request=request, actor=actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return TotpEnrolment(
        otpauth_uri=device.config_url,
        secret=b32encode(device.bin_key).decode("ascii"),
        qr_code_svg=totp_qr_code_svg(otpauth_uri=device.config_url),
    )


def totp_enrolment_confirm(*, request: HttpRequest, actor: Staff, code: str) -> TOTPDevice:
    factor_change_require(request=request, actor=actor)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("-id")
            .first()
        )
        accepted = device is not None and device.verify_token(code.strip())
        if device is not None and accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                action="second_factor.added",
                actor=actor,
                request=request,
                target=device,
                detail={"kind": "totp"},
            )
    # Raised after the transaction so django-otp's failure throttling is kept.
    if device is None:
        raise ServiceError.one("", "no_enrolment", "Start setting up an authenticator app first.")
    if not accepted:
        raise ServiceError.one("code", "invalid_code", WRONG_CODE)
    second_factor_passed(request=request, device=device)
    return device


def recovery_codes_generate(*, request: HttpRequest, actor: Staff) -> list[str]:
    """Replace the person's recovery codes with new ones, each usable once."""
    factor_change_require(request=request, actor=actor)
    if not has_primary_factor(staff=actor):
        raise ServiceError.one(
            "",
            "no_primary_factor",
            "Set up an authenticator app or a security key before recovery codes.",
        )
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=actor, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        audit_record(
            action="second_factor.added",
            actor=actor,
            request=request,
            target=device,
            detail={"kind": "recovery_codes", "count": len(codes)},
        )
    return codes


def second_factor_verify(*, request: HttpRequest, actor: Staff, code: str) -> Device:
    """Pass the second factor with an authenticator-app code or a recovery code. A TOTP
    code is accepted once (django-otp remembers the last time step used); a recovery code
    is deleted when used. Failures are throttled per device by django-otp."""
    code = code.strip().replace(" ", "").lower()
    # Route by shape so a recovery code never counts as a failed app code and vice versa.
    is_app_code = len(code) == 6 and code.isdigit()
    kind = "totp" if is_app_code else "recovery_code"
    with transaction.atomic():
        # Locked rows: two requests racing with one code cannot both pass.
        devices: list[Device] = list(
            (TOTPDevice if is_app_code else StaticDevice)
            .objects.select_for_update()
            .filter(user=actor, confirmed=True)
        )
        matched = next((device for device in devices if device.verify_token(code)), None)
        audit_record(
            action="second_factor.passed" if matched is not None else "second_factor.failed",
            actor=actor,
            request=request,
            target=matched,
            detail={"kind": kind},
        )
    if matched is None:
        raise ServiceError.one("code", "invalid_code", WRONG_CODE)
    second_factor_passed(request=request, device=matched)
    return matched


def second_factor_remove(*, request: HttpRequest, actor: Staff, factor_id: str) -> bool:
    """Remove one of the person's factors. Removing the last app or key also removes the
    recovery codes, which stand in for a factor that no longer exists."""
    factor_change_require(request=request, actor=actor)
    device = Device.from_persistent_id(factor_id)
    if device is None or device.user_id != actor.pk or not device.confirmed:
        return False
    with transaction.atomic():
        _audit_removed(request=request, actor=actor, device=device)
        device.delete()
        if not has_primary_factor(staff=actor):
            for recovery in StaticDevice.objects.filter(user=actor):
                _audit_removed(request=request, actor=actor, device=recovery)
                recovery.delete()
    return True


def _audit_removed(*, request: HttpRequest, actor: Staff, device: Device) -> None:
    audit_record(
        action="second_factor.removed",
        actor=actor,
        request=request,
        target=device,
        detail={"kind": second_factor_kind(device), "name": device.name},
    )
