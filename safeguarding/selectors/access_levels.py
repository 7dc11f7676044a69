"""Reading access levels for the settings screens."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from safeguarding.models import AccessLevel, Category

MAX_ACCESS_LEVELS = 200
MAX_CATEGORIES = 200


def access_levels_for_settings() -> list[AccessLevel]:
    """Every level by name, with how many staff hold it (deactivated staff included: they
    keep their level) and its grants and limits prefetched."""
    return list(
        AccessLevel.objects.annotate(staff_count=Count("staff", distinct=True))
        .prefetch_related("grants", "year_groups", "tutor_groups")
        .order_by("name", "pk")[:MAX_ACCESS_LEVELS]
    )


def categories_all() -> QuerySet[Category]:
    """Every category in the school's order, inactive ones too."""
    return Category.objects.order_by("order", "name", "pk")[:MAX_CATEGORIES]


def access_level_get_for_settings(*, access_level_id: int) -> AccessLevel | None:
    return (
        AccessLevel.objects.annotate(staff_count=Count("staff", distinct=True))
        .prefetch_related("grants", "year_groups", "tutor_groups")
        .filter(pk=access_level_id)
        .first()
    )


def access_levels_all() -> QuerySet[AccessLevel]:
    """Levels by name, for choosing one (e.g. on a staff form)."""
    return AccessLevel.objects.order_by("name", "pk")[:MAX_ACCESS_LEVELS]
