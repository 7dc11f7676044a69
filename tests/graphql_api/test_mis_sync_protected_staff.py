"""A staff sync token cannot take over an account: it may not change the e-mail address of
anyone who has signed in, holds key access or is a school admin. Such records are refused one
by one, listed for the school's admins, and every field a sync does change is audited."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import EmailDelivery
from safeguarding.models import ApiClient, AuditEvent, Staff
from safeguarding.services.mis_sync import StaffRecord, staff_sync
from tests.conftest import SchoolClient
from tests.graphql_api.test_mis_sync import (  # noqa: F401 - fixture
    Syncer,
    counts,
    statements,
    syncer,
)
from tests.safeguarding import factories as f

ATTACKER = "someone@elsewhere.example"
REQUEST_RESET = """
mutation($email: String!) { requestPasswordReset(email: $email) { ok errors { code } } }
"""


def teacher(mis_id: str, email: str, **fields: Any) -> dict[str, Any]:
    record = {"misId": mis_id, "email": email, "firstName": "Tia", "lastName": f"T{mis_id}"}
    record.update(fields)
    return record


def refusals(result: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(e["index"], e["field"], e["code"]) for e in result["errors"]]


def test_a_sync_cannot_redirect_the_dsl_it_matched_by_e_mail_nor_reset_their_password(
    syncer: Syncer,  # noqa: F811
    client_a: SchoolClient,
) -> None:
    dsl = f.dsl()
    # The hand-made DSL is matched by e-mail and given the MIS id: their address is unchanged.
    adopted = syncer.staff([teacher("S2", dsl.email, firstName="Dee", lastName="Lead")])
    assert (counts(adopted), adopted["errors"]) == ((0, 1, 0, 0), [])
    dsl.refresh_from_db()
    assert dsl.mis_id == "S2"

    # A later sync tries to point that MIS record (so the DSL's account) at another address.
    redirected = syncer.staff([teacher("S2", ATTACKER, firstName="Dee", lastName="Lead")])

    assert refusals(redirected) == [(0, "email", "protected_account")]
    assert "Settings → Staff" in redirected["errors"][0]["message"]
    assert counts(redirected) == (0, 0, 0, 0)
    dsl.refresh_from_db()
    assert dsl.email == "dsl@alpha.example"
    # The takeover: a password reset for the new address. It reaches nobody.
    answer = client_a.graphql(REQUEST_RESET, {"email": ATTACKER})
    assert answer["data"]["requestPasswordReset"]["ok"] is True
    assert not EmailDelivery.objects.filter(to_address=ATTACKER).exists()


def test_a_sync_cannot_change_the_e_mail_of_a_key_holder_an_admin_or_anyone_who_signed_in(
    syncer: Syncer,  # noqa: F811
) -> None:
    people = [teacher(f"S{n}", f"s{n}@alpha.example") for n in range(1, 6)]
    assert syncer.staff(people)["errors"] == []
    Staff.objects.filter(mis_id="S1").update(is_key_holder=True)
    Staff.objects.filter(mis_id="S2").update(is_school_admin=True)
    Staff.objects.filter(mis_id="S3").update(last_login=timezone.now())

    result = syncer.staff(
        [
            teacher("S1", "new1@alpha.example"),
            teacher("S2", "new2@alpha.example"),
            teacher("S3", "new3@alpha.example", jobTitle="Also refused"),
            # A teacher who never signed in: the MIS is the truth about their address.
            teacher("S4", "new4@alpha.example", jobTitle="Teacher of Music"),
            teacher("S5", "s5@alpha.example"),
            teacher("S6", "s6@alpha.example"),
        ]
    )

    # Per record: the three protected accounts are refused whole, the rest applied.
    assert refusals(result) == [
        (0, "email", "protected_account"),
        (1, "email", "protected_account"),
        (2, "email", "protected_account"),
    ]
    assert counts(result) == (1, 1, 1, 0)
    emails = dict(Staff.objects.filter(mis_id__isnull=False).values_list("mis_id", "email"))
    assert emails == {
        "S1": "s1@alpha.example",
        "S2": "s2@alpha.example",
        "S3": "s3@alpha.example",
        "S4": "new4@alpha.example",
        "S5": "s5@alpha.example",
        "S6": "s6@alpha.example",
    }
    assert Staff.objects.get(mis_id="S3").job_title == ""


def test_refused_records_are_listed_for_admins_and_changes_audited_from_and_to(
    syncer: Syncer,  # noqa: F811
    client_a: SchoolClient,
) -> None:
    created = syncer.staff([teacher("S1", "s1@alpha.example"), teacher("S2", "s2@alpha.example")])
    assert created["errors"] == []
    Staff.objects.filter(mis_id="S1").update(is_key_holder=True)

    syncer.staff(
        [
            teacher("S1", ATTACKER),
            teacher("S2", "moved@alpha.example", lastName="Moved", jobTitle="Cover supervisor"),
        ]
    )

    moved = Staff.objects.get(mis_id="S2")
    updated = AuditEvent.objects.get(action="staff.sync_updated", object_id=str(moved.pk))
    assert updated.detail["changes"] == {
        "email": ["s2@alpha.example", "moved@alpha.example"],
        "last_name": ["TS2", "Moved"],
        "job_title": ["", "Cover supervisor"],
    }
    creation = AuditEvent.objects.get(action="staff.sync_created", object_id=str(moved.pk))
    assert creation.detail["changes"]["email"] == [None, "s2@alpha.example"]
    assert creation.actor_label == "Arbor sync"

    admin = f.signed_in(SchoolClient(client_a.school), f.dsl(), second_factor=True)
    history = admin.graphql(
        "{ settingsChanges(first: 10) { nodes { actorName action objectName note "
        "changes { field from to } } } }"
    )["data"]["settingsChanges"]["nodes"]
    refused = [node for node in history if node["action"] == "staff.sync_refused"]
    assert len(refused) == 1
    assert refused[0]["actorName"] == "Arbor sync"
    assert refused[0]["objectName"] == "Tia TS1"
    assert refused[0]["note"].startswith("MIS record S1: ")
    assert "signed in, holds key access or is a school admin" in refused[0]["note"]
    assert refused[0]["changes"] == [{"field": "email", "from": "s1@alpha.example", "to": ATTACKER}]
    changed = next(node for node in history if node["action"] == "staff.sync_updated")
    assert {"field": "email", "from": "s2@alpha.example", "to": "moved@alpha.example"} in changed[
        "changes"
    ]


def test_a_dry_run_reports_a_protected_account_and_writes_nothing(
    syncer: Syncer,  # noqa: F811
) -> None:
    before = AuditEvent.objects.count()
    result = syncer.staff([teacher("S2", ATTACKER)], dryRun=True)
    assert refusals(result) == []  # no such MIS id yet: it would be a new teacher
    dsl = f.dsl()
    dsl.mis_id = "S9"
    dsl.save()

    result = syncer.staff([teacher("S9", ATTACKER)], dryRun=True)

    assert refusals(result) == [(0, "email", "protected_account")]
    assert not AuditEvent.objects.filter(action__startswith="staff.sync_").exists()
    assert AuditEvent.objects.count() == before + 2  # the two calls themselves


def test_a_staff_batch_costs_the_same_queries_whatever_how_many_records_it_changes(
    syncer: Syncer,  # noqa: F811
) -> None:
    client = ApiClient.objects.get()
    query_counts = []
    for size, prefix in ((3, "A"), (300, "B")):
        records = [
            StaffRecord(f"{prefix}{n}", f"{prefix}{n}@alpha.example", "F", "L") for n in range(size)
        ]
        staff_sync(actor=client, records=records)
        moved = [StaffRecord(r.mis_id, f"moved.{r.email}", "F", "Other") for r in records]
        with CaptureQueriesContext(connection) as queries:
            result = staff_sync(actor=client, records=moved)
        assert result.updated == size
        query_counts.append(len(statements(queries)))
    assert query_counts[0] == query_counts[1]
    assert AuditEvent.objects.filter(action="staff.sync_updated").count() == 303
