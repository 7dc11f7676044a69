"""Expected errors, returned in mutation payloads rather than raised."""

from __future__ import annotations

import strawberry
from django.core.exceptions import ValidationError

from safeguarding.services.errors import ServiceError


@strawberry.type(name="FieldError", description="Something the person can correct and retry.")
class FieldError:
    field: str | None = strawberry.field(
        description="The input field at fault (as named in the mutation), or null for the whole."
    )
    code: str = strawberry.field(description="A stable, machine-readable code.")
    message: str = strawberry.field(description="A sentence to show the person.")


def errors_from(error: ValidationError) -> list[FieldError]:
    """Translate a service's ValidationError into payload errors."""
    if hasattr(error, "error_dict"):
        return [
            FieldError(field=field, code=item.code or "invalid", message=str(message))
            for field, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [
        FieldError(field=None, code=item.code or "invalid", message=str(message))
        for item in error.error_list
        for message in item.messages
    ]


def not_signed_in() -> list[FieldError]:
    return [FieldError(field=None, code="not_signed_in", message="Please sign in.")]


@strawberry.type(description="Whether a request succeeded, and if not, why.")
class OkPayload:
    ok: bool = strawberry.field(description="True when the request succeeded.")
    errors: list[FieldError] = strawberry.field(description="Why it did not.")


def ok_payload(error: ValidationError | None = None) -> OkPayload:
    if error is None:
        return OkPayload(ok=True, errors=[])
    return OkPayload(ok=False, errors=errors_from(error))


def errors_from_service(error: ServiceError) -> list[FieldError]:
    """Translate a service's ServiceError into payload errors (an empty field: the whole)."""
    return [
        FieldError(field=item.field or None, code=item.code, message=item.message)
        for item in error.errors
    ]
