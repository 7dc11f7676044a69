"""Staff accounts. They live in the school's schema: a login exists at one school only."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models


class StaffManager(BaseUserManager["Staff"]):
    def get_by_natural_key(self, username: str | None) -> Staff:
        # E-mail logins are case-insensitive.
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Staff:
        staff = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            staff.set_password(password)
        else:
            # Staff choose their own password through the first-time link.
            staff.set_unusable_password()
        staff.save(using=self._db)
        return staff


class Staff(AbstractBaseUser):
    """A member of staff at one school."""

    # Stored lower-cased (see save), so uniqueness is case-insensitive.
    email = models.EmailField(max_length=254, unique=True, help_text="Login and alert address.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=150, blank=True)
    mis_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="Id in the school's MIS."
    )
    is_active = models.BooleanField(default=True)
    is_key_holder = models.BooleanField(
        default=False, help_text="Key access: sees records beyond their own alerts."
    )
    is_school_admin = models.BooleanField(
        default=False, help_text="Manages staff, categories, alert groups and settings."
    )
    date_joined = models.DateTimeField(auto_now_add=True)
    access_level = models.ForeignKey(
        "safeguarding.AccessLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="What this person may see and add, category by category.",
    )

    objects: ClassVar[StaffManager] = StaffManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    class Meta:
        verbose_name_plural = "staff"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
