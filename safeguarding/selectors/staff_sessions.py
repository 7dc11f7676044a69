"""Reading staff sessions."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.models import Staff, StaffSession


def staff_sessions_of(*, staff: Staff) -> QuerySet[StaffSession]:
    """A person's signed-in sessions, most recently used first."""
    return StaffSession.objects.filter(staff=staff).order_by("-last_seen_at", "-created_at")
