"""School admins manage access levels: names, grants, limits, the DSL team flag, deletion."""

from __future__ import annotations

import pytest

from safeguarding.models import AccessLevel, AuditEvent, Category
from safeguarding.services.access_levels import (
    AccessLevelSpec,
    GrantSpec,
    access_level_create,
    access_level_delete,
    access_level_update,
)
from safeguarding.services.errors import ServiceError
from tenants.models import School
from tests.safeguarding import factories as f


def _codes(error: pytest.ExceptionInfo[ServiceError]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for item in error.value.errors:
        codes.setdefault(item.field, []).append(item.code)
    return codes


def _category(name: str) -> Category:
    return Category.objects.get(name=name)


def test_create_with_grants_limits_and_dsl_flag(school_a: School) -> None:
    year = f.tutor_group("7B", "Year 7").year_group
    assert year is not None
    level = access_level_create(
        actor=f.dsl(),
        request=f.admin_request(f.dsl()),
        spec=AccessLevelSpec(
            name="  Head of Year 7 ",
            description="Year 7 pastoral",
            is_dsl_team=True,
            year_group_ids=[year.pk],
            grants=[GrantSpec(_category("Bullying").pk, True, True, False)],
        ),
    )
    level.refresh_from_db()
    assert level.name == "Head of Year 7"
    assert level.is_dsl_team
    assert list(level.year_groups.all()) == [year]
    grant = level.grants.get()
    assert (grant.category.name, grant.can_view_pupils, grant.can_view_incidents) == (
        "Bullying",
        True,
        True,
    )
    assert not grant.can_add_incidents
    event = AuditEvent.objects.get(action="access_level.created")
    changes = event.detail["changes"]
    assert changes["name"] == [None, "Head of Year 7"]
    assert changes["year_groups"] == [None, ["Year 7"]]
    assert changes["grants: Bullying"] == [None, ["view pupils", "view incidents"]]
    assert event.actor == f.dsl()


def test_names_are_unique_whatever_the_capitals(school_a: School) -> None:
    with pytest.raises(ServiceError) as error:
        access_level_create(
            actor=f.dsl(), request=f.admin_request(f.dsl()), spec=AccessLevelSpec(name="pastoral")
        )
    assert _codes(error) == {"name": ["unique"]}
    level = AccessLevel.objects.get(name="Pastoral")
    # Renaming to itself in other capitals is fine.
    access_level_update(
        actor=f.dsl(),
        request=f.admin_request(f.dsl()),
        access_level_id=level.pk,
        spec=AccessLevelSpec(name="PASTORAL"),
    )
    level.refresh_from_db()
    assert level.name == "PASTORAL"
    with pytest.raises(ServiceError) as error:
        access_level_update(
            actor=f.dsl(),
            request=f.admin_request(f.dsl()),
            access_level_id=level.pk,
            spec=AccessLevelSpec(name="dsl"),
        )
    assert _codes(error) == {"name": ["unique"]}


def test_update_changes_only_the_listed_grants_and_audits_from_to(school_a: School) -> None:
    level = AccessLevel.objects.get(name="Pastoral")
    bullying, home = _category("Bullying"), _category("Home Issues")
    access_level_update(
        actor=f.dsl(),
        request=f.admin_request(f.dsl()),
        access_level_id=level.pk,
        spec=AccessLevelSpec(
            name="Pastoral team", grants=[GrantSpec(bullying.pk, False, False, True)]
        ),
    )
    grants = {g.category_id: g for g in level.grants.all()}
    assert not grants[bullying.pk].can_view_incidents
    assert grants[home.pk].can_view_incidents
    changes = AuditEvent.objects.get(action="access_level.updated").detail["changes"]
    assert changes == {
        "name": ["Pastoral", "Pastoral team"],
        "grants: Bullying": [
            ["view pupils", "view incidents", "add incidents"],
            ["add incidents"],
        ],
    }


def test_saving_an_unchanged_level_leaves_no_history(school_a: School) -> None:
    level = AccessLevel.objects.get(name="Pastoral")
    access_level_update(
        actor=f.dsl(),
        request=f.admin_request(f.dsl()),
        access_level_id=level.pk,
        spec=AccessLevelSpec(name="Pastoral"),
    )
    assert not AuditEvent.objects.filter(action="access_level.updated").exists()


def test_delete_only_when_nobody_holds_it(school_a: School) -> None:
    level = access_level_create(
        actor=f.dsl(), request=f.admin_request(f.dsl()), spec=AccessLevelSpec(name="Spare")
    )
    member = f.staff("Sam", "Spare", level="Spare")
    member.is_active = False
    member.save()
    with pytest.raises(ServiceError) as error:
        access_level_delete(
            actor=f.dsl(), request=f.admin_request(f.dsl()), access_level_id=level.pk
        )
    assert _codes(error) == {"": ["in_use"]}
    assert "1 member of staff holds Spare" in error.value.errors[0].message
    member.access_level = None
    member.save()
    access_level_delete(actor=f.dsl(), request=f.admin_request(f.dsl()), access_level_id=level.pk)
    assert not AccessLevel.objects.filter(name="Spare").exists()
    event = AuditEvent.objects.get(action="access_level.deleted")
    assert event.detail["changes"]["name"] == ["Spare", None]


def test_non_admins_cannot_change_levels(school_a: School) -> None:
    teacher = f.staff("Tina", "Teacher", key_holder=True)
    level = AccessLevel.objects.get(name="Pastoral")
    for attempt in (
        lambda: access_level_create(actor=teacher, request=None, spec=AccessLevelSpec(name="X")),
        lambda: access_level_update(
            actor=teacher, request=None, access_level_id=level.pk, spec=AccessLevelSpec(name="X")
        ),
        lambda: access_level_delete(actor=teacher, request=None, access_level_id=level.pk),
    ):
        with pytest.raises(ServiceError) as error:
            attempt()
        assert _codes(error) == {"": ["forbidden"]}
    level.refresh_from_db()
    assert level.name == "Pastoral"
