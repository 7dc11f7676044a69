"""Reading agencies for the school admins' settings screen, with whether a record uses each."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from safeguarding.models import Action, Agency, Incident


def _agencies_with_use() -> QuerySet[Agency]:
    on_incidents = Incident.agencies.through.objects.filter(agency=OuterRef("pk"))
    on_actions = Action.agencies.through.objects.filter(agency=OuterRef("pk"))
    return Agency.objects.annotate(in_use=Exists(on_incidents) | Exists(on_actions)).order_by(
        "name", "pk"
    )


def agencies_for_settings(*, limit: int) -> list[Agency]:
    """Every agency by name, active or not, with ``in_use`` (one query)."""
    return list(_agencies_with_use()[:limit])


def agency_for_settings(*, agency_id: int) -> Agency | None:
    return _agencies_with_use().filter(pk=agency_id).first()
