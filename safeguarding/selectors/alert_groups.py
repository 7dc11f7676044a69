"""Reading alert groups for the school admins' settings screen, with their members.

The forms' list of active groups is ``selectors.staff.alert_groups_active``.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from safeguarding.models import AlertGroup, Staff


def _groups_with_members() -> QuerySet[AlertGroup]:
    # Inactive staff stay in their groups but are never alerted; the screen shows who is.
    members = Staff.objects.filter(is_active=True).order_by("last_name", "first_name", "pk")
    return AlertGroup.objects.prefetch_related(Prefetch("members", queryset=members)).order_by(
        "order", "name"
    )


def alert_groups_for_settings(*, limit: int) -> list[AlertGroup]:
    """Every alert group in order, active or not, with its active members (two queries)."""
    return list(_groups_with_members()[:limit])


def alert_group_for_settings(*, alert_group_id: int) -> AlertGroup | None:
    return _groups_with_members().filter(pk=alert_group_id).first()
