"""Reading the lists the forms offer: categories, agencies."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.models import Agency, Category
from safeguarding.permissions import Actor, CategoryFacts, addable_category_ids


def categories_addable(*, actor: Actor, limit: int) -> list[Category]:
    """Active categories, with subcategories, in which this person may add incidents."""
    categories = list(
        Category.objects.filter(is_active=True).prefetch_related("subcategories")[:limit]
    )
    allowed = addable_category_ids(actor.profile, [CategoryFacts.of(c) for c in categories])
    return [c for c in categories if c.pk in allowed]


def category_facts_addable(*, actor: Actor, category_ids: list[int]) -> list[CategoryFacts]:
    """Facts of the given categories that this person may file under (active, allowed by
    their level). The alert picker asks "who could normally view such an incident?" only for
    an incident the asker could write: probing with other categories (a DSL-team-only one)
    would reveal colleagues' access beyond the asker's own."""
    facts = [
        CategoryFacts.of(c) for c in Category.objects.filter(pk__in=category_ids, is_active=True)
    ]
    allowed = addable_category_ids(actor.profile, facts)
    return [fact for fact in facts if fact.id in allowed]


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)
