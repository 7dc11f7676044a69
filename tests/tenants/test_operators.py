"""Operators onboard and run schools through the platform API, and never reach a school."""

from __future__ import annotations

import binascii
import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from django.db import ProgrammingError, transaction
from django.test import Client
from django_otp.oath import TOTP
from django_tenants.utils import schema_context, schema_exists

from notifications.models import EmailDelivery
from safeguarding.models import Category, Staff
from tenants.models import Operator, PlatformAuditEvent, School
from tenants.operators import operator_create
from tenants.platform_schools import ARCHIVE_PREFIX
from tenants.schemas import use_public_schema
from tenants.storage import SchoolStorage
from tests.conftest import SchoolClient

PASSWORD = "a long operator passphrase 2026"
SIGN_IN = """
mutation($email: String!, $password: String!, $code: String!) {
  signIn(email: $email, password: $password, code: $code) {
    operator { email name } errors { code message }
  }
}
"""
CREATE = """
mutation($school: CreateSchoolInput!) {
  createSchool(school: $school) {
    school { name subdomain urn status staffCount pupilCount }
    errors { field code message }
  }
}
"""


class PlatformClient(Client):
    def __init__(self) -> None:
        super().__init__(HTTP_HOST="localhost")

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.post(
            "/graphql", {"query": query, "variables": variables or {}}, "application/json"
        )
        assert response.status_code == 200, response.content
        result: dict[str, Any] = response.json()
        return result


def code_for(operator: Operator, steps_ahead: int = 0) -> str:
    totp = TOTP(binascii.unhexlify(operator.totp_key))
    totp.time = totp.time + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def operator(db: None) -> Operator:
    use_public_schema()
    return operator_create(
        email=f"ops-{uuid.uuid4().hex[:8]}@haven.example", name="Sam Operator", password=PASSWORD
    )


@pytest.fixture
def signed_in(operator: Operator) -> PlatformClient:
    client = PlatformClient()
    result = client.graphql(
        SIGN_IN, {"email": operator.email, "password": PASSWORD, "code": code_for(operator)}
    )
    assert result["data"]["signIn"]["errors"] == []
    return client


def test_sign_in_needs_password_and_a_code_that_works_once(operator: Operator) -> None:
    client = PlatformClient()
    code = code_for(operator)
    wrong_password = client.graphql(
        SIGN_IN, {"email": operator.email, "password": "not it at all", "code": code}
    )
    assert wrong_password["data"]["signIn"]["errors"][0]["code"] == "sign_in_refused"
    assert client.graphql("{ me { email } }")["data"]["me"] is None

    ok = client.graphql(SIGN_IN, {"email": operator.email, "password": PASSWORD, "code": code})
    assert ok["data"]["signIn"]["operator"]["email"] == operator.email
    assert client.graphql("{ me { name } }")["data"]["me"] == {"name": "Sam Operator"}

    replay = PlatformClient().graphql(
        SIGN_IN, {"email": operator.email, "password": PASSWORD, "code": code}
    )
    assert replay["data"]["signIn"]["errors"][0]["code"] == "sign_in_refused"
    actions = list(
        PlatformAuditEvent.objects.filter(actor_label__contains=operator.email).values_list(
            "action", flat=True
        )
    )
    assert actions.count("operator.signed_in") == 1
    assert actions.count("operator.sign_in_failed") == 2


def test_unknown_email_gets_the_same_answer(operator: Operator) -> None:
    client = PlatformClient()
    known = client.graphql(SIGN_IN, {"email": operator.email, "password": "x", "code": "000000"})
    unknown = client.graphql(
        SIGN_IN, {"email": "nobody@haven.example", "password": "x", "code": "000000"}
    )
    assert known == unknown


def test_too_many_attempts_lock_even_the_right_details(operator: Operator) -> None:
    client = PlatformClient()
    for _ in range(5):
        client.graphql(SIGN_IN, {"email": operator.email, "password": "wrong", "code": "1"})
    locked = client.graphql(
        SIGN_IN, {"email": operator.email, "password": PASSWORD, "code": code_for(operator)}
    )
    assert locked["data"]["signIn"]["operator"] is None
    assert PlatformAuditEvent.objects.filter(
        action="operator.sign_in_locked", actor_label=operator.email
    ).exists()


