"""Signing in and out, passwords: the GraphQL side. Resolvers only translate."""

from __future__ import annotations

from typing import Annotated

import strawberry
from django.middleware.csrf import get_token

from graphql_api.context import Info
from graphql_api.csrf import csrf_token_is_valid
from graphql_api.types.errors import (
    OkPayload,
    UserError,
    errors_of,
    not_signed_in,
    ok_payload,
)
from graphql_api.types.staff import MeType
from safeguarding.selectors.second_factors import has_primary_factor, must_enrol_second_factor
from safeguarding.services.authentication import staff_login, staff_logout, staff_reauthenticate
from safeguarding.services.errors import ServiceError
from safeguarding.services.password_resets import password_reset_complete, password_reset_request
from safeguarding.services.passwords import password_change

CSRF_REQUIRED = UserError(
    field=None,
    code="csrf_failed",
    message="Your sign-in page has expired. Please reload it and try again.",
)


@strawberry.type(description="The outcome of signing in.")
class LoginPayload:
    me: MeType | None = strawberry.field(description="The person now signed in.")
    second_factor_required: bool = strawberry.field(
        description="The person has a second factor; ask for it (verifySecondFactor or a "
        "security key) before key access is effective."
    )
    must_enrol_second_factor: bool = strawberry.field(
        description="A key holder or school admin with no second factor yet: lead them to "
        "enrol one (neither key access nor admin actions work without it)."
    )
    errors: list[UserError] = strawberry.field(description="Why signing in failed.")


@strawberry.type
class AuthenticationQuery:
    @strawberry.field(
        description="A CSRF token for this browser (also set as a cookie). Send it as the "
        "X-CSRFToken header; signing in always needs it."
    )
    def csrf_token(self, info: Info) -> str:
        return get_token(info.context.request)


@strawberry.type
class AuthenticationMutation:
    @strawberry.mutation(description="Sign in with e-mail address and password.")
    def login(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The account's e-mail address.")],
        password: Annotated[str, strawberry.argument(description="The account's password.")],
    ) -> LoginPayload:
        request = info.context.request
        # Login CSRF: without this a forged form could sign a victim into an attacker's
        # account. The view only checks requests that carry cookies, so check here always.
        if not csrf_token_is_valid(request):
            return LoginPayload(
                me=None,
                second_factor_required=False,
                must_enrol_second_factor=False,
                errors=[CSRF_REQUIRED],
            )
        try:
            staff = staff_login(request=request, email=email, password=password)
        except ServiceError as error:
            return LoginPayload(
                me=None,
                second_factor_required=False,
                must_enrol_second_factor=False,
                errors=errors_of(error),
            )
        return LoginPayload(
            me=MeType.from_model(staff, second_factor_passed=False),
            second_factor_required=has_primary_factor(staff=staff),
            must_enrol_second_factor=must_enrol_second_factor(staff=staff),
            errors=[],
        )

    @strawberry.mutation(description="Sign out of this session.")
    def logout(self, info: Info) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        staff_logout(request=info.context.request, actor=staff)
        return ok_payload()

    @strawberry.mutation(
        description="Enter the password again; for a few minutes afterwards, second factors "
        "can be added or removed and an admin with key access can change who has key access, "
        "access levels, e-mail addresses and API clients."
    )
    def reauthenticate(
        self,
        info: Info,
        password: Annotated[
            str, strawberry.argument(description="The signed-in person's password.")
        ],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            staff_reauthenticate(request=info.context.request, actor=staff, password=password)
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()

    @strawberry.mutation(
        description="'Forgotten your password or using Haven for the first time?': e-mail a "
        "link to set a password. The answer is the same whether or not the address has an "
        "account."
    )
    def request_password_reset(
        self,
        info: Info,
        email: Annotated[
            str, strawberry.argument(description="The e-mail address the school holds.")
        ],
    ) -> OkPayload:
        password_reset_request(request=info.context.request, email=email)
        return ok_payload()

    @strawberry.mutation(description="Set a password through the e-mailed link.")
    def reset_password(
        self,
        info: Info,
        uid: Annotated[str, strawberry.argument(description="The first part of the link.")],
        token: Annotated[str, strawberry.argument(description="The second part of the link.")],
        new_password: Annotated[str, strawberry.argument(description="The new password.")],
    ) -> OkPayload:
        try:
            password_reset_complete(
                request=info.context.request, uidb64=uid, token=token, new_password=new_password
            )
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()

    @strawberry.mutation(
        description="Change your password (Account Settings). Other sessions are signed out."
    )
    def change_password(
        self,
        info: Info,
        current_password: Annotated[str, strawberry.argument(description="Your current password.")],
        new_password: Annotated[str, strawberry.argument(description="The new password.")],
    ) -> OkPayload:
        staff = info.context.staff
        if staff is None:
            return OkPayload(ok=False, errors=not_signed_in())
        try:
            password_change(
                request=info.context.request,
                actor=staff,
                current_password=current_password,
                new_password=new_password,
            )
        except ServiceError as error:
            return ok_payload(error)
        return ok_payload()
