"""A failed GraphQL operation leaves no submitted value in the log or in an error report.

strawberry logs each error before masking, message and all: a concern submitted without its
pupil logged the whole input, and an exception raised by a resolver logged its message. The
log must carry the error's code and the operation's name, and nothing that was sent.
"""

from __future__ import annotations

import json
import logging

import pytest
import sentry_sdk
import strawberry
from django.test import override_settings
from django.urls import path

from graphql_api.error_logging import HavenSchema
from graphql_api.schema import schema_extensions
from graphql_api.views import HavenGraphQLView
from tenants.models import School
from tests.conftest import SchoolClient
from tests.infra.test_observability import RecordingTransport, sentry
from tests.safeguarding import factories

__all__ = ["sentry"]

CANARY = "Zebedee-Quantock-7731"

ADD_CONCERN = """
mutation AddConcern($input: AddIncidentInput!) {
  addIncident(input: $input) { incident { id } errors { field code message } }
}
"""


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def ok(self) -> bool:
        return True


@strawberry.type
class ProbeMutation:
    @strawberry.mutation
    def save_note(self, text: str) -> bool:
        # Fails the way real code can: with what it had in hand in the exception's message.
        raise RuntimeError(f"could not save the note {text!r}")


probe_view = HavenGraphQLView.as_view(
    schema=HavenSchema(query=ProbeQuery, mutation=ProbeMutation, extensions=schema_extensions())
)
urlpatterns = [path("graphql", probe_view)]


def everything_sent(transport: RecordingTransport) -> str:
    """Every item of every envelope the SDK would have sent, as text."""
    sentry_sdk.flush()
    return "\n".join(
        item.payload.get_bytes().decode("utf-8", "replace")
        for envelope in transport.envelopes
        for item in envelope.items
    )


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Each record's message and, formatted as a handler would, its traceback."""
    lines = [record.getMessage() for record in caplog.records]
    return "\n".join([*lines, caplog.text])


def test_a_concern_missing_its_pupil_is_logged_by_code_and_operation_only(
    school_a: School, sentry: RecordingTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    teacher = factories.staff("Tess", "Teacher")
    client = factories.signed_in(SchoolClient(school_a), teacher)

    result = client.graphql(
        ADD_CONCERN,
        {
            "input": {
                "text": f"Disclosed at break time: {CANARY}",
                "categoryIds": factories.category_ids("Bullying"),
            }
        },
    )

    # The person who sent it is told what is missing ...
    assert result["data"] is None
    assert "studentId" in result["errors"][0]["message"]
    # ... the log says which operation failed and how ...
    logged = everything_logged(caplog)
    assert "BAD_USER_INPUT" in logged
    assert "AddConcern" in logged
    # ... and neither the log nor an error report holds what was written.
    assert CANARY not in logged
    assert CANARY not in everything_sent(sentry)


@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_in_a_resolver_is_reported_without_its_message(
    school_a: School, sentry: RecordingTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = SchoolClient(school_a)

    result = client.graphql(
        "mutation SaveNote($text: String!) { saveNote(text: $text) }", {"text": CANARY}
    )

    assert result["errors"][0]["message"] == "Unexpected error."
    logged = everything_logged(caplog)
    assert "INTERNAL_SERVER_ERROR" in logged
    assert "RuntimeError" in logged
    assert "SaveNote" in logged
    assert CANARY not in logged
    # The failure is reported (its type and where it was raised) ...
    sent = everything_sent(sentry)
    events = sentry.events()
    assert [value["type"] for event in events for value in event["exception"]["values"]] == [
        "RuntimeError"
    ]
    assert "save_note" in json.dumps(events)
    # ... without what it quoted.
    assert CANARY not in sent
