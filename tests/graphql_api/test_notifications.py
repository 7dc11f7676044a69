"""Failed alert e-mails for key holders, and each person's alert e-mail choice."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from graphql_api.context import HavenContext
from graphql_api.schema import schema
from notifications.models import EmailDelivery
from notifications.selectors.deliveries import alert_emails_enabled
from notifications.services.deliveries import alert_emails_queue
from safeguarding.models import AuditEvent, Category, Staff
from safeguarding.permissions import Actor
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

FAILED = (
    "{ failedAlertEmails { recipientName toAddress senderName categoryNames reason attempts } }"
)


def person(email: str, **fields: Any) -> Staff:
    return Staff.objects.create_user(email=email, first_name="Jo", last_name="Bloggs", **fields)


def run_as(staff: Staff, *, second_factor: bool, query: str) -> dict[str, Any]:
    """Run an operation with a context as the view builds it; the second factor is what
    django-otp's middleware would report for the session."""
    request = RequestFactory().post("/graphql", HTTP_HOST="alpha.localhost")
    staff.is_verified = lambda: second_factor  # type: ignore[attr-defined]
    request.user = staff
    result = schema.execute_sync(
        query, context_value=HavenContext(request=request, response=HttpResponse())
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def failed_row(recipient: Staff) -> EmailDelivery:
    """A real alert (Sam Sender alerts ``recipient`` to a Bullying incident) whose e-mail the
    mail server refused."""
    sender = Staff.objects.create_user(
        email=f"sam.{recipient.pk}@alpha.example", first_name="Sam", last_name="Sender"
    )
    incident_create(
        actor=Actor(sender, key_access=False),
        spec=IncidentSpec(
            pupil_id=f.pupil("Asif", "Hussain", "7A").pk,
            text="Pushed in the corridor.",
            category_ids=[Category.objects.get(name="Bullying").pk],
            alert_staff_ids=[recipient.pk],
        ),
    )
    row = EmailDelivery.objects.get(recipient=recipient)
    row.status = EmailDelivery.Status.FAILED
    row.attempts = 1
    row.last_error = "550 5.1.1 Mailbox unavailable"
    row.save()
    return row


def test_key_holders_see_failed_alert_emails_with_the_reason(school_a: School) -> None:
    dsl = f.dsl()
    failed_row(person("gone@alpha.example"))
    fine = person("fine@alpha.example")
    alert_emails_queue(deliveries_for=[(fine, "Sam", ["SEND"], 6)])
    assert run_as(dsl, second_factor=True, query=FAILED) == {
        "failedAlertEmails": [
            {
                "recipientName": "Jo Bloggs",
                "toAddress": "gone@alpha.example",
                "senderName": "Sam Sender",
                "categoryNames": ["Bullying"],
                "reason": "550 5.1.1 Mailbox unavailable",
                "attempts": 1,
            }
        ]
    }


def test_without_key_access_the_list_is_empty(school_a: School) -> None:
    failed_row(person("gone@alpha.example"))
    teacher = person("teacher@alpha.example")
    key_holder_without_2fa = person("kh@alpha.example", is_key_holder=True)
    assert run_as(teacher, second_factor=True, query=FAILED) == {"failedAlertEmails": []}
    assert run_as(key_holder_without_2fa, second_factor=False, query=FAILED) == {
        "failedAlertEmails": []
    }


def test_turning_alert_emails_off_stops_alert_emails_and_is_audited(
    client_a: SchoolClient,
) -> None:
    jo = person("jo@alpha.example")
    client_a.force_login(jo)
    assert client_a.graphql("{ notificationPreferences { alertEmails } }") == {
        "data": {"notificationPreferences": {"alertEmails": True}}
    }
    result = client_a.graphql(
        "mutation { notificationPreferencesUpdate(alertEmails: false) { alertEmails } }"
    )
    assert result == {"data": {"notificationPreferencesUpdate": {"alertEmails": False}}}
    assert alert_emails_enabled(staff=jo) is False
    assert alert_emails_queue(deliveries_for=[(jo, "Sam", ["SEND"], 1)]) == []
    event = AuditEvent.objects.get(action="notifications.preference_changed")
    assert (event.actor_id, event.detail) == (jo.pk, {"alert_emails": False})


def test_failed_alert_emails_list_costs_the_same_for_one_row_or_many(school_a: School) -> None:
    dsl = f.dsl()

    def queries_for(rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            data = run_as(dsl, second_factor=True, query=FAILED)
        assert len(data["failedAlertEmails"]) == rows
        # django-tenants may first set the search path; that is not a query of this list.
        return len([q for q in captured.captured_queries if not q["sql"].startswith("SET ")])

    failed_row(person("gone@alpha.example"))
    one = queries_for(1)
    for index in range(3):
        failed_row(person(f"gone{index}@alpha.example"))
    assert queries_for(4) == one
