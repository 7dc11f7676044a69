"""Typed access to the school (schema) the database connection is currently set to.

django-tenants adds ``schema_name`` and ``tenant`` to the connection at run time; reading them
through these functions keeps that in one place.
"""

from __future__ import annotations

from django.db import connection

from tenants.models import School


def current_schema_name() -> str:
    return str(getattr(connection, "schema_name", "public"))


def current_school() -> School | None:
    """The school of the current connection, or None on the public schema."""
    school = getattr(connection, "tenant", None)
    return school if isinstance(school, School) and not school.is_public else None


def use_public_schema() -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]
