"""Body map markers: numbered points on a front or back outline of a body."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class BodyMapMarker(models.Model):
    class Side(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    incident = models.ForeignKey(
        "safeguarding.Incident", on_delete=models.CASCADE, related_name="body_map_markers"
    )
    side = models.CharField(max_length=5, choices=Side.choices)
    x = models.FloatField(
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Horizontal position, 0 (left edge) to 1 (right edge) of the outline.",
    )
    y = models.FloatField(
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Vertical position, 0 (top) to 1 (bottom) of the outline.",
    )
    number = models.PositiveSmallIntegerField(help_text="The number shown on the marker.")
    note = models.CharField(max_length=200, blank=True, help_text="A short note.")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="body_map_number_unique"),
            models.CheckConstraint(
                condition=models.Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1),
                name="body_map_marker_in_outline",
            ),
        ]

    def __str__(self) -> str:
        return f"Marker {self.number} ({self.side})"
