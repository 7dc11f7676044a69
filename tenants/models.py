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


class Operator(models.Model):
    """A platform operator: onboards and suspends schools, never reads a school's records.

    Operators live in the public schema and sign in only on the public host; school hosts
    look sessions up in their own schema, where no operator session can exist. Every sign-in
    needs the password and a TOTP code (django-otp's OATH implementation).
    """

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    password = models.CharField(max_length=256)
    totp_key = models.CharField(max_length=80, help_text="Hex-encoded TOTP secret.")
    totp_last_t = models.BigIntegerField(
        default=-1, help_text="Time step of the last accepted code: a code works once."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class PlatformAuditEvent(models.Model):
    """Append-only log of operator actions (who, what, when, from where)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    school_subdomain = models.CharField(max_length=63, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
