"""Onboarding a school and inviting a school's admin, as a platform operator.

The school's side (which account, what rights, its change history, e-mails) is
``safeguarding.services.operator_invitations``; this adds the platform audit record in the
same transaction, so the two logs always agree.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from safeguarding.services.defaults import school_defaults_install
from safeguarding.services.operator_invitations import (
    staff_first_dsl_invite,
    staff_operator_invite,
)
from tenants.models import Operator, School
from tenants.operators import platform_audit_record
from tenants.platform_schools import school_get
from tenants.schools import school_create


def school_onboard(
    *,
    operator: Operator,
    request: HttpRequest | None,
    name: str,
    subdomain: str,
    urn: str,
    dsl_email: str,
) -> School:
    """Create the school (its provisioning makes the first DSL's account) and e-mail the DSL
    a set-password link. A taken subdomain or URN is refused before anything is written, so
    this never reaches an existing school."""
    school = school_create(
        defaults_install=school_defaults_install,
        name=name,
        subdomain=subdomain,
        urn=urn,
        dsl_email=dsl_email,
    )
    with transaction.atomic():
        platform_audit_record(
            action="school.created",
            request=request,
            operator=operator,
            school_subdomain=subdomain,
            detail={"name": school.name, "urn": urn},
        )
        with school:
            dsl = staff_first_dsl_invite(
                operator_name=operator.name,
                operator_email=operator.email,
                request=request,
                email=dsl_email,
            )
        platform_audit_record(
            action="school.admin_invited",
            request=request,
            operator=operator,
            school_subdomain=subdomain,
            detail={"email": dsl.email, "first_dsl": True},
        )
    return school


def school_admin_invite(
    *,
    operator: Operator,
    request: HttpRequest | None,
    subdomain: str,
    email: str,
    first_name: str,
    last_name: str,
) -> None:
    """Invite a new school admin, without key access; an address with any account at the
    school is refused (``already_exists``) and nothing changes."""
    school = school_get(subdomain)
    try:
        with transaction.atomic():
            with school:
                staff = staff_operator_invite(
                    operator_name=operator.name,
                    operator_email=operator.email,
                    request=request,
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                )
            platform_audit_record(
                action="school.admin_invited",
                request=request,
                operator=operator,
                school_subdomain=subdomain,
                detail={"email": staff.email, "is_key_holder": False},
            )
    except ValidationError as error:
        # Refused attempts are kept too: an operator naming an existing account is worth
        # knowing about. Written after the rollback, so nothing else of the attempt remains.
        with transaction.atomic():
            platform_audit_record(
                action="school.admin_invite_refused",
                request=request,
                operator=operator,
                school_subdomain=subdomain,
                detail={"email": email.strip().lower()[:254], "errors": error.messages},
            )
        raise
