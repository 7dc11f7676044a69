"""Expected failures of a service: what was wrong with which input, for the person to fix."""

from __future__ import annotations

from dataclasses import dataclass


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
