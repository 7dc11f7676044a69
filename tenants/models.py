"""The public schema: one School per tenant and the host names that lead to it."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class School(TenantMixin):
    """A school: its own PostgreSQL schema (named after its subdomain) and its own staff."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=200, help_text="The school's name as staff know it.")
    urn = models.CharField(
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{6}\Z", "A URN is exactly 6 digits.")],
        help_text="Unique Reference Number from Get Information about Schools (6 digits).",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    # Creating the schema is done explicitly by tenants.schools.school_create, inside one
    # transaction with the domain and defaults, so a failure leaves nothing behind.
    auto_create_schema = False
    auto_drop_schema = True

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def subdomain(self) -> str:
        return str(self.schema_name)

    @property
    def is_public(self) -> bool:
        from django_tenants.utils import get_public_schema_name

        return bool(self.schema_name == get_public_schema_name())


class Domain(DomainMixin):
    """A host name (e.g. montsaye.haven.example) that resolves to a school."""

    def __str__(self) -> str:
        return str(self.domain)
