"""Lists the forms need: categories, agencies, alert groups, colleagues (alert picker)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from graphql_api.common import Connection, actor_of, paginate
from graphql_api.context import Info
from graphql_api.ids import decode_id, decode_ids
from graphql_api.types.records import AgencyType, AlertGroupType, CategoryType, ColleagueType
from safeguarding.models import Staff
from safeguarding.permissions import AccessProfile, would_normally_view
from safeguarding.selectors.pupils import pupil_get
from safeguarding.selectors.reference import (
    agencies_active,
    categories_addable,
    category_facts_addable,
)
from safeguarding.selectors.staff import alert_groups_active, staff_search

MAX_REFERENCE = 200


@strawberry.type
class ReferenceQuery:
    @strawberry.field(
        description="Active categories this person may file incidents under, in order (max 200)."
    )
    def categories(self, info: Info) -> list[CategoryType]:
        actor = actor_of(info)
        if actor is None:
            return []
        return [
            CategoryType.from_model(c) for c in categories_addable(actor=actor, limit=MAX_REFERENCE)
        ]

    @strawberry.field(description="Active agencies, by name (max 200).")
    def agencies(self, info: Info) -> list[AgencyType]:
        if actor_of(info) is None:
            return []
        return [AgencyType.from_model(a) for a in agencies_active()[:MAX_REFERENCE]]

    @strawberry.field(description="Active alert groups, in order (max 200).")
    def alert_groups(self, info: Info) -> list[AlertGroupType]:
        if actor_of(info) is None:
            return []
        return [AlertGroupType.from_model(g) for g in alert_groups_active()[:MAX_REFERENCE]]

    @strawberry.field(
        description=(
            "Colleagues by name, for the alert picker. Given the student and categories of "
            "the incident being written, each says whether they would not normally be able "
            "to view it."
        )
    )
    def staff(
        self,
        info: Info,
        search: Annotated[str, strawberry.argument(description="Part of a name.")] = "",
        student_id: Annotated[
            relay.GlobalID | None, strawberry.argument(description="The incident's student.")
        ] = None,
        category_ids: Annotated[
            list[relay.GlobalID] | None,
            strawberry.argument(description="The incident's categories."),
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (at most 50).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Cursor of the page before.")
        ] = None,
    ) -> Connection[ColleagueType]:
        actor = actor_of(info)
        if actor is None:
            return paginate([], first=first, after=after, build=ColleagueType.from_model)
        pupil_key = decode_id(student_id, "Student")
        pupil = pupil_get(pupil_id=pupil_key) if pupil_key else None
        keys, _ = decode_ids(list(category_ids or [])[:50], "Category")
        facts = category_facts_addable(actor=actor, category_ids=keys)

        def build(staff: Staff) -> ColleagueType:
            if pupil is None or not facts:
                return ColleagueType.from_model(staff)
            normally = would_normally_view(
                AccessProfile.of_level(staff.access_level),
                is_key_holder=staff.is_key_holder,
                year_group_id=pupil.year_group_id,
                tutor_group_id=pupil.tutor_group_id,
                categories=facts,
            )
            return ColleagueType.from_model(staff, would_not_normally_view=not normally)

        return paginate(staff_search(search=search[:100]), first=first, after=after, build=build)