def test_signed_out_operators_get_nothing(db: None) -> None:
    client = PlatformClient()
    assert client.graphql("{ schools { name } }") == {"data": {"schools": []}}
    result = client.graphql(
        CREATE,
        {"school": {"name": "X", "subdomain": "xschool", "urn": "123123", "dslEmail": "a@b.c"}},
    )
    assert result["data"]["createSchool"]["errors"][0]["code"] == "not_signed_in"
    assert not School.objects.filter(schema_name="xschool").exists()


def test_operator_lists_schools_with_counts_not_records(signed_in: PlatformClient) -> None:
    result = signed_in.graphql(
        '{ schools(search: "alpha") { name subdomain status staffCount pupilCount '
        "storageUsedBytes } }"
    )
    [alpha] = result["data"]["schools"]
    assert alpha["name"] == "Alpha Academy"
    assert alpha["staffCount"] == 1  # the DSL created at onboarding
    assert alpha["status"] == "active"
    assert alpha["storageUsedBytes"] >= 0


def test_create_school_provisions_and_invites_the_dsl(signed_in: PlatformClient) -> None:
    result = signed_in.graphql(
        CREATE,
        {
            "school": {
                "name": "Gamma School",
                "subdomain": "gamma",
                "urn": "300001",
                "dslEmail": "head@gamma.example",
            }
        },
    )
    payload = result["data"]["createSchool"]
    assert payload["errors"] == []
    assert payload["school"] == {
        "name": "Gamma School",
        "subdomain": "gamma",
        "urn": "300001",
        "status": "active",
        "staffCount": 1,
        "pupilCount": 0,
    }
    with schema_context("gamma"):
        assert Category.objects.filter(name="Child Protection").exists()
        invitation = EmailDelivery.objects.get(kind=EmailDelivery.Kind.INVITATION)
        assert invitation.to_address == "head@gamma.example"
        assert "gamma.localhost" in invitation.link
    assert PlatformAuditEvent.objects.filter(
        action="school.created", school_subdomain="gamma"
    ).exists()


