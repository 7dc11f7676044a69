"""The API's one error type: expected problems, returned in payloads rather than raised.

Every mutation's payload has ``errors: [FieldError!]!``. The Python class is ``UserError`` so
that ``FieldError`` names one thing in the code base (the service's error); the GraphQL name
stays ``FieldError``, the name the web app and MIS clients already select.
"""

from __future__ import annotations

import strawberry
from django.core.exceptions import ValidationError

from safeguarding.services.errors import FieldError, ServiceError

NOT_SIGNED_IN_CODE = "not_signed_in"


@strawberry.type(name="FieldError", description="Something the person can correct and retry.")
class UserError:
    field: str | None = strawberry.field(
        description=(
            "The input field at fault, named as the input names it (e.g. `studentId`, "
            "`linkedStudents.0.categoryIds`), or null for the request as a whole."
        )
    )
    code: str = strawberry.field(description="A stable, machine-readable code.")
    message: str = strawberry.field(description="A sentence to show the person.")


def user_errors(errors: list[FieldError]) -> list[UserError]:
    return [UserError(field=e.field or None, code=e.code, message=e.message) for e in errors]


def errors_of(error: ServiceError) -> list[UserError]:
    """A service's refusal as payload errors (an empty field: the whole request)."""
    return user_errors(error.errors)


def validation_errors(error: ValidationError) -> list[UserError]:
    """The platform's provisioning forms still speak Django's ValidationError."""
    return errors_of(ServiceError.from_validation(error))


def not_signed_in() -> list[UserError]:
    return [UserError(field=None, code=NOT_SIGNED_IN_CODE, message="Please sign in.")]


@strawberry.type(description="Whether a request succeeded, and if not, why.")
class OkPayload:
    ok: bool = strawberry.field(description="True when the request succeeded.")
    errors: list[UserError] = strawberry.field(description="Why it did not.")


def ok_payload(error: ServiceError | None = None) -> OkPayload:
    if error is None:
        return OkPayload(ok=True, errors=[])
    return OkPayload(ok=False, errors=errors_of(error))
