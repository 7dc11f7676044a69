"""Incidents: a concern logged about a pupil, possibly linked to other pupils."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Incident(models.Model):
    """A concern about a pupil, as logged by a member of staff."""

    pupil = models.ForeignKey(
        "safeguarding.Pupil", on_delete=models.PROTECT, related_name="incidents"
    )
    author = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="incidents_authored"
    )
    occurred_at = models.DateTimeField(
        default=timezone.now, help_text="When it happened; chronologies sort by it."
    )
    text = models.TextField(help_text="What happened, in the author's words.")
    categories = models.ManyToManyField("safeguarding.Category", related_name="incidents")
    subcategories = models.ManyToManyField(
        "safeguarding.Subcategory", blank=True, related_name="incidents"
    )
    agencies = models.ManyToManyField("safeguarding.Agency", blank=True, related_name="incidents")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was logged.")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["pupil", "-occurred_at"], name="incident_pupil_chronology"),
            models.Index(fields=["author", "-created_at"], name="incident_author_history"),
        ]

    def __str__(self) -> str:
        return f"Incident {self.pk} for pupil {self.pupil_id}"


class IncidentLink(models.Model):
    """A linked pupil: the incident is copied onto their record under their own categories."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    pupil = models.ForeignKey(
        "safeguarding.Pupil", on_delete=models.PROTECT, related_name="incident_links"
    )
    categories = models.ManyToManyField("safeguarding.Category", related_name="incident_links")
    share_documents = models.BooleanField(
        default=False, help_text="Whether the attachments show on this pupil's copy."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "pupil"], name="incident_link_unique")
        ]

    def __str__(self) -> str:
        return f"Incident {self.incident_id} linked to pupil {self.pupil_id}"
