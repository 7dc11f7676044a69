"""Changing the school's own settings (school admins only)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from safeguarding.models import SchoolSettings, Staff
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import ServiceError
from safeguarding.services.settings_rules import admin_validation_require


def school_settings_update(
    *, actor: Staff, request: HttpRequest | None, session_idle_minutes: int | None
) -> SchoolSettings:
    """Set how long an unused session lasts (None: Haven's default)."""
    admin_validation_require(
        actor, request, forbidden_message="Only school admins can change these settings."
    )
    with transaction.atomic():
        school_settings, _ = SchoolSettings.objects.select_for_update().get_or_create(
            pk=SchoolSettings.SINGLETON_ID
        )
        before = school_settings.session_idle_minutes
        school_settings.session_idle_minutes = session_idle_minutes
        try:
            school_settings.full_clean()
        except ValidationError as error:
            raise ServiceError.from_validation(
                ValidationError(error.error_dict.get("session_idle_minutes", [])),
                field="sessionIdleMinutes",
            ) from error
        school_settings.save()
        audit_record(
            action="school_settings.updated",
            actor=actor,
            request=request,
            target=school_settings,
            detail={"session_idle_minutes": [before, session_idle_minutes]},
        )
    return school_settings
