"""Rules every school-settings change shares: who may make it, what a name may be, and what
a full reordering must contain. Used by the categories, agencies and alert-group services."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from safeguarding.models import Staff
from safeguarding.permissions import can_administer_school
from safeguarding.services.errors import FieldError, ServiceError

FORBIDDEN_MESSAGE = "Only school admins can change the school's settings."


def admin_require(actor: Staff | None) -> Staff:
    """The actor, if they administer the school. Checked before any lookup, so a refusal
    says nothing about whether the thing asked about exists."""
    if actor is None or not can_administer_school(actor):
        raise ServiceError.one("", "forbidden", FORBIDDEN_MESSAGE)
    return actor


def name_clean(
    value: str,
    *,
    field: str,
    noun: str,
    max_length: int,
    taken_in: QuerySet[Model],
    errors: list[FieldError],
) -> str:
    """The name without surrounding spaces; problems are appended to ``errors``.

    ``taken_in`` holds the rows whose names this one must differ from (case-insensitively),
    the row being renamed already excluded.
    """
    name = " ".join(value.split())
    if not name:
        errors.append(FieldError(field, "required", f"Enter a name for the {noun}."))
    elif len(name) > max_length:
        errors.append(
            FieldError(
                field,
                "too_long",
                f"A {noun} name can be at most {max_length} characters ({len(name)} given).",
            )
        )
    elif taken_in.filter(name__iexact=name).exists():
        errors.append(FieldError(field, "taken", f"There is already a {noun} called “{name}”."))
    return name


def order_check(given: Sequence[int], current: Sequence[int], *, field: str = "ids") -> None:
    """A reordering names every item exactly once (so nobody reorders a stale list)."""
    if len(given) != len(set(given)) or set(given) != set(current):
        raise ServiceError.one(
            field,
            "stale",
            "The list has changed since it was shown. Reload the page and try again.",
        )


def not_found(noun: str, field: str = "id") -> ServiceError:
    return ServiceError.one(field, "not_found", f"That {noun} was not found.")


@contextmanager
def name_race_guard(noun: str, field: str = "name") -> Iterator[None]:
    """Two admins saving the same new name at once: the database's unique index decides,
    and the loser gets the same "taken" error as if they had been a moment later."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise ServiceError.one(
            field, "taken", f"There is already a {noun} with that name."
        ) from error
