"""Alert groups: alerting a group alerts its members at that moment."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class AlertGroup(models.Model):
    name = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField("safeguarding.Staff", related_name="alert_groups", blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="alert_group_name_unique_ci")]

    def __str__(self) -> str:
        return self.name
