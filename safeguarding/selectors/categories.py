"""Reading categories for the school admins' settings screen: all of them, active or not,
each with whether a record uses it (see services/categories.py for what counts)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from safeguarding.models import Category, Incident, IncidentLink, Subcategory


def _subcategories_with_use() -> QuerySet[Subcategory]:
    used = Incident.subcategories.through.objects.filter(subcategory=OuterRef("pk"))
    return Subcategory.objects.annotate(in_use=Exists(used)).order_by("order", "name")


def _categories_with_use() -> QuerySet[Category]:
    on_incidents = Incident.categories.through.objects.filter(category=OuterRef("pk"))
    on_links = IncidentLink.categories.through.objects.filter(category=OuterRef("pk"))
    on_subcategories = Incident.subcategories.through.objects.filter(
        subcategory__category=OuterRef("pk")
    )
    return (
        Category.objects.annotate(
            in_use=Exists(on_incidents) | Exists(on_links) | Exists(on_subcategories)
        )
        .prefetch_related(Prefetch("subcategories", queryset=_subcategories_with_use()))
        .order_by("order", "name")
    )


def categories_for_settings(*, limit: int) -> list[Category]:
    """Every category in order, with ``in_use`` and prefetched subcategories (two queries)."""
    return list(_categories_with_use()[:limit])


def category_for_settings(*, category_id: int) -> Category | None:
    return _categories_with_use().filter(pk=category_id).first()


def subcategory_for_settings(*, subcategory_id: int) -> Subcategory | None:
    return _subcategories_with_use().filter(pk=subcategory_id).first()
