"""Expected failures of a service: what was wrong with which input, for the person to fix.

Every service reports them the same way, by raising ``ServiceError``: one or more
``FieldError``s naming the input field (as the API's input names it, in camelCase, with a
dotted path into lists such as ``linkedStudents.0.categoryIds``; empty for the request as a
whole), a stable machine code and a sentence for the person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


class ServiceError(Exception):
    """Raised before anything is written (or inside the transaction, which then rolls back)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def one(cls, field: str, code: str, message: str) -> ServiceError:
        return cls([FieldError(field, code, message)])

    @classmethod
    def from_validation(cls, error: ValidationError, *, field: str = "") -> ServiceError:
        """Django's validators (password rules, e-mail syntax) speak ValidationError; their
        problems are reported against ``field`` (or the field each names)."""
        if hasattr(error, "error_dict"):
            return cls(
                [
                    FieldError(name, item.code or "invalid", str(message))
                    for name, items in error.error_dict.items()
                    for item in items
                    for message in item.messages
                ]
            )
        return cls(
            [
                FieldError(field, item.code or "invalid", str(message))
                for item in error.error_list
                for message in item.messages
            ]
        )
