"""Onboarding: create a school (schema, domain, defaults) all at once or not at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from tenants.models import Domain, School

SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z")
RESERVED_SUBDOMAINS = frozenset(
    {
        "admin",
        "api",
        "app",
        "apps",
        "assets",
        "auth",
        "cdn",
        "dashboard",
        "docs",
        "ftp",
        "graphql",
        "haven",
        "help",
        "imap",
        "login",
        "mail",
        "media",
        "mx",
        "ns1",
        "ns2",
        "operator",
        "operators",
        "platform",
        "pop",
        "public",
        "smtp",
        "sso",
        "static",
        "status",
        "support",
        "template",
        "test",
        "webmail",
        "www",
    }
)


def validate_subdomain(subdomain: str) -> None:
    if not 3 <= len(subdomain) <= 63:
        raise ValidationError(
            "A subdomain must be 3 to 63 characters long.", code="subdomain_length"
        )
    if not SUBDOMAIN_PATTERN.match(subdomain):
        raise ValidationError(
            "A subdomain may contain only lowercase letters, digits and hyphens, "
            "and must start and end with a letter or digit.",
            code="subdomain_characters",
        )
    if subdomain in RESERVED_SUBDOMAINS or subdomain.startswith("pg") or "--" in subdomain:
        raise ValidationError(
            f"The subdomain '{subdomain}' is reserved.", code="subdomain_reserved"
        )
    if School.objects.filter(schema_name=subdomain).exists():
        raise ValidationError(
            f"The subdomain '{subdomain}' is already taken.", code="subdomain_taken"
        )


def validate_urn(urn: str) -> None:
    if not re.fullmatch(r"\d{6}", urn):
        raise ValidationError("A URN is exactly 6 digits.", code="urn_format")
    if School.objects.filter(urn=urn).exists():
        raise ValidationError(f"A school with URN {urn} already exists.", code="urn_taken")


def school_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.BASE_DOMAIN}"


def school_url(subdomain: str, path: str = "/") -> str:
    """The address of ``path`` on the school's host, e.g. ``https://montsaye.<base>/``: the one
    place links in e-mails, set-password links and security keys' origin are built. It comes
    from settings (scheme, base domain, the port in development), never from a request's Host
    header, so nobody can make Haven point a link elsewhere. ``path=""`` gives the origin."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{school_host(subdomain)}{port}{path}"


def public_tenant_ensure() -> School:
    """The public tenant answers on the base domain (operators' site)."""
    school: School
    school, _ = School.objects.get_or_create(
        schema_name="public", defaults={"name": "Haven platform", "urn": None}
    )
    Domain.objects.get_or_create(
        domain=settings.BASE_DOMAIN, defaults={"tenant": school, "is_primary": True}
    )
    return school


def _validation_errors(
    *, name: str, subdomain: str, urn: str, dsl_email: str | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append("A school needs a name.")
    checks: list[tuple[str, Callable[[str], None], str]] = [
        ("subdomain", validate_subdomain, subdomain),
        ("urn", validate_urn, urn),
    ]
    if dsl_email is not None:
        checks.append(("dsl_email", validate_email, dsl_email))
    for field_name, check, value in checks:
        try:
            check(value)
        except ValidationError as error:
            messages = error.messages
            if field_name == "dsl_email":
                messages = [f"'{value}' is not a valid e-mail address."]
            errors.setdefault(field_name, []).extend(messages)
    return errors


def school_provision(
    *, name: str, subdomain: str, urn: str, populate: Callable[[School], None]
) -> School:
    """Create a school's row, migrated schema and host, then ``populate`` it, all in one
    transaction: any failure rolls back the row, the domain and the schema (PostgreSQL DDL is
    transactional). The caller has validated the input."""
    with transaction.atomic():
        school = School(schema_name=subdomain, name=name, urn=urn)
        school.save()
        school.create_schema(check_if_exists=False, verbosity=0)
        Domain.objects.create(domain=school_host(subdomain), tenant=school, is_primary=True)
        with school:
            populate(school)
    return school


class DefaultsInstaller(Protocol):
    """Fills a new school's schema with its starting settings and first DSL; called inside the
    school's schema. The school's own domain (safeguarding) supplies it: tenants knows nothing
    of categories or staff."""

    def __call__(self, *, dsl_email: str, dsl_first_name: str, dsl_last_name: str) -> object: ...


def school_create(
    *,
    defaults_install: DefaultsInstaller,
    name: str,
    subdomain: str,
    urn: str,
    dsl_email: str,
    dsl_first_name: str = "Designated",
    dsl_last_name: str = "Safeguarding Lead",
) -> School:
    """Create a school with its schema, domain and ``defaults_install``'s defaults, in one
    transaction.

    Validation errors are raised before anything is written.
    """
    name = name.strip()
    errors = _validation_errors(name=name, subdomain=subdomain, urn=urn, dsl_email=dsl_email)
    if errors:
        raise ValidationError(errors)

    def install_defaults(school: School) -> None:
        defaults_install(
            dsl_email=dsl_email, dsl_first_name=dsl_first_name, dsl_last_name=dsl_last_name
        )

    return school_provision(name=name, subdomain=subdomain, urn=urn, populate=install_defaults)


def school_validate_new(*, name: str, subdomain: str, urn: str) -> None:
    """Raise a ValidationError (per field) unless a school could be created with these."""
    errors = _validation_errors(name=name.strip(), subdomain=subdomain, urn=urn, dsl_email=None)
    if errors:
        raise ValidationError(errors)
