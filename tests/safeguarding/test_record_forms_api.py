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


INCIDENT_RECIPIENTS = """query($id: ID!) { incident(id: $id) { alertRecipientNames } }"""


def test_add_action_lists_who_was_alerted_to_the_incident(school_a: School) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    author = f.staff("Chloe", "Kelan")
    reader = f.staff("Wendy", "Abbott")
    pat = f.staff("Pat", "Jones")
    gone = f.staff("Gone", "Away")
    as_author = f.signed_in(SchoolClient(school_a), author)
    added = as_author.graphql(
        ADD_INCIDENT,
        {
            "input": {
                "studentId": f.gid("Student", hannah.pk),
                "text": "Upset at the gate",
                "categoryIds": f.category_ids("Home Issues"),
                "alertStaffIds": [f.gid("Staff", s.pk) for s in (reader, pat, gone)],
            }
        },
    )["data"]["addIncident"]
    gone.is_active = False
    gone.save()
    as_reader = f.signed_in(SchoolClient(school_a), reader)
    # An alert on an action is not an alert to the incident.
    other = f.staff("Action", "Only")
    as_reader.graphql(
        """mutation($input: AddActionInput!) { addAction(input: $input) { errors { code } } }""",
        {
            "input": {
                "incidentId": added["incidentId"],
                "text": "Called home",
                "alertStaffIds": [f.gid("Staff", other.pk)],
            }
        },
    )

    shown = as_reader.graphql(INCIDENT_RECIPIENTS, {"id": added["incidentId"]})["data"]

    assert shown["incident"]["alertRecipientNames"] == ["Wendy Abbott", "Pat Jones"]


def test_recipients_are_not_shown_to_someone_who_cannot_open_the_incident(
    school_a: School,
) -> None:
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    author = f.staff("Chloe", "Kelan")
    as_author = f.signed_in(SchoolClient(school_a), author)
    added = as_author.graphql(
        ADD_INCIDENT,
        {
            "input": {
                "studentId": f.gid("Student", hannah.pk),
                "text": "Upset at the gate",
                "categoryIds": f.category_ids("Home Issues"),
                "alertStaffIds": [f.gid("Staff", f.staff("Wendy", "Abbott").pk)],
            }
        },
    )["data"]["addIncident"]
    outsider = f.signed_in(SchoolClient(school_a), f.staff("Pat", "Jones"))

    assert outsider.graphql(INCIDENT_RECIPIENTS, {"id": added["incidentId"]})["data"] == {
        "incident": None
    }
