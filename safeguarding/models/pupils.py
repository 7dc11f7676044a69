"""Pupils and the year and tutor groups they belong to, as the school's MIS knows them."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models


class YearGroup(models.Model):
    name = models.CharField(max_length=40, unique=True, help_text="e.g. Year 7")
    order = models.PositiveIntegerField(default=0)
    mis_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="Id in the school's MIS."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TutorGroup(models.Model):
    name = models.CharField(max_length=40, unique=True, help_text="e.g. 1B")
    year_group = models.ForeignKey(
        YearGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="tutor_groups"
    )
    mis_id = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="Id in the school's MIS."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pupil(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        OTHER = "X", "Other / not stated"

    mis_id = models.CharField(max_length=64, unique=True, help_text="Id in the school's MIS.")
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.OTHER)
    year_group = models.ForeignKey(
        YearGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="pupils"
    )
    tutor_group = models.ForeignKey(
        TutorGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="pupils"
    )
    left_on = models.DateField(null=True, blank=True, help_text="Set when the pupil left roll.")
    # Every name as words for the typeahead. PostgreSQL's built-in text search ('simple': no
    # stemming, no stop words) with a GIN index finds word prefixes ("gre" → Greenwood) in
    # any PostgreSQL, including the embedded one, which has no pg_trgm.
    search_vector = models.GeneratedField(
        expression=SearchVector(
            "legal_first_name",
            "legal_last_name",
            "preferred_first_name",
            "preferred_last_name",
            config="simple",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            GinIndex(fields=["search_vector"], name="pupil_search_words"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        """The guide's form: "Hannah Greenwood (1B)"."""
        if self.tutor_group_id is None:
            return self.full_name
        return f"{self.full_name} ({self.tutor_group.name})"  # type: ignore[union-attr]

    @property
    def on_roll(self) -> bool:
        return self.left_on is None
