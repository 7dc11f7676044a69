"""Reading a person's second factors (django-otp devices)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import Staff, WebAuthnCredential

RECOVERY_CODES_NAME = "Recovery codes"


def second_factor_kind(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, WebAuthnCredential):
        return "security_key"
    return "recovery_codes"


def has_primary_factor(*, staff: Staff) -> bool:
    """An authenticator app or a security key: what key access requires. Recovery codes
    only stand in for one."""
    return bool(
        TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=staff, confirmed=True).exists()
    )


def must_enrol_second_factor(*, staff: Staff) -> bool:
    """Key holders and school admins without an app or key are led to enrol one at sign-in:
    neither key access nor any admin action works on a password alone."""
    return (staff.is_key_holder or staff.is_school_admin) and not has_primary_factor(staff=staff)


@dataclass(frozen=True)
class SecondFactorSummary:
    id: str
    kind: str
    name: str
    created_at: datetime | None
    last_used_at: datetime | None
    remaining_codes: int | None


def second_factors_of(*, staff: Staff) -> list[SecondFactorSummary]:
    """The person's confirmed factors, apps and keys first, then recovery codes."""
    summaries: list[SecondFactorSummary] = []
    for totp in TOTPDevice.objects.filter(user=staff, confirmed=True).order_by("id"):
        summaries.append(
            SecondFactorSummary(
                id=totp.persistent_id,
                kind="totp",
                name=totp.name,
                created_at=totp.created_at,
                last_used_at=totp.last_used_at,
                remaining_codes=None,
            )
        )
    for key in WebAuthnCredential.objects.filter(user=staff, confirmed=True).order_by("id"):
        summaries.append(
            SecondFactorSummary(
                id=key.persistent_id,
                kind="security_key",
                name=key.name,
                created_at=key.created_at,
                last_used_at=key.last_used_at,
                remaining_codes=None,
            )
        )
    recovery = StaticDevice.objects.filter(user=staff, confirmed=True).order_by("id")
    for device in recovery:
        summaries.append(
            SecondFactorSummary(
                id=device.persistent_id,
                kind="recovery_codes",
                name=device.name,
                created_at=device.created_at,
                last_used_at=device.last_used_at,
                remaining_codes=device.token_set.count(),
            )
        )
    return summaries
