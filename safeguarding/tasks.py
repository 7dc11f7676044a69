"""Periodic upkeep of school records (thin tasks: each calls a service per school)."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import get_public_schema_name

from safeguarding.services.attachments import attachments_unclaimed_delete
from tenants.models import School


@shared_task(name="safeguarding.attachments_unclaimed_sweep", ignore_result=True)
def attachments_unclaimed_sweep() -> dict[str, int]:
    """Celery beat: in every school, delete uploads never attached to a record, with their
    files; returns how many per school."""
    counts: dict[str, int] = {}
    for school in School.objects.exclude(schema_name=get_public_schema_name()).order_by("pk"):
        with school:
            deleted = attachments_unclaimed_delete()
        if deleted:
            counts[school.schema_name] = deleted
    return counts
