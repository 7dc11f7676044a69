"""Rules every school-settings change shares: who may make it, what a name may be, and what
a full reordering must contain. Used by the categories, agencies and alert-group services."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from safeguarding.models import Staff
from safeguarding.permissions import (
    FORBIDDEN,
    KEY_HOLDER_REQUIRED,
    REAUTHENTICATION_REQUIRED,
    SECOND_FACTOR_REQUIRED,
    SessionAssurance,
    admin_refusal,
)
from safeguarding.services.audit import audit_change, audit_record
from safeguarding.services.authentication import session_assurance
from safeguarding.services.errors import FieldError, ServiceError

FORBIDDEN_MESSAGE = "Only school admins can change the school's settings."
REFUSAL_MESSAGES = {
    SECOND_FACTOR_REQUIRED: (
        "School admins need two-step sign-in. Confirm it is you with your authenticator app "
        "or security key (or add one in Account Settings), then try again."
    ),
    KEY_HOLDER_REQUIRED: (
        "Only a school admin with key access can grant key access, change e-mail addresses, "
        "change access levels or create API clients."
    ),
    REAUTHENTICATION_REQUIRED: "Please enter your password again to continue.",
}


def _assurance_of(actor: Staff | None, request: HttpRequest | None) -> SessionAssurance:
    """The session's assurance, only when the session is the actor's own: another person's
    verified session proves nothing about the actor."""
    user = getattr(request, "user", None)
    if actor is None or getattr(user, "pk", None) != actor.pk:
        return SessionAssurance()
    return session_assurance(request)


def admin_refusal_error(
    actor: Staff | None,
    request: HttpRequest | None,
    *,
    changes_key_access: bool = False,
    forbidden_message: str = FORBIDDEN_MESSAGE,
) -> FieldError | None:
    """Why this admin action is refused, as one whole-form error; None when it may go ahead.

    ``changes_key_access``: the action grants or widens key access, changes an e-mail address,
    changes an access level or creates an API client (see permissions.admin_refusal)."""
    code = admin_refusal(
        actor, _assurance_of(actor, request), changes_key_access=changes_key_access
    )
    if code is None:
        return None
    message = forbidden_message if code == FORBIDDEN else REFUSAL_MESSAGES[code]
    return FieldError("", code, message)


def admin_require(
    actor: Staff | None, request: HttpRequest | None, *, changes_key_access: bool = False
) -> Staff:
    """The actor, if they may make this change. Checked before any lookup, so a refusal
    says nothing about whether the thing asked about exists."""
    refusal = admin_refusal_error(actor, request, changes_key_access=changes_key_access)
    if refusal is not None or actor is None:
        raise ServiceError([refusal or FieldError("", FORBIDDEN, FORBIDDEN_MESSAGE)])
    return actor


def admin_validation_require(
    actor: Staff | None,
    request: HttpRequest | None,
    *,
    changes_key_access: bool = False,
    forbidden_message: str = FORBIDDEN_MESSAGE,
) -> None:
    """As admin_require, raising the refusal as a ServiceError."""
    refusal = admin_refusal_error(
        actor,
        request,
        changes_key_access=changes_key_access,
        forbidden_message=forbidden_message,
    )
    if refusal is not None:
        raise ServiceError([refusal])


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


class Switchable(Protocol):
    pk: Any
    is_active: bool

    def save(self, *, update_fields: list[str]) -> None: ...


def active_set[S: Switchable](
    *,
    admin: Staff,
    request: HttpRequest | None,
    item: S,
    active: bool,
    noun: str,
    facts: Callable[[S], dict[str, object]],
) -> S:
    """Deactivate or reactivate a locked item, audited as ``<noun>.activated`` / ``.deactivated``
    (call inside the transaction that locked it). An inactive item is no longer offered for
    new records; records that use it keep showing it."""
    before = facts(item)
    item.is_active = active
    item.save(update_fields=["is_active"])
    audit_change(
        action=f"{noun}.{'activated' if active else 'deactivated'}",
        actor=admin,
        request=request,
        target=item,  # type: ignore[arg-type]  # a model: Protocols cannot name Model's fields
        before=before,
        after=facts(item),
    )
    return item


def order_apply[M: Model](
    *,
    admin: Staff,
    request: HttpRequest | None,
    locked: QuerySet[M],
    ids: list[int],
    action: str,
    target: Model | None = None,
    audited_as: str = "order",
) -> list[M]:
    """Give every row of ``locked`` (already ``select_for_update``, in its current order) its
    position in ``ids``; audited as the order before and after (under ``audited_as``, e.g. a
    category's "subcategory_order"), when it changed."""
    rows = {row.pk: row for row in locked}
    before = list(rows)
    order_check(ids, before)
    for position, pk in enumerate(ids):
        rows[pk].order = position  # type: ignore[attr-defined]  # every orderable row has it
    locked.model._default_manager.bulk_update(list(rows.values()), ["order"])
    if before != ids:
        audit_record(
            action=action,
            actor=admin,
            request=request,
            target=target,
            detail={"changes": {audited_as: [before, ids]}},
        )
    return [rows[pk] for pk in ids]
