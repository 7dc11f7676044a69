"""What the Add Incident form needs from the API beyond the record itself."""

from __future__ import annotations

from safeguarding.models import Incident
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

ADD_INCIDENT = """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
    incident { id } incidentId errors { field code message } } }"""


def test_author_without_access_is_told_the_new_incidents_id(school_a: School) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    teacher = f.staff("Wendy", "Abbott")
    client = f.signed_in(SchoolClient(school_a), teacher)

    added = client.graphql(
        ADD_INCIDENT,
        {
            "input": {
                "studentId": f.gid("Student", hannah.pk),
                "text": "Upset at the gate",
                "categoryIds": f.category_ids("Home Issues"),
            }
        },
    )["data"]["addIncident"]

    assert added["errors"] == []
    # A teacher cannot read the incident back, yet the form still knows where it went.
    assert added["incident"] is None
    incident = Incident.objects.get(pupil=hannah)
    assert added["incidentId"] == f.gid("Incident", incident.pk)


def test_no_id_when_nothing_was_added(school_a: School) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    client = f.signed_in(SchoolClient(school_a), f.staff("Wendy", "Abbott"))

    added = client.graphql(
        ADD_INCIDENT,
        {"input": {"studentId": f.gid("Student", hannah.pk), "text": "x", "categoryIds": []}},
    )["data"]["addIncident"]

    assert added["incidentId"] is None
    assert [(e["field"], e["code"]) for e in added["errors"]] == [("categoryIds", "required")]
    assert not Incident.objects.exists()
