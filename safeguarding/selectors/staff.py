"""Reading colleagues: the alert picker (with who would not normally see the incident) and
the staff list of the settings screens."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safeguarding.models import AlertGroup, Staff


def staff_search(*, search: str) -> QuerySet[Staff]:
    queryset = Staff.objects.filter(is_active=True).select_related("access_level")
    for word in search.split()[:5]:
        queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return queryset.prefetch_related(
        "access_level__grants", "access_level__year_groups", "access_level__tutor_groups"
    ).order_by("last_name", "first_name", "id")


def alert_groups_active() -> QuerySet[AlertGroup]:
    return AlertGroup.objects.filter(is_active=True).order_by("order", "name")


def staff_for_settings(*, search: str, include_inactive: bool) -> QuerySet[Staff]:
    """Staff for the settings list: by name or e-mail, with level and alert groups."""
    queryset = Staff.objects.all() if include_inactive else Staff.objects.filter(is_active=True)
    for word in search.split()[:5]:
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
        )
    return (
        queryset.select_related("access_level")
        .prefetch_related("alert_groups")
        .order_by("last_name", "first_name", "id")
    )


def staff_get_for_settings(*, staff_id: int) -> Staff | None:
    return (
        Staff.objects.select_related("access_level")
        .prefetch_related("alert_groups")
        .filter(pk=staff_id)
        .first()
    )
