"""Reading the school's own settings."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Subquery

from safeguarding.models import SchoolSettings


def school_settings_get() -> SchoolSettings:
    """The school's settings; unsaved defaults when the school never changed any."""
    found = SchoolSettings.objects.filter(pk=SchoolSettings.SINGLETON_ID).first()
    return found if found is not None else SchoolSettings()


def session_idle_limit() -> timedelta:
    return idle_limit_of(school_settings_get().session_idle_minutes)


def idle_limit_of(session_idle_minutes: int | None) -> timedelta:
    """The idle limit given the school's setting (None: the default)."""
    return timedelta(minutes=session_idle_minutes or settings.HAVEN_SESSION_IDLE_MINUTES)


def session_idle_minutes_subquery() -> Subquery:
    """The school's idle-limit setting as a column, to read it in the same query as the
    session it applies to (every signed-in request reads both)."""
    return Subquery(
        SchoolSettings.objects.filter(pk=SchoolSettings.SINGLETON_ID).values(
            "session_idle_minutes"
        )[:1]
    )


def session_absolute_limit() -> timedelta:
    return timedelta(seconds=settings.HAVEN_SESSION_ABSOLUTE_SECONDS)
