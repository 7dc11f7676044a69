"""Only school admins see or change categories, agencies and alert groups: anyone else gets
null data and a refusal that says nothing about what they asked for."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry import relay

from graphql_api.schema import schema
from safeguarding.models import Agency, AlertGroup, AuditEvent, Category, Subcategory
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

QUERIES = {
    "settingsCategories": "{ settingsCategories { id name subcategories { id } } }",
    "settingsAgencies": "{ settingsAgencies { id name } }",
    "settingsAlertGroups": "{ settingsAlertGroups { id name members { id } } }",
}
PAYLOADS = {
    "CategoryPayload",
    "CategoriesPayload",
    "SubcategoryPayload",
    "DeletePayload",
    "AgencyPayload",
    "AlertGroupPayload",
    "AlertGroupsPayload",
}


def mutations() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every settings mutation, with arguments naming real records of the school."""
    category = f.gid("Category", Category.objects.get(name="Bullying").pk)
    subcategory = f.gid("Subcategory", Subcategory.objects.get(name="Early Help").pk)
    agency = f.gid("Agency", Agency.objects.get(name="GP").pk)
    group = f.gid("AlertGroup", AlertGroup.objects.get(name="SLT").pk)
    staff = f.gid("Staff", f.dsl().pk)
    every_category = [f.gid("Category", pk) for pk in Category.objects.values_list("pk", flat=True)]
    every_group = [
        f.gid("AlertGroup", pk) for pk in AlertGroup.objects.values_list("pk", flat=True)
    ]
    return {
        "createCategory": ('input: {name: "Online", colour: "#2c5282"}', {}),
        "updateCategory": ('id: $a, input: {name: "Renamed"}', {"a": category}),
        "reorderCategories": ("ids: $l", {"l": every_category}),
        "setCategoryActive": ("id: $a, active: false", {"a": category}),
        "deleteCategory": ("id: $a", {"a": category}),
        "createSubcategory": ('categoryId: $a, name: "Online"', {"a": category}),
        "updateSubcategory": ('id: $a, name: "Renamed"', {"a": subcategory}),
        "reorderSubcategories": ("categoryId: $a, ids: $l", {"a": category, "l": []}),
        "setSubcategoryActive": ("id: $a, active: false", {"a": subcategory}),
        "deleteSubcategory": ("id: $a", {"a": subcategory}),
        "createAgency": ('name: "NSPCC"', {}),
        "updateAgency": ('id: $a, name: "Renamed"', {"a": agency}),
        "setAgencyActive": ("id: $a, active: false", {"a": agency}),
        "deleteAgency": ("id: $a", {"a": agency}),
        "createAlertGroup": ('name: "Pastoral"', {}),
        "updateAlertGroup": ('id: $a, name: "Renamed"', {"a": group}),
        "reorderAlertGroups": ("ids: $l", {"l": every_group}),
        "setAlertGroupActive": ("id: $a, active: false", {"a": group}),
        "addAlertGroupMember": ("alertGroupId: $a, staffId: $b", {"a": group, "b": staff}),
        "removeAlertGroupMember": ("alertGroupId: $a, staffId: $b", {"a": group, "b": staff}),
    }


def run(client: SchoolClient, name: str, arguments: str, variables: dict[str, Any]) -> Any:
    declared = {"a": "$a: ID!", "b": "$b: ID!", "l": "$l: [ID!]!"}
    header = ", ".join(declared[key] for key in variables)
    query = (
        f"mutation{f'({header})' if header else ''} {{ {name}({arguments}) "
        "{ errors { field code message } } }"
    )
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return result["data"][name]


def snapshot() -> list[Any]:
    return [
        list(Category.objects.order_by("pk").values_list("name", "order", "is_active")),
        list(Subcategory.objects.order_by("pk").values_list("name", "order", "is_active")),
        list(Agency.objects.order_by("pk").values_list("name", "is_active")),
        list(AlertGroup.objects.order_by("pk").values_list("name", "order", "is_active")),
        sorted(AlertGroup.members.through.objects.values_list("alertgroup_id", "staff_id")),
    ]


def test_the_list_below_names_every_settings_mutation() -> None:
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    settings_mutations = {
        name
        for name, field in mutation_type.fields.items()
        if getattr(field.type, "of_type", field.type).name in PAYLOADS
    }
    assert settings_mutations == {
        "createCategory", "updateCategory", "reorderCategories", "setCategoryActive",
        "deleteCategory", "createSubcategory", "updateSubcategory", "reorderSubcategories",
        "setSubcategoryActive", "deleteSubcategory", "createAgency", "updateAgency",
        "setAgencyActive", "deleteAgency", "createAlertGroup", "updateAlertGroup",
        "reorderAlertGroups", "setAlertGroupActive", "addAlertGroupMember",
        "removeAlertGroupMember",
    }  # fmt: skip


@pytest.mark.parametrize("who", ["teacher", "key holder", "signed out"])
def test_anyone_but_an_admin_gets_no_settings_and_changes_nothing(
    school_a: School, who: str
) -> None:
    client = SchoolClient(school_a)
    if who == "teacher":
        f.signed_in(client, f.staff("Chloe", "Kelan"))
    elif who == "key holder":
        # A DSL-team key holder with the second factor, but not a school admin.
        f.signed_in(
            client, f.staff("Kim", "Deputy", level="DSL", key_holder=True), second_factor=True
        )
    for name, query in QUERIES.items():
        result = client.graphql(query)
        assert result == {"data": {name: None}}, name

    before = snapshot()
    for name, (arguments, variables) in mutations().items():
        payload = run(client, name, arguments, variables)
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(None, "forbidden")], name
        assert payload["errors"][0]["message"] == (
            "Only school admins can change the school's settings."
        )
    assert snapshot() == before
    assert not AuditEvent.objects.filter(action__regex=r"^(categor|subcategor|agenc|alert_group)")


def test_a_refusal_reads_the_same_for_records_that_do_not_exist(school_a: School) -> None:
    client = f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))
    existing = Category.objects.get(name="Bullying").pk
    real = run(client, "deleteCategory", "id: $a", {"a": f.gid("Category", existing)})
    missing = run(client, "deleteCategory", "id: $a", {"a": f.gid("Category", 999_999)})
    assert real == missing


def test_an_admin_is_told_when_a_record_does_not_exist(school_a: School) -> None:
    admin = f.signed_in_admin(SchoolClient(school_a), f.dsl())
    payload = run(admin, "deleteAgency", "id: $a", {"a": f.gid("Agency", 999_999)})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("id", "not_found")]
    # Another school's id is not found either, even when the number exists here.
    agency = Agency.objects.get(name="GP")
    other = str(relay.GlobalID("Agency", f"beta:{agency.pk}"))
    payload = run(admin, "setAgencyActive", "id: $a, active: false", {"a": other})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("id", "not_found")]
    assert Agency.objects.get(pk=agency.pk).is_active
