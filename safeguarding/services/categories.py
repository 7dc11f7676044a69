"""School admins' changes to categories and subcategories.

"In use" means a record points at it: an incident filed under the category (or one of its
subcategories), or a linked pupil's copy of an incident filed under it. Access-level grants
are settings, not records: deleting an unused category removes its grants with it. Something
in use is never deleted, only deactivated: it leaves the Add Incident form, and the records
that have it still show it.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from safeguarding.models import (
    AccessLevel,
    AccessLevelGrant,
    Category,
    Incident,
    IncidentLink,
    Staff,
    Subcategory,
)
from safeguarding.services.audit import audit_change
from safeguarding.services.errors import FieldError, ServiceError
from safeguarding.services.settings_rules import (
    active_set,
    admin_require,
    name_clean,
    name_race_guard,
    not_found,
    order_apply,
)

NAME_MAX = 80
# Category chips show white text on the category colour: WCAG AA for normal text.
MIN_CONTRAST = 4.5
_COLOUR = re.compile(r"#[0-9a-f]{6}")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on ``colour`` (#rrggbb), from 1 to 21."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)
    return 1.05 / (luminance + 0.05)


def darker_suggestion(colour: str) -> str:
    """The same hue, darkened just enough for white text to reach MIN_CONTRAST."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(100, -1, -1):
        # Whole-number arithmetic, so the web app's copy (lib/contrast.ts) suggests the same.
        candidate = "#{:02x}{:02x}{:02x}".format(*(channel * step // 100 for channel in (r, g, b)))
        if contrast_with_white(candidate) >= MIN_CONTRAST:
            return candidate
    return "#000000"


def colour_clean(value: str, errors: list[FieldError]) -> str:
    colour = value.strip().lower()
    if not _COLOUR.fullmatch(colour):
        errors.append(
            FieldError("colour", "invalid", "Enter a colour as # and six hex digits, e.g. #2c5282.")
        )
        return colour
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        errors.append(
            FieldError(
                "colour",
                "low_contrast",
                f"White text on {colour} has a contrast of only {ratio:.1f}:1; it needs at "
                f"least {MIN_CONTRAST}:1 to be readable. Choose a darker colour, such as "
                f"{darker_suggestion(colour)}.",
            )
        )
    return colour


def category_in_use(category: Category) -> bool:
    return (
        Incident.categories.through.objects.filter(category=category).exists()
        or IncidentLink.categories.through.objects.filter(category=category).exists()
        or Incident.subcategories.through.objects.filter(subcategory__category=category).exists()
    )


def subcategory_in_use(subcategory: Subcategory) -> bool:
    return Incident.subcategories.through.objects.filter(subcategory=subcategory).exists()


def _category_facts(category: Category) -> dict[str, object]:
    return {
        "name": category.name,
        "colour": category.colour,
        "dsl_team_only": category.dsl_team_only,
        "is_active": category.is_active,
    }


def _locked_category(category_id: int) -> Category:
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise not_found("category")
    return category


def _locked_subcategory(subcategory_id: int) -> Subcategory:
    subcategory = Subcategory.objects.select_for_update().filter(pk=subcategory_id).first()
    if subcategory is None:
        raise not_found("subcategory")
    return subcategory


def category_create(
    *,
    actor: Staff | None,
    request: HttpRequest | None = None,
    name: str,
    colour: str,
    dsl_team_only: bool = False,
) -> Category:
    """Add a category at the end of the list.

    The DSL team's access levels get every right in it at once, so nothing filed under it is
    hidden from the designated safeguarding leads; other levels gain it under Access levels.
    """
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        clean = name_clean(
            name,
            field="name",
            noun="category",
            max_length=NAME_MAX,
            taken_in=Category.objects.all(),
            errors=errors,
        )
        colour = colour_clean(colour, errors)
        if errors:
            raise ServiceError(errors)
        last = Category.objects.aggregate(last=Max("order"))["last"]
        with name_race_guard("category"):
            category = Category.objects.create(
                name=clean,
                colour=colour,
                dsl_team_only=dsl_team_only,
                order=0 if last is None else last + 1,
            )
        AccessLevelGrant.objects.bulk_create(
            AccessLevelGrant(
                access_level=level,
                category=category,
                can_view_pupils=True,
                can_view_incidents=True,
                can_add_incidents=True,
            )
            for level in AccessLevel.objects.filter(is_dsl_team=True)
        )
        audit_change(
            action="category.created",
            actor=admin,
            request=request,
            target=category,
            before={},
            after=_category_facts(category),
        )
    return category


def category_update(
    *,
    actor: Staff | None,
    request: HttpRequest | None = None,
    category_id: int,
    name: str | None = None,
    colour: str | None = None,
    dsl_team_only: bool | None = None,
) -> Category:
    """Rename, recolour or change "DSL team only"; what is not given stays as it was."""
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        category = _locked_category(category_id)
        before = _category_facts(category)
        if name is not None:
            category.name = name_clean(
                name,
                field="name",
                noun="category",
                max_length=NAME_MAX,
                taken_in=Category.objects.exclude(pk=category.pk),
                errors=errors,
            )
        if colour is not None:
            category.colour = colour_clean(colour, errors)
        if dsl_team_only is not None:
            if category.dsl_team_only and not dsl_team_only:
                # Every level that may view incidents in it then sees its records.
                admin_require(actor, request, changes_key_access=True)
            category.dsl_team_only = dsl_team_only
        if errors:
            raise ServiceError(errors)
        with name_race_guard("category"):
            category.save(update_fields=["name", "colour", "dsl_team_only"])
        audit_change(
            action="category.updated",
            actor=admin,
            request=request,
            target=category,
            before=before,
            after=_category_facts(category),
        )
    return category


def categories_reorder(
    *, actor: Staff | None, request: HttpRequest | None = None, category_ids: list[int]
) -> list[Category]:
    """Put every category (active or not) in the given order."""
    admin = admin_require(actor, request)
    with transaction.atomic():
        return order_apply(
            admin=admin,
            request=request,
            locked=Category.objects.select_for_update().order_by("order"),
            ids=category_ids,
            action="categories.reordered",
        )


def category_set_active(
    *, actor: Staff | None, request: HttpRequest | None = None, category_id: int, active: bool
) -> Category:
    """Deactivate (no longer offered for new incidents) or reactivate a category."""
    admin = admin_require(actor, request)
    with transaction.atomic():
        return active_set(
            admin=admin,
            request=request,
            item=_locked_category(category_id),
            active=active,
            noun="category",
            facts=_category_facts,
        )


def category_delete(
    *, actor: Staff | None, request: HttpRequest | None = None, category_id: int
) -> None:
    """Delete a category no record uses, with its subcategories and access-level grants."""
    admin = admin_require(actor, request)
    with transaction.atomic():
        category = _locked_category(category_id)
        if category_in_use(category):
            raise ServiceError.one(
                "id",
                "in_use",
                f"“{category.name}” is used by incidents, so it cannot be deleted. "
                "Deactivate it instead: it will no longer be offered for new incidents.",
            )
        audit_change(
            action="category.deleted",
            actor=admin,
            request=request,
            target=category,
            before=_category_facts(category)
            | {"subcategories": list(category.subcategories.values_list("name", flat=True))},
            after={"name": None, "colour": None, "subcategories": None},
        )
        category.subcategories.all().delete()
        category.delete()


# --- Subcategories --------------------------------------------------------------------------


def _subcategory_facts(subcategory: Subcategory) -> dict[str, object]:
    return {
        "category": subcategory.category_id,
        "name": subcategory.name,
        "is_active": subcategory.is_active,
    }


def subcategory_create(
    *, actor: Staff | None, request: HttpRequest | None = None, category_id: int, name: str
) -> Subcategory:
    """Add a subcategory at the end of its category's list."""
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        category = Category.objects.select_for_update().filter(pk=category_id).first()
        if category is None:
            raise not_found("category", "categoryId")
        clean = name_clean(
            name,
            field="name",
            noun="subcategory",
            max_length=NAME_MAX,
            taken_in=category.subcategories.all(),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        last = category.subcategories.aggregate(last=Max("order"))["last"]
        with name_race_guard("subcategory"):
            subcategory = Subcategory.objects.create(
                category=category, name=clean, order=0 if last is None else last + 1
            )
        audit_change(
            action="subcategory.created",
            actor=admin,
            request=request,
            target=subcategory,
            before={},
            after=_subcategory_facts(subcategory),
        )
    return subcategory


def subcategory_update(
    *, actor: Staff | None, request: HttpRequest | None = None, subcategory_id: int, name: str
) -> Subcategory:
    admin = admin_require(actor, request)
    errors: list[FieldError] = []
    with transaction.atomic():
        subcategory = _locked_subcategory(subcategory_id)
        before = _subcategory_facts(subcategory)
        subcategory.name = name_clean(
            name,
            field="name",
            noun="subcategory",
            max_length=NAME_MAX,
            taken_in=Subcategory.objects.filter(category_id=subcategory.category_id).exclude(
                pk=subcategory.pk
            ),
            errors=errors,
        )
        if errors:
            raise ServiceError(errors)
        with name_race_guard("subcategory"):
            subcategory.save(update_fields=["name"])
        audit_change(
            action="subcategory.updated",
            actor=admin,
            request=request,
            target=subcategory,
            before=before,
            after=_subcategory_facts(subcategory),
        )
    return subcategory


def subcategories_reorder(
    *,
    actor: Staff | None,
    request: HttpRequest | None = None,
    category_id: int,
    subcategory_ids: list[int],
) -> Category:
    """Put every subcategory of a category in the given order."""
    admin = admin_require(actor, request)
    with transaction.atomic():
        category = Category.objects.select_for_update().filter(pk=category_id).first()
        if category is None:
            raise not_found("category", "categoryId")
        order_apply(
            admin=admin,
            request=request,
            locked=category.subcategories.select_for_update().order_by("order"),
            ids=subcategory_ids,
            action="subcategories.reordered",
            target=category,
            audited_as="subcategory_order",
        )
    return category


def subcategory_set_active(
    *, actor: Staff | None, request: HttpRequest | None = None, subcategory_id: int, active: bool
) -> Subcategory:
    admin = admin_require(actor, request)
    with transaction.atomic():
        return active_set(
            admin=admin,
            request=request,
            item=_locked_subcategory(subcategory_id),
            active=active,
            noun="subcategory",
            facts=_subcategory_facts,
        )


def subcategory_delete(
    *, actor: Staff | None, request: HttpRequest | None = None, subcategory_id: int
) -> None:
    admin = admin_require(actor, request)
    with transaction.atomic():
        subcategory = _locked_subcategory(subcategory_id)
        if subcategory_in_use(subcategory):
            raise ServiceError.one(
                "id",
                "in_use",
                f"“{subcategory.name}” is used by incidents, so it cannot be deleted. "
                "Deactivate it instead: it will no longer be offered for new incidents.",
            )
        audit_change(
            action="subcategory.deleted",
            actor=admin,
            request=request,
            target=subcategory,
            before=_subcategory_facts(subcategory),
            after={"name": None},
        )
        subcategory.delete()
