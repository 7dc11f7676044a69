"""Categories and subcategories in the school admins' settings (the Add Incident form's list
is ``categories`` in reference.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.access_levels import settings_admin
from graphql_api.context import Info
from graphql_api.ids import decode_id, decode_ids, global_id
from graphql_api.types.errors import UserError, errors_of
from safeguarding.models import Category, Subcategory
from safeguarding.selectors.categories import (
    categories_for_settings,
    category_for_settings,
    subcategory_for_settings,
)
from safeguarding.services.categories import (
    categories_reorder,
    category_create,
    category_delete,
    category_set_active,
    category_update,
    subcategories_reorder,
    subcategory_create,
    subcategory_delete,
    subcategory_set_active,
    subcategory_update,
)
from safeguarding.services.errors import ServiceError

MAX_CATEGORIES = 500
MAX_SUBCATEGORIES = 500


@strawberry.type(name="SettingsSubcategory", description="A subcategory, as admins manage it.")
class SettingsSubcategoryType:
    id: relay.GlobalID = strawberry.field(description="Global id (as in `categories`).")
    name: str = strawberry.field(description="Name, e.g. Early Help.")
    order: int = strawberry.field(description="Position within its category, from 0.")
    is_active: bool = strawberry.field(
        description="Offered for new incidents; inactive ones still show on old records."
    )
    in_use: bool = strawberry.field(
        description="Whether an incident records it; then it can be deactivated, not deleted."
    )

    @classmethod
    def from_model(cls, subcategory: Subcategory) -> SettingsSubcategoryType:
        return cls(
            id=global_id("Subcategory", subcategory.pk),
            name=subcategory.name,
            order=subcategory.order,
            is_active=subcategory.is_active,
            in_use=bool(getattr(subcategory, "in_use", True)),
        )


@strawberry.type(name="SettingsCategory", description="A category, as admins manage it.")
class SettingsCategoryType:
    id: relay.GlobalID = strawberry.field(description="Global id (as in `categories`).")
    name: str = strawberry.field(description="Name, e.g. Child Protection.")
    colour: str = strawberry.field(description="Chip colour, #rrggbb (white text on it).")
    order: int = strawberry.field(description="Position in the list, from 0.")
    is_active: bool = strawberry.field(
        description="Offered for new incidents; inactive ones still show on old records."
    )
    dsl_team_only: bool = strawberry.field(
        description="Only the DSL team's access level sees records in this category."
    )
    in_use: bool = strawberry.field(
        description="Whether an incident (or a linked student's copy) is filed under it or "
        "one of its subcategories; then it can be deactivated, not deleted."
    )
    subcategories: list[SettingsSubcategoryType] = strawberry.field(
        description="All its subcategories, active or not, in order (at most 500)."
    )

    @classmethod
    def from_model(cls, category: Category) -> SettingsCategoryType:
        return cls(
            id=global_id("Category", category.pk),
            name=category.name,
            colour=category.colour,
            order=category.order,
            is_active=category.is_active,
            dsl_team_only=category.dsl_team_only,
            in_use=bool(getattr(category, "in_use", True)),
            subcategories=[
                SettingsSubcategoryType.from_model(s)
                for s in list(category.subcategories.all())[:MAX_SUBCATEGORIES]
            ],
        )


@strawberry.input(description="A new category.")
class CreateCategoryInput:
    name: str = strawberry.field(description="Name, unique in the school (at most 80).")
    colour: str = strawberry.field(
        description="Chip colour #rrggbb; white text on it needs a contrast of at least 4.5:1."
    )
    dsl_team_only: bool = strawberry.field(
        default=False, description="Only the DSL team sees records in this category."
    )


@strawberry.input(description="Changes to a category; what is left out stays as it is.")
class UpdateCategoryInput:
    name: str | None = strawberry.field(default=None, description="New name.")
    colour: str | None = strawberry.field(default=None, description="New chip colour, #rrggbb.")
    dsl_team_only: bool | None = strawberry.field(
        default=None, description="Whether only the DSL team sees records in this category."
    )


@strawberry.type(description="A category after a change.")
class CategoryPayload:
    category: SettingsCategoryType | None = strawberry.field(
        description="The category as it now is; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="All categories after reordering.")
class CategoriesPayload:
    categories: list[SettingsCategoryType] | None = strawberry.field(
        description="Every category in its new order; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="A subcategory after a change.")
class SubcategoryPayload:
    subcategory: SettingsSubcategoryType | None = strawberry.field(
        description="The subcategory as it now is; null when nothing changed."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="The result of deleting something from the settings.")
class DeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        description="The id of what was deleted; null when nothing was."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")


def _category(category_id: int) -> SettingsCategoryType:
    category = category_for_settings(category_id=category_id)
    assert category is not None
    return SettingsCategoryType.from_model(category)


def _subcategory(subcategory_id: int) -> SettingsSubcategoryType:
    subcategory = subcategory_for_settings(subcategory_id=subcategory_id)
    assert subcategory is not None
    return SettingsSubcategoryType.from_model(subcategory)


# Ids that do not decode become 0: the service then refuses (forbidden before not found).
def _key(value: relay.GlobalID, type_name: str) -> int:
    return decode_id(value, type_name) or 0


ID_ARG = strawberry.argument(description="The category's id.")
SUB_ID_ARG = strawberry.argument(description="The subcategory's id.")
ACTIVE_ARG = strawberry.argument(description="True to reactivate, false to deactivate.")


@strawberry.type
class CategoriesSettingsQuery:
    @strawberry.field(
        description="Every category, active or not, in order, with its subcategories "
        "(at most 500); null unless you are a school admin."
    )
    def settings_categories(self, info: Info) -> list[SettingsCategoryType] | None:
        if settings_admin(info) is None:
            return None
        return [
            SettingsCategoryType.from_model(c)
            for c in categories_for_settings(limit=MAX_CATEGORIES)
        ]


@strawberry.type
class CategoriesSettingsMutation:
    @strawberry.mutation(description="Add a category at the end of the list (school admins).")
    def create_category(
        self,
        info: Info,
        input: Annotated[  # noqa: A002 - the argument's name in the API
            CreateCategoryInput, strawberry.argument(description="The category.")
        ],
    ) -> CategoryPayload:
        try:
            category = category_create(
                actor=info.context.staff,
                request=info.context.request,
                name=input.name,
                colour=input.colour,
                dsl_team_only=input.dsl_team_only,
            )
        except ServiceError as error:
            return CategoryPayload(category=None, errors=errors_of(error))
        return CategoryPayload(category=_category(category.pk), errors=[])

    @strawberry.mutation(
        description="Rename or recolour a category, or change DSL team only (school admins)."
    )
    def update_category(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        input: Annotated[  # noqa: A002 - the argument's name in the API
            UpdateCategoryInput, strawberry.argument(description="The changes.")
        ],
    ) -> CategoryPayload:
        try:
            category = category_update(
                actor=info.context.staff,
                request=info.context.request,
                category_id=_key(id, "Category"),
                name=input.name,
                colour=input.colour,
                dsl_team_only=input.dsl_team_only,
            )
        except ServiceError as error:
            return CategoryPayload(category=None, errors=errors_of(error))
        return CategoryPayload(category=_category(category.pk), errors=[])

    @strawberry.mutation(
        description="Put the categories in a new order; the list names every category, "
        "active or not, once (school admins)."
    )
    def reorder_categories(
        self,
        info: Info,
        ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="Every category's id, in the new order."),
        ],
    ) -> CategoriesPayload:
        keys, valid = decode_ids(ids[: MAX_CATEGORIES + 1], "Category")
        try:
            categories_reorder(
                actor=info.context.staff,
                request=info.context.request,
                # An undecodable id can never match a category: the order check refuses it.
                category_ids=keys if valid else [*keys, 0],
            )
        except ServiceError as error:
            return CategoriesPayload(categories=None, errors=errors_of(error))
        return CategoriesPayload(
            categories=[
                SettingsCategoryType.from_model(c)
                for c in categories_for_settings(limit=MAX_CATEGORIES)
            ],
            errors=[],
        )

    @strawberry.mutation(
        description="Deactivate a category (no longer offered for new incidents; old records "
        "still show it) or reactivate it (school admins)."
    )
    def set_category_active(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
        active: Annotated[bool, ACTIVE_ARG],
    ) -> CategoryPayload:
        try:
            category = category_set_active(
                actor=info.context.staff,
                request=info.context.request,
                category_id=_key(id, "Category"),
                active=active,
            )
        except ServiceError as error:
            return CategoryPayload(category=None, errors=errors_of(error))
        return CategoryPayload(category=_category(category.pk), errors=[])

    @strawberry.mutation(
        description="Delete a category no record uses, with its subcategories; refused with "
        "code in_use otherwise (school admins)."
    )
    def delete_category(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, ID_ARG],  # noqa: A002 - the argument's name in the API
    ) -> DeletePayload:
        try:
            category_delete(
                actor=info.context.staff,
                request=info.context.request,
                category_id=_key(id, "Category"),
            )
        except ServiceError as error:
            return DeletePayload(deleted_id=None, errors=errors_of(error))
        return DeletePayload(deleted_id=id, errors=[])

    @strawberry.mutation(
        description="Add a subcategory at the end of a category's list (school admins)."
    )
    def create_subcategory(
        self,
        info: Info,
        category_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The category it belongs to.")
        ],
        name: Annotated[
            str, strawberry.argument(description="Name, unique in its category (at most 80).")
        ],
    ) -> SubcategoryPayload:
        try:
            subcategory = subcategory_create(
                actor=info.context.staff,
                request=info.context.request,
                category_id=_key(category_id, "Category"),
                name=name,
            )
        except ServiceError as error:
            return SubcategoryPayload(subcategory=None, errors=errors_of(error))
        return SubcategoryPayload(subcategory=_subcategory(subcategory.pk), errors=[])

    @strawberry.mutation(description="Rename a subcategory (school admins).")
    def update_subcategory(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, SUB_ID_ARG],  # noqa: A002 - the argument's name in the API
        name: Annotated[str, strawberry.argument(description="New name.")],
    ) -> SubcategoryPayload:
        try:
            subcategory = subcategory_update(
                actor=info.context.staff,
                request=info.context.request,
                subcategory_id=_key(id, "Subcategory"),
                name=name,
            )
        except ServiceError as error:
            return SubcategoryPayload(subcategory=None, errors=errors_of(error))
        return SubcategoryPayload(subcategory=_subcategory(subcategory.pk), errors=[])

    @strawberry.mutation(
        description="Put a category's subcategories in a new order; the list names each of "
        "them once (school admins)."
    )
    def reorder_subcategories(
        self,
        info: Info,
        category_id: Annotated[relay.GlobalID, strawberry.argument(description="The category.")],
        ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="Every subcategory's id, in the new order."),
        ],
    ) -> CategoryPayload:
        keys, valid = decode_ids(ids[: MAX_SUBCATEGORIES + 1], "Subcategory")
        try:
            category = subcategories_reorder(
                actor=info.context.staff,
                request=info.context.request,
                category_id=_key(category_id, "Category"),
                subcategory_ids=keys if valid else [*keys, 0],
            )
        except ServiceError as error:
            return CategoryPayload(category=None, errors=errors_of(error))
        return CategoryPayload(category=_category(category.pk), errors=[])

    @strawberry.mutation(description="Deactivate or reactivate a subcategory (school admins).")
    def set_subcategory_active(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, SUB_ID_ARG],  # noqa: A002 - the argument's name in the API
        active: Annotated[bool, ACTIVE_ARG],
    ) -> SubcategoryPayload:
        try:
            subcategory = subcategory_set_active(
                actor=info.context.staff,
                request=info.context.request,
                subcategory_id=_key(id, "Subcategory"),
                active=active,
            )
        except ServiceError as error:
            return SubcategoryPayload(subcategory=None, errors=errors_of(error))
        return SubcategoryPayload(subcategory=_subcategory(subcategory.pk), errors=[])

    @strawberry.mutation(
        description="Delete a subcategory no incident uses; refused with code in_use "
        "otherwise (school admins)."
    )
    def delete_subcategory(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, SUB_ID_ARG],  # noqa: A002 - the argument's name in the API
    ) -> DeletePayload:
        try:
            subcategory_delete(
                actor=info.context.staff,
                request=info.context.request,
                subcategory_id=_key(id, "Subcategory"),
            )
        except ServiceError as error:
            return DeletePayload(deleted_id=None, errors=errors_of(error))
        return DeletePayload(deleted_id=id, errors=[])
