"""Agencies a school works with (recorded as "Agency Involved")."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class Agency(models.Model):
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci")]

    def __str__(self) -> str:
        return self.name
