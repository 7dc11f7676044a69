"""Settings a school chooses for itself, one row in the school's schema."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class SchoolSettings(models.Model):
    """The school's own choices; a missing row means every default applies."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    session_idle_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
        help_text="Minutes without activity after which a session ends; empty for the default.",
    )

    class Meta:
        verbose_name_plural = "school settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="school_settings_singleton")
        ]

    def __str__(self) -> str:
        return "School settings"
