"""A platform operator inviting a school admin: the school's side of it.

Operators must never get a path to a school's records. So an operator can only add a *new*
account, and only as a school admin without key access: key access is granted inside the
school by its own key holders. An address that already has an account (active or deactivated,
admin or not) is refused and nothing changes, since reactivating or promoting it would hand the
operator someone's existing rights. Every invitation is in the school's change history, naming
the operator, and every active school admin is e-mailed that it happened.

The caller runs these inside the school (``with school:``) and writes the platform's own
audit record in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from notifications.services.deliveries import admin_invited_notices_queue, invitation_email_queue
from safeguarding.models import Staff
from safeguarding.services.audit import audit_change
from safeguarding.services.password_resets import password_reset_link
from safeguarding.services.staff import staff_snapshot

ALREADY_EXISTS = "This address already has an account at the school; its own admins manage it."


def operator_label(*, name: str, email: str) -> str:
    """How the school's history names an operator: by name and e-mail."""
    return f"Platform operator {name} <{email}>"


def _email_checked(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": [ValidationError(f"'{email}' is not a valid e-mail address.", "invalid")]}
        ) from error
    return email


def staff_operator_invite(
    *,
    operator_name: str,
    operator_email: str,
    request: HttpRequest | None,
    email: str,
    first_name: str,
    last_name: str,
) -> Staff:
    """Create a school admin *without* key access for ``email`` and e-mail them the
    set-password link; refuse (``already_exists``) an address that has any account."""
    email = _email_checked(email)
    label = operator_label(name=operator_name, email=operator_email)
    with transaction.atomic():
        # Lock out a concurrent invitation or sign-up of the same address until we commit;
        # the unique index on e-mail is the final word either way.
        if Staff.objects.select_for_update().filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": [ValidationError(ALREADY_EXISTS, code="already_exists")]}
            )
        staff = Staff.objects.create_user(
            email=email,
            first_name=first_name.strip()[:100] or "School",
            last_name=last_name.strip()[:100] or "Administrator",
            is_school_admin=True,
            is_key_holder=False,
            access_level=None,
        )
        audit_change(
            action="staff.invited_by_operator",
            actor=None,
            actor_label=label,
            request=request,
            target=staff,
            before={},
            after=staff_snapshot(staff),
            detail={"operator_email": operator_email},
        )
        invitation_email_queue(staff=staff, link=password_reset_link(staff=staff))
        admin_invited_notices_queue(
            recipients=Staff.objects.filter(is_school_admin=True, is_active=True)
            .exclude(pk=staff.pk)
            .order_by("pk"),
            invited_address=email,
            operator_label=label,
        )
    return staff


def staff_first_dsl_invite(
    *, operator_name: str, operator_email: str, request: HttpRequest | None, email: str
) -> Staff:
    """E-mail the first DSL of a school that was *just provisioned* their set-password link.

    Provisioning made the account (the guide's first DSL, with key access); this only sends
    the link. It refuses an account that has already been used (signed in or chose a
    password), so it can never hand an operator a working account's access.
    """
    email = _email_checked(email)
    with transaction.atomic():
        staff = Staff.objects.select_for_update().filter(email__iexact=email).first()
        if staff is None or staff.last_login is not None or staff.has_usable_password():
            raise ValidationError(
                {"email": [ValidationError(ALREADY_EXISTS, code="already_exists")]}
            )
        audit_change(
            action="staff.invited_by_operator",
            actor=None,
            actor_label=operator_label(name=operator_name, email=operator_email),
            request=request,
            target=staff,
            before={},
            after={"email": staff.email},
            detail={"operator_email": operator_email, "first_dsl": True},
        )
        invitation_email_queue(staff=staff, link=password_reset_link(staff=staff))
    return staff
