"""Categories and subcategories an incident is filed under; configurable per school."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}\Z", "A colour is #rrggbb.")


class Category(models.Model):
    name = models.CharField(max_length=80)
    colour = models.CharField(
        max_length=7, default="#4a5568", validators=[colour_validator], help_text="Chip colour."
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Inactive categories are not offered for new records."
    )
    dsl_team_only = models.BooleanField(
        default=False, help_text="Only the DSL team may see records in this category."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(Lower("name"), name="category_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Subcategory(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="subcategories")
    name = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "subcategories"
        constraints = [
            models.UniqueConstraint("category", Lower("name"), name="subcategory_name_unique_ci")
        ]

    def __str__(self) -> str:
        return self.name
