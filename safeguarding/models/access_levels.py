"""Access levels: what a key holder may see and add, category by category.

A level grants, per category, any of "view pupils", "view incidents" and "add incidents".
It may be limited to some year groups and/or tutor groups; an empty limit means every pupil.
Only staff on a level marked ``is_dsl_team`` ever see categories marked "DSL team only".
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class AccessLevel(models.Model):
    name = models.CharField(max_length=80, help_text="e.g. Pastoral.")
    description = models.CharField(max_length=300, blank=True)
    is_dsl_team = models.BooleanField(
        default=False, help_text="Members see categories marked DSL team only."
    )
    year_groups = models.ManyToManyField(
        "safeguarding.YearGroup",
        blank=True,
        related_name="+",
        help_text="If any are chosen, only pupils in these year groups.",
    )
    tutor_groups = models.ManyToManyField(
        "safeguarding.TutorGroup",
        blank=True,
        related_name="+",
        help_text="If any are chosen, only pupils in these tutor groups.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="access_level_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class AccessLevelGrant(models.Model):
    """What one access level allows in one category."""

    access_level = models.ForeignKey(AccessLevel, on_delete=models.CASCADE, related_name="grants")
    category = models.ForeignKey(
        "safeguarding.Category", on_delete=models.CASCADE, related_name="grants"
    )
    can_view_pupils = models.BooleanField(default=False, help_text="View pupils.")
    can_view_incidents = models.BooleanField(default=False, help_text="View incidents.")
    can_add_incidents = models.BooleanField(default=False, help_text="Add incidents.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["access_level", "category"], name="access_level_grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.access_level} / {self.category}"
