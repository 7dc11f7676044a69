"""Security keys (WebAuthn) registered as a second factor.

A credential is a django-otp device, so a session verified with a key is verified in exactly
the way a TOTP-verified one is (``request.user.is_verified()``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_otp.models import Device, TimestampMixin


# django-otp ships no type information, so its bases are Any to mypy.
class WebAuthnCredential(TimestampMixin, Device):  # type: ignore[misc]
    """A public-key credential created by a security key for this school's host."""

    # Redeclared from django-otp's Device only to give the reverse relation a readable name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webauthn_credentials",
        help_text="The member of staff the key belongs to.",
    )
    credential_id = models.CharField(
        max_length=1400, unique=True, help_text="The credential id, base64url-encoded."
    )
    public_key = models.BinaryField(help_text="The COSE-encoded public key.")
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = "security key"

    def verify_token(self, token: object) -> bool:
        # A security key answers a signed challenge, never a typed code.
        return False
