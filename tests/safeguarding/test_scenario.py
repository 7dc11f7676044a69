"""The user guide's scenario, end to end through the API (issue "Done when")."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.messages import email_message_build
from notifications.models import EmailDelivery
from safeguarding.models import Alert, AuditEvent, Incident
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = (
    "Mr Greenwood was spotted outside of the school gates at the end of the school day. "
    "She also managed to prevent both Hannah and Matthew from seeing their father."
)

INCIDENT = """
query($id: ID!) { incident(id: $id) {
  id text textNameSpans { start end } student { displayName }
  authorName alertedByName unreadAlertId
  categories { name } linkedStudents { student { displayName } categories { name } shareDocuments }
  bodyMap { side x y number note }
  attachments { name size contentType downloadUrl }
  actions { authorName text }
} }
"""
DASHBOARD = """
{ dashboard {
  unreadAlertCount
  alerts { id kind summary incidentId categories { name } addedByName alertedByName
           student { displayName } }
  myHistory { kind summary }
} }
"""


def upload(client: SchoolClient, name: str, content: bytes) -> dict[str, Any]:
    operations = {
        "query": "mutation($file: Upload!) { uploadAttachment(file: $file) { "
        "attachment { id name size contentType } errors { field code message } } }",
        "variables": {"file": None},
    }
    response = client.post(
        "/graphql",
        {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
        },
    )
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()["data"]["uploadAttachment"]
    return result


def test_guide_scenario(school_a: School) -> None:
    chloe = f.staff("Chloe", "Kelan")
    wendy = f.staff("Wendy", "Abbott")
    dsl = f.dsl()
    hannah = f.pupil("Hannah", "Greenwood", "1B", year="Year 7")
    f.pupil("Matthew", "Greenwood", "5B", year="Year 11")
    f.pupil("Danielle", "Bradshaw", "3A")

    # Chloe finds the pupils, the categories, the SLT group, Wendy, and uploads a letter.
    as_chloe = f.signed_in(SchoolClient(school_a), chloe)
    found = as_chloe.graphql(
        '{ students(search: "greenw") { edges { node { id displayName } } } }'
    )["data"]["students"]["edges"]
    assert [e["node"]["displayName"] for e in found] == [
        "Hannah Greenwood (1B)",
        "Matthew Greenwood (5B)",
    ]
    hannah_id, matthew_id = (e["node"]["id"] for e in found)
    categories = {
        c["name"]: c
        for c in as_chloe.graphql("{ categories { id name subcategories { id name } } }")["data"][
            "categories"
        ]
    }
    chosen = [categories["Child Protection"]["id"], categories["Home Issues"]["id"]]
    slt = next(
        g["id"]
        for g in as_chloe.graphql("{ alertGroups { id name } }")["data"]["alertGroups"]
        if g["name"] == "SLT"
    )
    picker = as_chloe.graphql(
        'query($s: ID, $c: [ID!]) { staff(search: "wendy", studentId: $s, categoryIds: $c) '
        "{ edges { node { id fullName wouldNotNormallyView } } } }",
        {"s": hannah_id, "c": chosen},
    )["data"]["staff"]["edges"]
    assert [e["node"]["fullName"] for e in picker] == ["Wendy Abbott"]
    # Wendy has no key access: the picker shows her in red.
    assert picker[0]["node"]["wouldNotNormallyView"] is True
    uploaded = upload(as_chloe, "Social services letter.pdf", PDF)
    assert uploaded["errors"] == []
    assert uploaded["attachment"]["contentType"] == "application/pdf"

    added = as_chloe.graphql(
        """mutation($input: AddIncidentInput!) { addIncident(input: $input) {
            incident { id } errors { field code message } } }""",
        {
            "input": {
                "studentId": hannah_id,
                "text": TEXT,
                "categoryIds": chosen,
                "linkedStudents": [{"studentId": matthew_id, "shareDocuments": True}],
                "bodyMap": [
                    {"side": "FRONT", "x": 0.42, "y": 0.3, "number": 1, "note": "Bruise"},
                    {"side": "BACK", "x": 0.5, "y": 0.6, "number": 2},
                ],
                "alertStaffIds": [picker[0]["node"]["id"]],
                "alertGroupIds": [slt],
                "attachmentIds": [uploaded["attachment"]["id"]],
            }
        },
    )["data"]["addIncident"]
    assert added["errors"] == []
    # Chloe has no key access and no alert: the incident is not hers to read back.
    assert added["incident"] is None
    incident = Incident.objects.get(pupil=hannah)
    incident_id = f.gid("Incident", incident.pk)

    # Everyone alerted (Wendy, and the SLT group's members) has one content-free e-mail
    # waiting in the outbox, written in the same transaction as the alerts.
    alerts = Alert.objects.filter(incident=incident)
    emails = EmailDelivery.objects.filter(kind=EmailDelivery.Kind.ALERT)
    assert sorted(e.recipient_id or 0 for e in emails) == sorted(a.recipient_id for a in alerts)
    assert wendy.pk in {e.recipient_id for e in emails}
    for delivery in emails:
        message = email_message_build(delivery=delivery, school=school_a)
        html = str(message.alternatives[0][0]) if message.alternatives else ""
        whole = f"{message.subject}\n{message.body}\n{html}"
        assert "Chloe Kelan" in whole
        assert "Child Protection" in whole
        assert "Home Issues" in whole
        for secret in ("Greenwood", "Hannah", "school gates", "Matthew"):
            assert secret not in whole
    assert as_chloe.graphql(INCIDENT, {"id": incident_id})["data"]["incident"] is None
    history = as_chloe.graphql(DASHBOARD)["data"]["dashboard"]["myHistory"]
    assert history == [
        {"kind": "INCIDENT", "summary": "You added an incident for Hannah Greenwood"}
    ]

    # Wendy sees it on her dashboard and reads it.
    as_wendy = f.signed_in(SchoolClient(school_a), wendy)
    dashboard = as_wendy.graphql(DASHBOARD)["data"]["dashboard"]
    assert dashboard["unreadAlertCount"] == 1
    (alert,) = dashboard["alerts"]
    assert alert["summary"] == "Chloe Kelan added an incident for Hannah Greenwood"
    assert [c["name"] for c in alert["categories"]] == ["Child Protection", "Home Issues"]
    assert alert["incidentId"] == incident_id
    assert alert["alertedByName"] == "Chloe Kelan"
    seen = as_wendy.graphql(INCIDENT, {"id": incident_id})["data"]["incident"]
    assert seen["student"]["displayName"] == "Hannah Greenwood (1B)"
    assert seen["alertedByName"] == "Chloe Kelan"
    assert seen["unreadAlertId"] == alert["id"]
    assert [link["student"]["displayName"] for link in seen["linkedStudents"]] == [
        "Matthew Greenwood (5B)"
    ]
    assert [c["name"] for c in seen["linkedStudents"][0]["categories"]] == [
        "Child Protection",
        "Home Issues",
    ]
    assert [(m["side"], m["number"]) for m in seen["bodyMap"]] == [("FRONT", 1), ("BACK", 2)]
    named = {TEXT[s["start"] : s["end"]] for s in seen["textNameSpans"]}
    assert named == {"Greenwood", "Hannah", "Matthew"}
    (attachment,) = seen["attachments"]
    assert attachment["name"] == "Social services letter.pdf"

    # The download address redirects to a short-lived S3 link that downloads the bytes.
    redirect = as_wendy.get(attachment["downloadUrl"])
    assert redirect.status_code == 302
    location = redirect["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    assert query["response-content-disposition"][0].startswith("attachment;")
    with urllib.request.urlopen(location, timeout=10) as s3:  # noqa: S310 - local S3
        assert s3.read() == PDF
        assert s3.headers["Content-Disposition"].startswith("attachment;")
    # Chloe (no alert, no key access) cannot download it.
    assert as_chloe.get(attachment["downloadUrl"]).status_code == 404

    # Wendy adds an action alerting the incident's recipients, then marks the alert read.
    action = as_wendy.graphql(
        """mutation($input: AddActionInput!) { addAction(input: $input) {
            action { authorName text } errors { field code message } } }""",
        {
            "input": {
                "incidentId": incident_id,
                "text": "Spoke to Hannah; she is safe and went home with her mother.",
                "addIncidentAlertRecipients": True,
            }
        },
    )["data"]["addAction"]
    assert action["errors"] == []
    assert action["action"]["authorName"] == "Wendy Abbott"
    marked = as_wendy.graphql(
        "mutation($id: ID!) { markAlertRead(alertId: $id) { nextAlert { id } errors { code } } }",
        {"id": alert["id"]},
    )["data"]["markAlertRead"]
    assert marked == {"nextAlert": None, "errors": []}
    assert as_wendy.graphql(INCIDENT, {"id": incident_id})["data"]["incident"] is None
    assert as_wendy.get(attachment["downloadUrl"]).status_code == 404
    assert as_wendy.graphql(DASHBOARD)["data"]["dashboard"]["alerts"] == []

    # The DSL, with key access and a passed second factor, still can; and was alerted twice.
    as_dsl = f.signed_in(SchoolClient(school_a), dsl, second_factor=True)
    dsl_alerts = as_dsl.graphql(DASHBOARD)["data"]["dashboard"]["alerts"]
    assert [a["summary"] for a in dsl_alerts] == [
        "Wendy Abbott added an action for Hannah Greenwood",
        "Chloe Kelan added an incident for Hannah Greenwood",
    ]
    for dsl_alert in dsl_alerts:
        as_dsl.graphql(
            "mutation($id: ID!) { markAlertRead(alertId: $id) { errors { code } } }",
            {"id": dsl_alert["id"]},
        )
    seen_by_dsl = as_dsl.graphql(INCIDENT, {"id": incident_id})["data"]["incident"]
    assert seen_by_dsl["text"] == TEXT
    assert [a["authorName"] for a in seen_by_dsl["actions"]] == ["Wendy Abbott"]
    assert seen_by_dsl["unreadAlertId"] is None

    # Every read is in the audit table.
    reads = list(
        AuditEvent.objects.filter(action__in=["incident.read", "attachment.read"])
        .order_by("id")
        .values_list("actor__email", "action")
    )
    assert reads == [
        (wendy.email, "incident.read"),
        (wendy.email, "attachment.read"),
        # addAction answers with the incident as it now stands: a read too.
        (wendy.email, "incident.read"),
        (dsl.email, "incident.read"),
    ]
    assert set(
        AuditEvent.objects.filter(action="incident.read").values_list("object_id", flat=True)
    ) == {str(incident.pk)}
