"""Security keys (WebAuthn, via py_webauthn): registering a key and passing the second
factor with it. Options go to the browser as JSON; challenges wait in the session.

The relying party is the school's own host, taken from settings rather than the request's
Host header, so a key registered at one school is useless at every other.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from safeguarding.models import Staff, WebAuthnCredential
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import ServiceError
from safeguarding.services.second_factors import factor_change_require, second_factor_passed
from tenants.models import School
from tenants.schools import school_host, school_url

REGISTRATION_CHALLENGE_KEY = "haven_webauthn_registration_challenge"
AUTHENTICATION_CHALLENGE_KEY = "haven_webauthn_authentication_challenge"
KEY_NOT_ACCEPTED = "The security key's answer could not be accepted. Please try again."


def relying_party_id() -> str:
    return school_host(str(getattr(connection, "schema_name", "")))


def expected_origin() -> str:
    return school_url(str(getattr(connection, "schema_name", "")), path="")


def _descriptors(staff: Staff) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for credential in WebAuthnCredential.objects.filter(user=staff, confirmed=True):
        transports = []
        for value in credential.transports:
            try:
                transports.append(AuthenticatorTransport(value))
            except ValueError:
                continue
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(credential.credential_id), transports=transports or None
            )
        )
    return descriptors


def webauthn_registration_begin(*, request: HttpRequest, actor: Staff) -> str:
    """Options for ``navigator.credentials.create()``, as JSON."""
    factor_change_require(request=request, actor=actor)
    school = getattr(connection, "tenant", None)
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=school.name if isinstance(school, School) else "Haven",
        user_name=actor.email,
        user_display_name=actor.full_name or actor.email,
        user_id=f"haven-staff-{actor.pk}".encode(),
        exclude_credentials=_descriptors(actor),
        authenticator_selection=AuthenticatorSelectionCriteria(
            # A second factor after a password: a touch is enough, no PIN, no passkey.
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED,
        ),
    )
    request.session[REGISTRATION_CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _transports_of(credential_json: str) -> list[str]:
    try:
        parsed: Any = json.loads(credential_json)
        transports = parsed.get("response", {}).get("transports", [])
    except (ValueError, AttributeError):
        return []
    return [str(value) for value in transports][:8] if isinstance(transports, list) else []


def webauthn_registration_complete(
    *, request: HttpRequest, actor: Staff, credential_json: str, name: str
) -> WebAuthnCredential:
    factor_change_require(request=request, actor=actor)
    challenge = request.session.pop(REGISTRATION_CHALLENGE_KEY, None)
    if not challenge:
        raise ServiceError.one("", "no_enrolment", "Start adding a security key first.")
    try:
        verified = verify_registration_response(
            credential=credential_json,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origin(),
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise ServiceError.one("credential", "invalid_credential", KEY_NOT_ACCEPTED) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if WebAuthnCredential.objects.filter(credential_id=credential_id).exists():
            raise ServiceError.one(
                "credential", "duplicate_credential", "This security key is already registered."
            )
        credential: WebAuthnCredential = WebAuthnCredential.objects.create(
            user=actor,
            name=(name.strip() or "Security key")[:64],
            confirmed=True,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=_transports_of(credential_json),
        )
        audit_record(
            action="second_factor.added",
            actor=actor,
            request=request,
            target=credential,
            detail={"kind": "security_key"},
        )
    second_factor_passed(request=request, device=credential)
    return credential


def webauthn_authentication_begin(*, request: HttpRequest, actor: Staff) -> str:
    """Options for ``navigator.credentials.get()``, as JSON."""
    allowed = _descriptors(actor)
    if not allowed:
        raise ServiceError.one("", "no_security_key", "You have no security key registered.")
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    request.session[AUTHENTICATION_CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def webauthn_authentication_complete(
    *, request: HttpRequest, actor: Staff, credential_json: str
) -> WebAuthnCredential:
    """Pass the second factor with a security key's signed answer to our challenge."""
    challenge = request.session.pop(AUTHENTICATION_CHALLENGE_KEY, None)
    if not challenge:
        raise ServiceError.one("", "no_challenge", "Start signing in with your security key first.")
    try:
        parsed: Any = json.loads(credential_json)
        credential_id = str(parsed["rawId"] if "rawId" in parsed else parsed["id"])
    except (ValueError, KeyError, TypeError) as error:
        raise ServiceError.one("credential", "invalid_credential", KEY_NOT_ACCEPTED) from error
    with transaction.atomic():
        credential: WebAuthnCredential | None = (
            WebAuthnCredential.objects.select_for_update()
            .filter(user=actor, confirmed=True, credential_id=credential_id)
            .first()
        )
        verified = None
        if credential is not None:
            try:
                verified = verify_authentication_response(
                    credential=credential_json,
                    expected_challenge=base64url_to_bytes(challenge),
                    expected_rp_id=relying_party_id(),
                    expected_origin=expected_origin(),
                    credential_public_key=bytes(credential.public_key),
                    credential_current_sign_count=credential.sign_count,
                )
            except (WebAuthnException, ValueError, KeyError, TypeError):
                verified = None
        audit_record(
            action="second_factor.passed" if verified is not None else "second_factor.failed",
            actor=actor,
            request=request,
            target=credential,
            detail={"kind": "security_key"},
        )
        if credential is not None and verified is not None:
            credential.sign_count = verified.new_sign_count
            credential.last_used_at = timezone.now()
            credential.save(update_fields=["sign_count", "last_used_at"])
    # Raised after the transaction so the failure stays in the audit log.
    if credential is None or verified is None:
        raise ServiceError.one("credential", "invalid_credential", KEY_NOT_ACCEPTED)
    second_factor_passed(request=request, device=credential)
    return credential
