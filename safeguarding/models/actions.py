"""Actions: what was done about an incident, and by whom."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Action(models.Model):
    incident = models.ForeignKey(
        "safeguarding.Incident", on_delete=models.PROTECT, related_name="actions"
    )
    author = models.ForeignKey(
        "safeguarding.Staff", on_delete=models.PROTECT, related_name="actions_authored"
    )
    text = models.TextField(help_text="Action taken.")
    occurred_at = models.DateTimeField(default=timezone.now, help_text="When it was done.")
    agencies = models.ManyToManyField("safeguarding.Agency", blank=True, related_name="actions")
    add_to_linked_pupils = models.BooleanField(
        default=False, help_text="Whether the action is copied to the linked pupils' records."
    )
    share_documents = models.BooleanField(
        default=False, help_text="Whether its attachments show on the linked pupils' copies."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["author", "-created_at"], name="action_author_history")]

    def __str__(self) -> str:
        return f"Action {self.pk} on incident {self.incident_id}"