@pytest.mark.parametrize(
    ("school", "field", "message"),
    [
        ({"subdomain": "WWW"}, "subdomain", "lowercase"),
        ({"subdomain": "admin"}, "subdomain", "reserved"),
        ({"subdomain": "alpha"}, "subdomain", "already taken"),
        ({"urn": "12"}, "urn", "6 digits"),
        ({"urn": "100001"}, "urn", "already exists"),
        ({"dslEmail": "nope"}, "dslEmail", "valid e-mail"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(
    signed_in: PlatformClient, school: dict[str, str], field: str, message: str
) -> None:
    good = {"name": "Delta", "subdomain": "delta", "urn": "300002", "dslEmail": "d@delta.example"}
    result = signed_in.graphql(CREATE, {"school": {**good, **school}})
    errors = result["data"]["createSchool"]["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert not School.objects.filter(urn="300002").exists()
    assert not schema_exists("delta")


def test_suspend_and_reactivate(signed_in: PlatformClient, school_b: School) -> None:
    use_public_schema()
    suspend = signed_in.graphql(
        'mutation { suspendSchool(subdomain: "beta", reason: "unpaid") '
        "{ school { status } errors { code } } }"
    )
    assert suspend["data"]["suspendSchool"] == {"school": {"status": "suspended"}, "errors": []}
    beta = SchoolClient(school_b)
    assert beta.get("/").status_code == 503
    assert (
        beta.post("/graphql", {"query": "{ me { email } }"}, "application/json").status_code == 503
    )

    use_public_schema()
    signed_in.graphql('mutation { reactivateSchool(subdomain: "beta") { school { status } } }')
    assert beta.get("/").status_code == 200


def test_operator_session_means_nothing_at_a_school(
    signed_in: PlatformClient, school_a: School
) -> None:
    school_client = SchoolClient(school_a)
    school_client.cookies = signed_in.cookies
    assert school_client.graphql("{ me { email } }")["data"]["me"] is None
    result = school_client.graphql("{ schools { name } }")
    assert "schools" in result["errors"][0]["message"]  # no operator API on a school host


def test_archive_stores_the_school_then_removes_it(signed_in: PlatformClient) -> None:
    signed_in.graphql(
        CREATE,
        {"school": {"name": "Old School", "subdomain": "oldschool", "urn": "300003",
                    "dslEmail": "dsl@old.example"}},
    )  # fmt: skip
    refused = signed_in.graphql(
        'mutation { archiveSchool(subdomain: "oldschool", confirmSubdomain: "old") '
        "{ archiveKey errors { field code } } }"
    )
    assert refused["data"]["archiveSchool"]["errors"][0]["field"] == "confirmSubdomain"
    assert School.objects.filter(schema_name="oldschool").exists()

    archived = signed_in.graphql(
        'mutation { archiveSchool(subdomain: "oldschool", confirmSubdomain: "oldschool") '
        "{ archiveKey errors { code } } }"
    )["data"]["archiveSchool"]
    key = archived["archiveKey"]
    assert key.startswith(f"{ARCHIVE_PREFIX}oldschool/")
    bucket = SchoolStorage(school_schema="alpha").bucket
    try:
        assert bucket.Object(key).content_length > 0
        assert not School.objects.filter(schema_name="oldschool").exists()
        assert not schema_exists("oldschool")
    finally:
        bucket.Object(key).delete()


def test_invite_school_admin_queues_a_set_password_link(
    signed_in: PlatformClient, school_b: School
) -> None:
    use_public_schema()
    result = signed_in.graphql(
        'mutation { inviteSchoolAdmin(subdomain: "beta", email: "Deputy@Beta.example", '
        'firstName: "Dee", lastName: "Puty") { ok errors { code } } }'
    )
    assert result["data"]["inviteSchoolAdmin"] == {"ok": True, "errors": []}
    with school_b:
        deputy = Staff.objects.get(email="deputy@beta.example")
        assert deputy.is_school_admin
        assert not deputy.is_key_holder
        assert not deputy.has_usable_password()
        assert EmailDelivery.objects.filter(
            kind=EmailDelivery.Kind.INVITATION, recipient=deputy
        ).exists()


def test_platform_audit_log_is_append_only(operator: Operator) -> None:
    event = PlatformAuditEvent.objects.filter(action="operator.created").latest("pk")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        PlatformAuditEvent.objects.filter(pk=event.pk).update(action="rewritten")


def _signed_in_now(operator: Operator) -> PlatformClient:
    client = PlatformClient()
    result = client.graphql(
        SIGN_IN, {"email": operator.email, "password": PASSWORD, "code": code_for(operator)}
    )
    assert result["data"]["signIn"]["errors"] == []
    return client


def test_an_idle_operator_is_signed_out(operator: Operator) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = _signed_in_now(operator)
        # Activity keeps the session: 14 minutes, then 14 more, are each within the limit.
        for _ in range(2):
            clock.shift(dt.timedelta(minutes=14))
            assert client.graphql("{ me { email } }")["data"]["me"] == {"email": operator.email}

        clock.shift(dt.timedelta(minutes=16))
        assert client.graphql("{ me { email } }")["data"]["me"] is None
        # The console asks for the password and code again.
        console = Client(HTTP_HOST="localhost")
        console.cookies = client.cookies
        response = console.get("/console/")
        assert response.status_code == 302
        assert response["Location"].endswith("/console/sign-in")
    expired = PlatformAuditEvent.objects.get(action="operator.session_expired")
    assert expired.operator == operator
    assert expired.detail == {"reason": "idle"}


def test_an_operator_session_ends_after_the_absolute_limit_however_active(
    operator: Operator,
) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = _signed_in_now(operator)
        console = Client(HTTP_HOST="localhost")
        console.cookies = client.cookies
        for _ in range(7 * 6 + 5):  # a request every 10 minutes for 7 h 50 min
            clock.shift(dt.timedelta(minutes=10))
            assert console.get("/console/").status_code == 200
        clock.shift(dt.timedelta(minutes=11))
        assert console.get("/console/").status_code == 302
    assert PlatformAuditEvent.objects.get(action="operator.session_expired").detail == {
        "reason": "absolute"
    }
