"""Reading colleagues: the alert picker, with who would not normally see the incident."""

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
