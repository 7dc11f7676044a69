"""Second factors (Account Settings and the sign-in step): the GraphQL side."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from graphql_api.context import Info
from graphql_api.types.errors import (
    OkPayload,
    UserError,
    errors_of,
    not_signed_in,
    ok_payload,
)
from safeguarding.selectors.second_factors import SecondFactorSummary, second_factors_of
from safeguarding.services.errors import ServiceError
from safeguarding.services.second_factors import (
    recovery_codes_generate,
    second_factor_remove,
    second_factor_verify,
    totp_enrolment_begin,
    totp_enrolment_confirm,
)
from safeguarding.services.webauthn_credentials import (
    webauthn_authentication_begin,
    webauthn_authentication_complete,
    webauthn_registration_begin,
    webauthn_registration_complete,
)


@strawberry.enum(name="SecondFactorKind", description="What kind of second factor.")
class SecondFactorKind(Enum):
    TOTP = "totp"
    SECURITY_KEY = "security_key"
    RECOVERY_CODES = "recovery_codes"


@strawberry.type(name="SecondFactor", description="One of your second factors.")
class SecondFactorType:
    id: strawberry.ID = strawberry.field(description="Pass to removeSecondFactor.")
    kind: SecondFactorKind = strawberry.field(description="App, security key or recovery codes.")
    name: str = strawberry.field(description="A name to tell factors apart.")
    created_at: datetime | None = strawberry.field(description="When it was added.")
    last_used_at: datetime | None = strawberry.field(description="When it was last used.")
    remaining_codes: int | None = strawberry.field(
        description="Recovery codes not yet used (recovery codes only)."
    )

    @classmethod
    def from_summary(cls, summary: SecondFactorSummary) -> SecondFactorType:
        return cls(
            id=strawberry.ID(summary.id),
            kind=SecondFactorKind(summary.kind),
            name=summary.name,
            created_at=summary.created_at,
            last_used_at=summary.last_used_at,
            remaining_codes=summary.remaining_codes,
        )


@strawberry.type(description="A new authenticator-app secret, to scan or type in.")
class TotpEnrolmentPayload:
    otpauth_uri: str | None = strawberry.field(description="otpauth:// URI for a QR code.")
    secret: str | None = strawberry.field(description="The same secret, base32, to type in.")
    qr_code_svg: str | None = strawberry.field(
        description="The otpauth URI as a QR code: a standalone SVG document, to scan."
    )
    errors: list[UserError] = strawberry.field(description="Why it could not start.")


@strawberry.type(description="New recovery codes; shown once, each works once.")
class RecoveryCodesPayload:
    codes: list[str] = strawberry.field(description="The codes. Earlier codes no longer work.")
    errors: list[UserError] = strawberry.field(description="Why none were made.")


@strawberry.type(description="WebAuthn options for the browser.")
class SecurityKeyOptionsPayload:
    options_json: str | None = strawberry.field(
        description="PublicKeyCredential options as JSON (base64url binary fields)."
    )
    errors: list[UserError] = strawberry.field(description="Why there are none.")


@strawberry.type
class SecondFactorQuery:
    @strawberry.field(description="Your second factors, or an empty list when signed out.")
    def my_second_factors(self, info: Info) -> list[SecondFactorType]:
        staff = info.context.staff
        if staff is None:
            return []
        return [SecondFactorType.from_summary(item) for item in second_factors_of(staff=staff)]


@strawberry.type
class SecondFactorMutation:
    @strawberry.mutation(
        description="Pass the second factor with an authenticator-app code or a recovery code."
    )
    def verify_second_factor(
        self,
        info: Info,
        code: Annotated[
            str, strawberry.argument(description="6-digit app code, or a recovery code.")
        ],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            second_factor_verify(request=info.context.request, actor=staff, code=code)
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()

    @strawberry.mutation(
        description="Start adding an authenticator app. Needs a recent password entry."
    )
    def begin_totp_enrolment(self, info: Info) -> TotpEnrolmentPayload:
        staff = info.context.staff
        if staff is None:
            return TotpEnrolmentPayload(
                otpauth_uri=None, secret=None, qr_code_svg=None, errors=not_signed_in()
            )
        try:
            enrolment = totp_enrolment_begin(request=info.context.request, actor=staff)
        except ServiceError as error:
            return TotpEnrolmentPayload(
                otpauth_uri=None, secret=None, qr_code_svg=None, errors=errors_of(error)
            )
        return TotpEnrolmentPayload(
            otpauth_uri=enrolment.otpauth_uri,
            secret=enrolment.secret,
            qr_code_svg=enrolment.qr_code_svg,
            errors=[],
        )

    @strawberry.mutation(
        description="Finish adding an authenticator app with a code it shows; this session "
        "then counts as having passed the second factor."
    )
    def confirm_totp_enrolment(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="The 6-digit code the app shows.")],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            totp_enrolment_confirm(request=info.context.request, actor=staff, code=code)
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()

    @strawberry.mutation(description="Make new recovery codes, replacing any earlier ones.")
    def generate_recovery_codes(self, info: Info) -> RecoveryCodesPayload:
        staff = info.context.staff
        if staff is None:
            return RecoveryCodesPayload(codes=[], errors=not_signed_in())
        try:
            codes = recovery_codes_generate(request=info.context.request, actor=staff)
        except ServiceError as error:
            return RecoveryCodesPayload(codes=[], errors=errors_of(error))
        return RecoveryCodesPayload(codes=codes, errors=[])

    @strawberry.mutation(description="Remove one of your second factors.")
    def remove_second_factor(
        self,
        info: Info,
        id: Annotated[  # noqa: A002 - GraphQL's name for it
            strawberry.ID, strawberry.argument(description="The factor's id.")
        ],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            removed = second_factor_remove(
                request=info.context.request, actor=staff, factor_id=str(id)
            )
        except ServiceError as error:
            return ok_payload(error)
        if not removed:
            return OkPayload(
                ok=False,
                errors=[UserError(field="id", code="not_found", message="No such factor.")],
            )
        return ok_payload()

    @strawberry.mutation(description="Start registering a security key (WebAuthn).")
    def begin_security_key_registration(self, info: Info) -> SecurityKeyOptionsPayload:
        staff = info.context.staff
        if staff is None:
            return SecurityKeyOptionsPayload(options_json=None, errors=not_signed_in())
        try:
            options = webauthn_registration_begin(request=info.context.request, actor=staff)
        except ServiceError as error:
            return SecurityKeyOptionsPayload(options_json=None, errors=errors_of(error))
        return SecurityKeyOptionsPayload(options_json=options, errors=[])

    @strawberry.mutation(description="Finish registering a security key.")
    def complete_security_key_registration(
        self,
        info: Info,
        credential_json: Annotated[
            str,
            strawberry.argument(
                description="The result of navigator.credentials.create(), as JSON."
            ),
        ],
        name: Annotated[str, strawberry.argument(description="A name for the key.")],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            webauthn_registration_complete(
                request=info.context.request,
                actor=staff,
                credential_json=credential_json,
                name=name,
            )
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()

    @strawberry.mutation(description="Start passing the second factor with a security key.")
    def begin_security_key_authentication(self, info: Info) -> SecurityKeyOptionsPayload:
        staff = info.context.staff
        if staff is None:
            return SecurityKeyOptionsPayload(options_json=None, errors=not_signed_in())
        try:
            options = webauthn_authentication_begin(request=info.context.request, actor=staff)
        except ServiceError as error:
            return SecurityKeyOptionsPayload(options_json=None, errors=errors_of(error))
        return SecurityKeyOptionsPayload(options_json=options, errors=[])

    @strawberry.mutation(description="Finish passing the second factor with a security key.")
    def complete_security_key_authentication(
        self,
        info: Info,
        credential_json: Annotated[
            str,
            strawberry.argument(description="The result of navigator.credentials.get(), as JSON."),
        ],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            webauthn_authentication_complete(
                request=info.context.request, actor=staff, credential_json=credential_json
            )
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()
