"""Reading the school's own settings."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from safeguarding.models import SchoolSettings


def school_settings_get() -> SchoolSettings:
    """The school's settings; unsaved defaults when the school never changed any."""
    found = SchoolSettings.objects.filter(pk=SchoolSettings.SINGLETON_ID).first()
    return found if found is not None else SchoolSettings()


def session_idle_limit() -> timedelta:
    minutes = school_settings_get().session_idle_minutes or settings.HAVEN_SESSION_IDLE_MINUTES
    return timedelta(minutes=minutes)


def session_absolute_limit() -> timedelta:
    return timedelta(seconds=settings.HAVEN_SESSION_ABSOLUTE_SECONDS)
