"""School admins manage categories and subcategories; the Add Incident form follows."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.models import AuditEvent, Category, Incident, Subcategory
from safeguarding.permissions import Actor
from safeguarding.services.categories import (
    MIN_CONTRAST,
    contrast_with_white,
    darker_suggestion,
)
from safeguarding.services.defaults import DEFAULT_CATEGORIES
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f
from tests.safeguarding.settings_support import call, codes, counted

FIELDS = (
    "id name colour order isActive dslTeamOnly inUse subcategories { id name order isActive inUse }"
)
SETTINGS = f"{{ settingsCategories {{ {FIELDS} }} }}"
CREATE = f"""mutation($input: CreateCategoryInput!) {{ createCategory(input: $input) {{
  category {{ {FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: UpdateCategoryInput!) {{
  updateCategory(id: $id, input: $input) {{
  category {{ {FIELDS} }} errors {{ field code message }} }} }}"""
REORDER = """mutation($ids: [ID!]!) { reorderCategories(ids: $ids) {
  categories { name order } errors { field code message } } }"""
SET_ACTIVE = """mutation($id: ID!, $active: Boolean!) {
  setCategoryActive(id: $id, active: $active) {
  category { name isActive } errors { field code message } } }"""
DELETE = (
    """mutation($id: ID!) { deleteCategory(id: $id) { deletedId errors { field code message } } }"""
)
CREATE_SUB = """mutation($c: ID!, $name: String!) { createSubcategory(categoryId: $c, name: $name) {
  subcategory { id name order isActive inUse } errors { field code message } } }"""
UPDATE_SUB = """mutation($id: ID!, $name: String!) { updateSubcategory(id: $id, name: $name) {
  subcategory { name } errors { field code message } } }"""
REORDER_SUB = """mutation($c: ID!, $ids: [ID!]!) { reorderSubcategories(categoryId: $c, ids: $ids) {
  category { subcategories { name order } } errors { field code message } } }"""
SET_SUB_ACTIVE = """mutation($id: ID!, $active: Boolean!) {
  setSubcategoryActive(id: $id, active: $active) {
  subcategory { name isActive } errors { field code message } } }"""
DELETE_SUB = (
    """mutation($id: ID!) { deleteSubcategory(id: $id) { deletedId errors { field code } } }"""
)
FORM = "{ categories { id name subcategories { id name } } }"
ADD_INCIDENT = """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
  errors { field code message } } }"""
INCIDENT = (
    """query($id: ID!) { incident(id: $id) { categories { name } subcategories { name } } }"""
)


@pytest.fixture
def admin(school_a: School) -> SchoolClient:
    """The school's first DSL, a school admin, signed in with the second factor."""
    return f.signed_in_admin(SchoolClient(school_a), f.dsl())


@pytest.fixture
def teacher(school_a: School) -> SchoolClient:
    return f.signed_in(SchoolClient(school_a), f.staff("Chloe", "Kelan"))


def cid(name: str) -> str:
    return f.gid("Category", Category.objects.get(name=name).pk)


def sid(name: str) -> str:
    return f.gid("Subcategory", Subcategory.objects.get(name=name).pk)


def form_names(client: SchoolClient) -> list[str]:
    return [c["name"] for c in call(client, FORM)]


def file_incident(category: str, subcategory: str | None = None) -> Incident:
    return incident_create(
        actor=Actor(f.dsl(), key_access=True),
        spec=IncidentSpec(
            pupil_id=f.pupil("Hannah", "Greenwood", "1B").pk,
            text="Seen at the gate",
            category_ids=[Category.objects.get(name=category).pk],
            subcategory_ids=[Subcategory.objects.get(name=subcategory).pk] if subcategory else [],
        ),
    )


def add_incident(client: SchoolClient, **fields: Any) -> dict[str, Any]:
    pupil = f.pupil("Danielle", "Bradshaw", "3A")
    payload: dict[str, Any] = call(
        client,
        ADD_INCIDENT,
        {"input": {"studentId": f.gid("Student", pupil.pk), "text": "Upset in class", **fields}},
    )
    return payload


def changes(action: str) -> list[dict[str, Any]]:
    return [e.detail["changes"] for e in AuditEvent.objects.filter(action=action).order_by("pk")]


# --- Colours ---------------------------------------------------------------------------------


def test_the_default_colours_and_every_seeded_colour_are_readable_under_white_text(
    school_a: School,
) -> None:
    for name, colour, _ in DEFAULT_CATEGORIES:
        assert contrast_with_white(colour) >= MIN_CONTRAST, name
    for category in Category.objects.all():
        assert contrast_with_white(category.colour) >= MIN_CONTRAST, category.name
    assert contrast_with_white(Category._meta.get_field("colour").default) >= MIN_CONTRAST


def test_contrast_matches_wcag_and_the_suggestion_is_the_darkest_change_that_passes() -> None:
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)
    suggestion = darker_suggestion("#f6ad55")
    assert contrast_with_white(suggestion) >= MIN_CONTRAST
    assert suggestion != "#000000"
    # The web app (lib/contrast.ts) makes the same suggestion.
    assert suggestion == "#9a6c35"


def test_a_pale_colour_is_refused_with_the_ratio_and_a_darker_suggestion(
    admin: SchoolClient,
) -> None:
    payload = call(admin, CREATE, {"input": {"name": "Online Safety", "colour": "#F6AD55"}})
    assert payload["category"] is None
    assert codes(payload) == [("colour", "low_contrast")]
    message = payload["errors"][0]["message"]
    assert "4.5:1" in message
    assert "darker" in message
    suggested = message.rsplit(" ", 1)[1].rstrip(".")
    assert contrast_with_white(suggested) >= MIN_CONTRAST
    assert not Category.objects.filter(name="Online Safety").exists()

    payload = call(admin, UPDATE, {"id": cid("Bullying"), "input": {"colour": "#ffff00"}})
    assert codes(payload) == [("colour", "low_contrast")]
    payload = call(admin, UPDATE, {"id": cid("Bullying"), "input": {"colour": "red"}})
    assert codes(payload) == [("colour", "invalid")]
    assert Category.objects.get(name="Bullying").colour == "#9b2c2c"


# --- Adding, renaming, recolouring ------------------------------------------------------------


def test_an_admin_adds_a_category_and_it_is_offered_to_the_dsl_team_at_the_end(
    admin: SchoolClient,
) -> None:
    payload = call(admin, CREATE, {"input": {"name": "  Online   Safety ", "colour": "#2C5282"}})
    assert payload["errors"] == []
    created = payload["category"]
    assert created["name"] == "Online Safety"
    assert created["colour"] == "#2c5282"
    assert created["order"] == len(DEFAULT_CATEGORIES)
    assert (created["isActive"], created["dslTeamOnly"], created["inUse"]) == (True, False, False)
    assert form_names(admin)[-1] == "Online Safety"
    assert changes("category.created") == [
        {
            "name": [None, "Online Safety"],
            "colour": [None, "#2c5282"],
            "dsl_team_only": [None, False],
            "is_active": [None, True],
        }
    ]


def test_names_are_unique_ignoring_case_and_have_a_maximum_length(admin: SchoolClient) -> None:
    payload = call(admin, CREATE, {"input": {"name": "child protection", "colour": "#2c5282"}})
    assert codes(payload) == [("name", "taken")]
    assert (
        payload["errors"][0]["message"] == "There is already a category called “child protection”."
    )
    payload = call(admin, UPDATE, {"id": cid("Bullying"), "input": {"name": "SEND"}})
    assert codes(payload) == [("name", "taken")]
    payload = call(admin, CREATE, {"input": {"name": "x" * 81, "colour": "#2c5282"}})
    assert codes(payload) == [("name", "too_long")]
    assert "80 characters" in payload["errors"][0]["message"]
    payload = call(admin, CREATE, {"input": {"name": "   ", "colour": "#2c5282"}})
    assert codes(payload) == [("name", "required")]
    # Renaming to the same name in another case is not a clash with itself.
    payload = call(admin, UPDATE, {"id": cid("Bullying"), "input": {"name": "BULLYING"}})
    assert payload["errors"] == []
    assert payload["category"]["name"] == "BULLYING"
    assert Category.objects.filter(name__iexact="bullying").count() == 1


def test_rename_recolour_and_dsl_team_only_are_audited_from_and_to(admin: SchoolClient) -> None:
    payload = call(
        admin,
        UPDATE,
        {
            "id": cid("Bullying"),
            "input": {"name": "Bullying and Harassment", "colour": "#1a202c", "dslTeamOnly": True},
        },
    )
    assert payload["errors"] == []
    assert (payload["category"]["name"], payload["category"]["dslTeamOnly"]) == (
        "Bullying and Harassment",
        True,
    )
    assert changes("category.updated") == [
        {
            "name": ["Bullying", "Bullying and Harassment"],
            "colour": ["#9b2c2c", "#1a202c"],
            "dsl_team_only": [False, True],
        }
    ]
    event = AuditEvent.objects.get(action="category.updated")
    assert event.actor == f.dsl()
    assert event.object_id == str(Category.objects.get(name="Bullying and Harassment").pk)
    # Saving again unchanged leaves no noise in the log.
    call(admin, UPDATE, {"id": cid("Bullying and Harassment"), "input": {"colour": "#1a202c"}})
    assert AuditEvent.objects.filter(action="category.updated").count() == 1


# --- Order -------------------------------------------------------------------------------------


def test_reordering_changes_the_add_incident_list_and_must_name_every_category(
    admin: SchoolClient, teacher: SchoolClient
) -> None:
    names = [name for name, _, _ in DEFAULT_CATEGORIES]
    new = [names[-1], *names[:-1]]
    payload = call(admin, REORDER, {"ids": [cid(n) for n in new]})
    assert payload["errors"] == []
    assert [c["name"] for c in payload["categories"]] == new
    assert [c["order"] for c in payload["categories"]] == list(range(len(new)))
    assert form_names(teacher) == new
    before_ids = [Category.objects.get(name=n).pk for n in names]
    after_ids = [Category.objects.get(name=n).pk for n in new]
    assert changes("categories.reordered") == [{"order": [before_ids, after_ids]}]

    stale = call(admin, REORDER, {"ids": [cid(n) for n in new[:-1]]})
    assert codes(stale) == [("ids", "stale")]
    twice = call(admin, REORDER, {"ids": [cid(new[0]), *[cid(n) for n in new]]})
    assert codes(twice) == [("ids", "stale")]
    assert form_names(teacher) == new


# --- Deactivating and deleting -----------------------------------------------------------------


def test_a_used_category_cannot_be_deleted_and_still_shows_on_old_incidents_once_deactivated(
    admin: SchoolClient, teacher: SchoolClient
) -> None:
    incident = file_incident("Child Protection", "Early Help")
    listed = {c["name"]: c for c in call(admin, SETTINGS)}
    assert listed["Child Protection"]["inUse"] is True
    assert {s["name"]: s["inUse"] for s in listed["Child Protection"]["subcategories"]} == {
        "CAF": False,
        "Cause for Concern": False,
        "Child Protection Plan": False,
        "CIN": False,
        "Early Help": True,
    }
    assert listed["Bullying"]["inUse"] is False

    refused = call(admin, DELETE, {"id": cid("Child Protection")})
    assert codes(refused) == [("id", "in_use")]
    assert "Deactivate" in refused["errors"][0]["message"]
    assert codes(call(admin, DELETE_SUB, {"id": sid("Early Help")})) == [("id", "in_use")]

    call(admin, SET_SUB_ACTIVE, {"id": sid("Early Help"), "active": False})
    deactivated = call(admin, SET_ACTIVE, {"id": cid("Child Protection"), "active": False})
    assert deactivated == {
        "category": {"name": "Child Protection", "isActive": False},
        "errors": [],
    }
    assert "Child Protection" not in form_names(teacher)
    assert "Child Protection" not in form_names(admin)
    shown = call(admin, INCIDENT, {"id": f.gid("Incident", incident.pk)})
    assert shown == {
        "categories": [{"name": "Child Protection"}],
        "subcategories": [{"name": "Early Help"}],
    }
    # Still listed in the settings, so it can be brought back.
    assert {c["name"]: c["isActive"] for c in call(admin, SETTINGS)}["Child Protection"] is False
    assert changes("category.deactivated") == [{"is_active": [True, False]}]

    call(admin, SET_ACTIVE, {"id": cid("Child Protection"), "active": True})
    assert "Child Protection" in form_names(teacher)
    assert changes("category.activated") == [{"is_active": [False, True]}]


def test_a_linked_pupils_copy_counts_as_use(admin: SchoolClient) -> None:
    incident = file_incident("Bullying")
    link = incident.links.create(pupil=f.pupil("Matthew", "Greenwood", "5B"))
    link.categories.set([Category.objects.get(name="Home Issues")])
    assert {c["name"]: c["inUse"] for c in call(admin, SETTINGS)}["Home Issues"] is True
    assert codes(call(admin, DELETE, {"id": cid("Home Issues")})) == [("id", "in_use")]


def test_an_unused_category_is_deleted_with_its_subcategories_and_grants(
    admin: SchoolClient,
) -> None:
    category = Category.objects.get(name="Child Protection")
    assert category.grants.exists()  # grants are settings, not use
    payload = call(admin, DELETE, {"id": cid("Child Protection")})
    assert payload == {"deletedId": f.gid("Category", category.pk), "errors": []}
    assert not Category.objects.filter(name="Child Protection").exists()
    assert not Subcategory.objects.filter(name="Early Help").exists()
    assert "Child Protection" not in [c["name"] for c in call(admin, SETTINGS)]
    event = AuditEvent.objects.get(action="category.deleted")
    assert event.detail["changes"]["name"] == ["Child Protection", None]
    assert event.detail["changes"]["subcategories"][0] == [
        "CAF",
        "Cause for Concern",
        "Child Protection Plan",
        "CIN",
        "Early Help",
    ]
    assert event.object_id == str(category.pk)
    # Gone means gone: a second try finds nothing.
    assert codes(call(admin, DELETE, {"id": f.gid("Category", category.pk)})) == [
        ("id", "not_found")
    ]


def test_add_incident_refuses_a_deactivated_category_subcategory_or_agency_by_name(
    admin: SchoolClient, teacher: SchoolClient
) -> None:
    form = {c["name"]: c for c in call(teacher, FORM)}
    home = form["Home Issues"]["id"]
    call(admin, SET_ACTIVE, {"id": home, "active": False})
    refused = add_incident(teacher, categoryIds=[home])
    assert codes(refused) == [("categoryIds", "inactive")]
    assert refused["errors"][0]["message"] == (
        "“Home Issues” is no longer in use; choose another category."
    )

    early_help = sid("Early Help")
    call(admin, SET_SUB_ACTIVE, {"id": early_help, "active": False})
    assert "Early Help" not in [
        s["name"]
        for s in {c["name"]: c for c in call(teacher, FORM)}["Child Protection"]["subcategories"]
    ]
    refused = add_incident(
        teacher, categoryIds=[cid("Child Protection")], subcategoryIds=[early_help]
    )
    assert codes(refused) == [("subcategoryIds", "inactive")]

    from safeguarding.models import Agency

    police = Agency.objects.get(name="Police")
    police.is_active = False
    police.save()
    refused = add_incident(
        teacher, categoryIds=[cid("Bullying")], agencyIds=[f.gid("Agency", police.pk)]
    )
    assert codes(refused) == [("agencyIds", "inactive")]
    assert Incident.objects.count() == 0
    assert add_incident(teacher, categoryIds=[cid("Bullying")])["errors"] == []


# --- Subcategories -----------------------------------------------------------------------------


def test_subcategories_are_added_renamed_reordered_and_offered_under_their_category(
    admin: SchoolClient, teacher: SchoolClient
) -> None:
    bullying = cid("Bullying")
    first = call(admin, CREATE_SUB, {"c": bullying, "name": "Online"})
    assert first["errors"] == []
    assert first["subcategory"] == {
        "id": first["subcategory"]["id"],
        "name": "Online",
        "order": 0,
        "isActive": True,
        "inUse": False,
    }
    second = call(admin, CREATE_SUB, {"c": bullying, "name": "Physical"})
    assert second["subcategory"]["order"] == 1
    assert codes(call(admin, CREATE_SUB, {"c": bullying, "name": "ONLINE"})) == [("name", "taken")]
    # The same name under another category is fine.
    assert call(admin, CREATE_SUB, {"c": cid("SEND"), "name": "Online"})["errors"] == []
    assert codes(call(admin, CREATE_SUB, {"c": bullying, "name": "y" * 81})) == [
        ("name", "too_long")
    ]

    offered = {c["name"]: c for c in call(teacher, FORM)}["Bullying"]["subcategories"]
    assert [s["name"] for s in offered] == ["Online", "Physical"]

    renamed = call(admin, UPDATE_SUB, {"id": first["subcategory"]["id"], "name": "Cyberbullying"})
    assert renamed == {"subcategory": {"name": "Cyberbullying"}, "errors": []}
    reordered = call(
        admin,
        REORDER_SUB,
        {"c": bullying, "ids": [second["subcategory"]["id"], first["subcategory"]["id"]]},
    )
    assert reordered["category"]["subcategories"] == [
        {"name": "Physical", "order": 0},
        {"name": "Cyberbullying", "order": 1},
    ]
    offered = {c["name"]: c for c in call(teacher, FORM)}["Bullying"]["subcategories"]
    assert [s["name"] for s in offered] == ["Physical", "Cyberbullying"]
    stale = call(admin, REORDER_SUB, {"c": bullying, "ids": [second["subcategory"]["id"]]})
    assert codes(stale) == [("ids", "stale")]

    assert changes("subcategory.updated") == [{"name": ["Online", "Cyberbullying"]}]
    assert changes("subcategories.reordered")[0]["subcategory_order"][1] == [
        Subcategory.objects.get(name="Physical").pk,
        Subcategory.objects.get(name="Cyberbullying").pk,
    ]

    deleted = call(admin, DELETE_SUB, {"id": first["subcategory"]["id"]})
    assert deleted["errors"] == []
    assert not Subcategory.objects.filter(name="Cyberbullying").exists()
    assert changes("subcategory.deleted")[0]["name"] == ["Cyberbullying", None]


# --- Cost -------------------------------------------------------------------------------------


def test_the_settings_list_costs_the_same_queries_however_many_categories(
    admin: SchoolClient,
) -> None:
    small, few = counted(admin, SETTINGS)
    for n in range(20):
        category = Category.objects.create(name=f"Extra {n}", order=100 + n)
        Subcategory.objects.create(category=category, name="One")
        Subcategory.objects.create(category=category, name="Two")
    file_incident("Bullying").categories.add(Category.objects.get(name="Extra 3"))
    large, many = counted(admin, SETTINGS)
    assert len(large) == len(small) + 20
    assert {c["name"]: c["inUse"] for c in large}["Extra 3"] is True
    assert many == few
    # Five to know who is asking (session, staff, second factor, session record, idle limit),
    # then one for the categories and one for all their subcategories.
    assert many <= 7
