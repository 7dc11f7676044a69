"""Bad input gets a clear, typed error and writes nothing."""

from __future__ import annotations

from django_tenants.utils import schema_context

from safeguarding.models import Alert, AuditEvent, Category, Incident, Subcategory
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

ADD = """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
    incident { id } errors { field code message } } }"""


def errors_of(client: SchoolClient, **fields: object) -> set[tuple[str, str]]:
    result = client.graphql(ADD, {"input": fields})
    payload = result["data"]["addIncident"]
    assert payload["incident"] is None
    assert all(e["message"] for e in payload["errors"])
    return {(e["field"], e["code"]) for e in payload["errors"]}


def test_add_incident_reports_every_problem_and_writes_nothing(
    school_a: School, school_b: School
) -> None:
    chloe = f.staff("Chloe", "Kelan")
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    client = f.signed_in(SchoolClient(school_a), chloe)
    with schema_context(school_b.schema_name):
        elsewhere = f.pupil("Other", "School", "2C")
        other_school_pupil = f.gid("Student", elsewhere.pk)
    behaviour = Category.objects.get(name="Behaviour")
    early_help = Subcategory.objects.get(name="Early Help")  # belongs to Child Protection
    before = (Incident.objects.count(), Alert.objects.count(), AuditEvent.objects.count())

    assert errors_of(client, studentId=f.gid("Student", hannah.pk), text="   ", categoryIds=[]) == {
        ("text", "required"),
        ("categoryIds", "required"),
    }
    assert errors_of(
        client,
        studentId=f.gid("Student", hannah.pk),
        text="Concern",
        categoryIds=[f.gid("Category", behaviour.pk)],
        subcategoryIds=[f.gid("Subcategory", early_help.pk)],
    ) == {("subcategoryIds", "not_in_category")}
    assert errors_of(
        client,
        studentId=other_school_pupil,
        text="Concern",
        categoryIds=[f.gid("Category", behaviour.pk)],
    ) == {("studentId", "not_found")}
    assert errors_of(
        client,
        studentId=f.gid("Student", hannah.pk),
        text="Concern",
        categoryIds=[f.gid("Category", behaviour.pk)],
        agencyIds=[f.gid("Agency", 987654)],
        alertStaffIds=[f.gid("Staff", 987654)],
        bodyMap=[{"side": "FRONT", "x": 1.5, "y": 0.2, "number": 1}],
        occurredAt="2099-01-01T10:00:00+00:00",
    ) == {
        ("agencyIds", "not_found"),
        ("alertStaffIds", "not_found"),
        ("bodyMap", "invalid"),
        ("occurredAt", "in_future"),
    }
    # A category id from another type of record is not a category.
    assert errors_of(
        client,
        studentId=f.gid("Student", hannah.pk),
        text="Concern",
        categoryIds=[f.gid("Student", hannah.pk)],
    ) == {("categoryIds", "not_found")}
    assert (Incident.objects.count(), Alert.objects.count(), AuditEvent.objects.count()) == before


def test_dsl_team_only_category_is_unknown_to_other_staff(school_a: School) -> None:
    Category.objects.filter(name="Prevent").update(dsl_team_only=True)
    chloe = f.staff("Chloe", "Kelan")
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    client = f.signed_in(SchoolClient(school_a), chloe)
    names = [c["name"] for c in client.graphql("{ categories { name } }")["data"]["categories"]]
    assert "Prevent" not in names
    assert "Behaviour" in names
    prevent = Category.objects.get(name="Prevent")
    assert errors_of(
        client,
        studentId=f.gid("Student", hannah.pk),
        text="Concern",
        categoryIds=[f.gid("Category", prevent.pk)],
    ) == {("categoryIds", "not_found")}


def test_signed_out_gets_nothing(client_a: SchoolClient) -> None:
    result = client_a.graphql(
        '{ dashboard { unreadAlertCount } students(search: "gre") { edges { node { id } } } }'
    )
    assert result["data"] == {"dashboard": None, "students": {"edges": []}}
    payload = client_a.graphql(
        'mutation { markAlertRead(alertId: "QWxlcnQ6YWxwaGE6MQ==") { errors { code } } }'
    )["data"]["markAlertRead"]
    assert payload == {"errors": [{"code": "not_signed_in"}]}


def test_linked_students_errors_name_the_inputs_own_path(school_a: School) -> None:
    """Errors about a linked student are reported against the field the client sent
    (`linkedStudents.N.…`), so a form can show them without translating names."""
    chloe = f.staff("Chloe", "Kelan")
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    matthew = f.pupil("Matthew", "Greenwood", "3A")
    client = f.signed_in(SchoolClient(school_a), chloe)
    behaviour = f.gid("Category", Category.objects.get(name="Behaviour").pk)
    base = {"studentId": f.gid("Student", hannah.pk), "text": "Concern", "categoryIds": [behaviour]}
    assert errors_of(
        client,
        **base,
        linkedStudents=[
            {"studentId": f.gid("Student", matthew.pk)},
            {"studentId": f.gid("Student", 987654), "categoryIds": []},
        ],
    ) == {
        ("linkedStudents.1.studentId", "not_found"),
        ("linkedStudents.1.categoryIds", "required"),
    }
    assert errors_of(
        client,
        **base,
        linkedStudents=[
            {"studentId": f.gid("Student", matthew.pk), "categoryIds": [f.gid("Category", 987654)]}
        ],
    ) == {("linkedStudents.0.categoryIds", "not_found")}
