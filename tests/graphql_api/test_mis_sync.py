from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguarding.models import ApiClient, AuditEvent, Pupil, Staff, TutorGroup, YearGroup
from safeguarding.services.mis_sync import PupilRecord, pupils_sync
from tenants.schemas import current_schema_name
from tests.conftest import SchoolClient
from tests.graphql_api.conftest import MakeToken, bearer

RESULT = "created updated unchanged left dryRun fullSyncId errors { index field code message }"
SYNC_PUPILS = f"""
mutation SyncPupils(
  $records: [PupilRecordInput!]!, $dryRun: Boolean! = false, $fullSync: Boolean! = false,
  $fullSyncId: ID = null
) {{
  syncPupils(records: $records, dryRun: $dryRun, fullSync: $fullSync, fullSyncId: $fullSyncId) {{
    {RESULT}
  }}
}}
"""
SYNC_STAFF = f"""
mutation SyncStaff($records: [StaffRecordInput!]!, $dryRun: Boolean! = false) {{
  syncStaff(records: $records, dryRun: $dryRun) {{ {RESULT} }}
}}
"""
SYNC_GROUPS = f"""
mutation SyncGroups($records: [GroupRecordInput!]!, $dryRun: Boolean! = false) {{
  syncGroups(records: $records, dryRun: $dryRun) {{ {RESULT} }}
}}
"""
GROUPS: list[dict[str, Any]] = [
    {"kind": "YEAR", "misId": "Y7", "name": "Year 7", "order": 7},
    {"kind": "YEAR", "misId": "Y8", "name": "Year 8", "order": 8},
    {"kind": "TUTOR", "misId": "T7A", "name": "7A", "yearGroup": "Year 7"},
    {"kind": "TUTOR", "misId": "T8B", "name": "8B", "yearGroup": "Year 8"},
]


def pupil(mis_id: str | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "misId": mis_id,
        "legalFirstName": f"First{mis_id}",
        "legalLastName": f"Last{mis_id}",
        "dateOfBirth": "2012-05-17",
        "gender": "F",
        "yearGroup": "Year 7",
        "tutorGroup": "7A",
    }
    record.update(fields)
    return record


class Syncer:
    """Calls the sync mutations as one API client."""

    def __init__(self, client: SchoolClient, token: str) -> None:
        self.client = client
        self.token = token

    def call(self, query: str, field: str, **variables: Any) -> dict[str, Any]:
        result = self.client.graphql(query, variables, **bearer(self.token))
        assert "errors" not in result, result
        payload: dict[str, Any] = result["data"][field]
        return payload

    def pupils(self, records: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        return self.call(SYNC_PUPILS, "syncPupils", records=records, **options)

    def staff(self, records: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        return self.call(SYNC_STAFF, "syncStaff", records=records, **options)

    def groups(self, records: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        return self.call(SYNC_GROUPS, "syncGroups", records=records, **options)


@pytest.fixture
def syncer(client_a: SchoolClient, make_token: MakeToken) -> Syncer:
    return Syncer(client_a, make_token())


@pytest.fixture
def groups(syncer: Syncer) -> None:
    assert syncer.groups(GROUPS)["errors"] == []


def counts(payload: dict[str, Any]) -> tuple[int, int, int, int]:
    return (payload["created"], payload["updated"], payload["unchanged"], payload["left"])


def snapshot() -> list[dict[str, Any]]:
    return [
        *map(dict, Pupil.objects.order_by("pk").values()),
        *map(dict, Staff.objects.order_by("pk").values()),
        *map(dict, YearGroup.objects.order_by("pk").values()),
        *map(dict, TutorGroup.objects.order_by("pk").values()),
    ]


# --- Groups -----------------------------------------------------------------------------------


def test_groups_sync_creates_year_and_tutor_groups_then_updates_only_what_changed(
    syncer: Syncer,
) -> None:
    created = syncer.groups(GROUPS)
    assert counts(created) == (4, 0, 0, 0)
    assert TutorGroup.objects.get(name="7A").year_group == YearGroup.objects.get(name="Year 7")

    renamed = [dict(record) for record in GROUPS]
    renamed[3] = {"kind": "TUTOR", "misId": "T8B", "name": "8Blue", "yearGroup": "Year 8"}
    again = syncer.groups(renamed)
    assert counts(again) == (0, 1, 3, 0)
    assert TutorGroup.objects.get(mis_id="T8B").name == "8Blue"


def test_groups_sync_adopts_a_group_made_by_hand_and_refuses_unknown_year_groups(
    syncer: Syncer,
) -> None:
    by_hand = YearGroup.objects.create(name="Year 7", order=1)
    result = syncer.groups(
        [
            {"kind": "YEAR", "misId": "Y7", "name": "Year 7"},
            {"kind": "TUTOR", "misId": "T9", "name": "9Z", "yearGroup": "Year 9"},
        ]
    )
    assert counts(result) == (0, 1, 0, 0)
    assert result["errors"] == [
        {
            "index": 1,
            "field": "yearGroup",
            "code": "unknown",
            "message": "Year group 'Year 9' is not known.",
        }
    ]
    by_hand.refresh_from_db()
    assert (by_hand.mis_id, by_hand.order) == ("Y7", 1)
    assert not TutorGroup.objects.exists()


def test_groups_sync_refuses_a_name_another_group_holds(syncer: Syncer, groups: None) -> None:
    result = syncer.groups([{"kind": "YEAR", "misId": "Y9", "name": "Year 7"}])
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [(0, "name", "taken")]
    assert not YearGroup.objects.filter(mis_id="Y9").exists()


# --- Pupils -----------------------------------------------------------------------------------


def test_pupils_sync_creates_then_updates_only_what_changed(syncer: Syncer, groups: None) -> None:
    batch = [pupil("P1"), pupil("P2"), pupil("P3")]
    assert counts(syncer.pupils(batch)) == (3, 0, 0, 0)
    hannah = Pupil.objects.get(mis_id="P1")
    assert hannah.display_name == "FirstP1 LastP1 (7A)"
    assert hannah.date_of_birth == datetime.date(2012, 5, 17)
    assert hannah.year_group is not None
    assert hannah.year_group.name == "Year 7"

    batch[1] = pupil("P2", preferredFirstName="Bea", tutorGroup="8B", yearGroup="Year 8")
    with CaptureQueriesContext(connection) as queries:
        result = syncer.pupils(batch)
    assert counts(result) == (0, 1, 2, 0)
    updates = [q["sql"] for q in queries.captured_queries if "UPDATE" in q["sql"]]
    pupil_updates = [sql for sql in updates if '"safeguarding_pupil"' in sql]
    # One UPDATE, of the changed columns only.
    assert len(pupil_updates) == 1
    assert '"preferred_first_name"' in pupil_updates[0]
    assert '"legal_last_name"' not in pupil_updates[0]
    bea = Pupil.objects.get(mis_id="P2")
    assert bea.display_name == "Bea LastP2 (8B)"


def test_the_same_batch_twice_leaves_the_database_as_it_was(syncer: Syncer, groups: None) -> None:
    batch = [pupil(f"P{n}") for n in range(20)]
    staff = [
        {"misId": f"S{n}", "email": f"s{n}@alpha.example", "firstName": "A", "lastName": f"B{n}"}
        for n in range(5)
    ]
    syncer.pupils(batch, fullSync=True)
    syncer.staff(staff)
    syncer.groups(GROUPS)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        assert counts(syncer.pupils(batch, fullSync=True)) == (0, 0, 20, 0)
        assert counts(syncer.staff(staff)) == (0, 0, 5, 0)
        assert counts(syncer.groups(GROUPS)) == (0, 0, 4, 0)
    assert snapshot() == before
    # Only the client's last-used time and the audit log are written; no record is touched.
    updated_tables = {
        q["sql"].split('"')[1] for q in queries.captured_queries if q["sql"].startswith("UPDATE")
    }
    assert updated_tables == {"safeguarding_apiclient"}


# What a sync may change when nothing in the MIS changed: the client's last-sync time, and
# the audit log, which only gains the syncs' own entries.
LAST_SYNC_COLUMNS = {"safeguarding_apiclient": {"last_used_at"}}
APPEND_ONLY_TABLES = {"safeguarding_auditevent"}


def schema_dump() -> dict[str, dict[str, tuple[str, str, dict[str, Any]]]]:
    """Every row of every table of the school's schema: its text as JSON, by physical
    position (ctid) with the transaction that wrote it (xmin), which an UPDATE changes even
    when it writes the same values."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
            [current_schema_name()],
        )
        tables = [row[0] for row in cursor.fetchall()]
        dump: dict[str, dict[str, tuple[str, str, dict[str, Any]]]] = {}
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT ctid::text, xmin::text, row_to_json(t)::text FROM {quoted} t"  # noqa: S608 - catalogue names
            )
            dump[table] = {
                ctid: (xmin, text, json.loads(text)) for ctid, xmin, text in cursor.fetchall()
            }
    return dump


def test_two_identical_syncs_leave_the_database_byte_for_byte_the_same(
    syncer: Syncer,
) -> None:
    pupils = [pupil(f"P{n}", preferredFirstName="Bea" if n % 3 else "") for n in range(30)]
    staff = [
        {"misId": f"S{n}", "email": f"s{n}@alpha.example", "firstName": "A", "lastName": f"B{n}"}
        for n in range(5)
    ]

    def sync_everything() -> None:
        assert syncer.groups(GROUPS)["errors"] == []
        assert syncer.staff(staff)["errors"] == []
        assert syncer.pupils(pupils, fullSync=True)["errors"] == []

    sync_everything()
    before = schema_dump()
    assert len(before["safeguarding_pupil"]) == 30
    assert len(before["safeguarding_tutorgroup"]) == 2
    sync_everything()
    after = schema_dump()

    assert after.keys() == before.keys()
    for table, rows in after.items():
        if table in APPEND_ONLY_TABLES:
            # Old entries untouched; the new ones are the three calls and syncs' own.
            assert {k: rows[k] for k in before[table]} == before[table]
            added = [rows[k][2] for k in rows.keys() - before[table].keys()]
            assert sorted(row["action"] for row in added) == [
                *["api_client.call"] * 3,
                "groups.sync",
                "pupils.sync",
                "staff.sync",
            ]
            continue
        skipped = LAST_SYNC_COLUMNS.get(table, set())
        if not skipped:
            # The very same row versions: same text, same place, same writing transaction.
            assert rows == before[table], table
            continue
        values = sorted(
            ({k: v for k, v in row.items() if k not in skipped} for _, _, row in rows.values()),
            key=json.dumps,
        )
        values_before = sorted(
            (
                {k: v for k, v in row.items() if k not in skipped}
                for _, _, row in before[table].values()
            ),
            key=json.dumps,
        )
        assert values == values_before, table
    # The last-sync time did move: the comparison above had something to leave out.
    client_rows = [row for _, _, row in after["safeguarding_apiclient"].values()]
    client_rows_before = [row for _, _, row in before["safeguarding_apiclient"].values()]
    assert [r["last_used_at"] for r in client_rows] != [
        r["last_used_at"] for r in client_rows_before
    ]


def test_a_full_sync_marks_pupils_missing_from_it_as_left_and_keeps_them(
    syncer: Syncer, groups: None
) -> None:
    syncer.pupils([pupil("P1"), pupil("P2"), pupil("P3"), pupil("P4")])
    # P3 has left; P4's record has a typo, which must not make P4 look as if they had left.
    result = syncer.pupils(
        [pupil("P1"), pupil("P2"), pupil("P4", dateOfBirth="2012-13-01")], fullSync=True
    )
    assert counts(result) == (0, 0, 2, 1)
    assert [e["index"] for e in result["errors"]] == [2]
    left = Pupil.objects.get(mis_id="P3")
    assert left.left_on == timezone.localdate()
    assert not left.on_roll
    assert Pupil.objects.filter(left_on__isnull=True).count() == 3

    # Without fullSync, nobody is marked as left; a returning pupil is back on roll.
    back = syncer.pupils([pupil("P3")])
    assert counts(back) == (0, 1, 0, 0)
    assert Pupil.objects.get(mis_id="P3").on_roll


def test_a_full_sync_in_several_batches_marks_leavers_when_finished(
    syncer: Syncer, groups: None
) -> None:
    syncer.pupils([pupil(f"P{n}") for n in range(6)])
    started = syncer.call(
        "mutation { startPupilFullSync { fullSyncId errors { code } } }", "startPupilFullSync"
    )
    run = started["fullSyncId"]
    first = syncer.pupils([pupil("P0"), pupil("P1")], fullSyncId=run)
    second = syncer.pupils([pupil("P2"), pupil("P9")], fullSyncId=run)
    assert counts(first) == (0, 0, 2, 0)
    assert counts(second) == (1, 0, 1, 0)
    assert Pupil.objects.filter(left_on__isnull=False).count() == 0
    finish = """
    mutation($id: ID!, $dryRun: Boolean!) {
      finishPupilFullSync(fullSyncId: $id, dryRun: $dryRun) { left dryRun errors { code } }
    }
    """
    preview = syncer.call(finish, "finishPupilFullSync", id=run, dryRun=True)
    assert preview == {"left": 3, "dryRun": True, "errors": []}
    assert Pupil.objects.filter(left_on__isnull=False).count() == 0
    done = syncer.call(finish, "finishPupilFullSync", id=run, dryRun=False)
    assert done == {"left": 3, "dryRun": False, "errors": []}
    assert set(Pupil.objects.filter(left_on__isnull=False).values_list("mis_id", flat=True)) == {
        "P3",
        "P4",
        "P5",
    }
    # A finished full sync takes no more batches.
    late = syncer.pupils([pupil("P3")], fullSyncId=run)
    assert late["errors"][0]["code"] == "not_found"
    assert Pupil.objects.get(mis_id="P3").left_on is not None


def test_another_clients_full_sync_is_not_found(
    syncer: Syncer, make_token: MakeToken, groups: None
) -> None:
    run = syncer.call("mutation { startPupilFullSync { fullSyncId } }", "startPupilFullSync")
    other = Syncer(syncer.client, make_token(name="Other"))
    result = other.pupils([pupil("P1")], fullSyncId=run["fullSyncId"])
    assert result["errors"][0]["code"] == "not_found"
    assert not Pupil.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(syncer: Syncer, groups: None) -> None:
    syncer.pupils([pupil("P1"), pupil("P2")])
    before = snapshot()
    audit_before = AuditEvent.objects.exclude(action="api_client.call").count()
    result = syncer.pupils(
        [pupil("P1", legalLastName="Changed"), pupil("P3"), pupil(None)],
        dryRun=True,
        fullSync=True,
    )
    assert counts(result) == (1, 1, 0, 1)
    assert result["dryRun"] is True
    assert [(e["index"], e["field"]) for e in result["errors"]] == [(2, "misId")]
    assert snapshot() == before
    assert AuditEvent.objects.exclude(action="api_client.call").count() == audit_before

    staff = syncer.staff(
        [{"misId": "S1", "email": "s1@alpha.example", "firstName": "A", "lastName": "B"}],
        dryRun=True,
    )
    groups_result = syncer.groups(
        [{"kind": "YEAR", "misId": "Y12", "name": "Year 12"}, *GROUPS], dryRun=True
    )
    assert counts(staff) == (1, 0, 0, 0)
    assert counts(groups_result) == (1, 0, 4, 0)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("record", "field", "code"),
    [
        (pupil(None), "misId", "required"),
        (pupil("   "), "misId", "required"),
        (pupil("X" * 65), "misId", "too_long"),
        (pupil("B1", legalFirstName=""), "legalFirstName", "required"),
        (pupil("B1", legalLastName=None), "legalLastName", "required"),
        (pupil("B1", legalFirstName="A" * 101), "legalFirstName", "too_long"),
        (pupil("B1", preferredLastName="A" * 101), "preferredLastName", "too_long"),
        (pupil("B1", dateOfBirth="2015-02-30"), "dateOfBirth", "impossible"),
        (pupil("B1", dateOfBirth="2099-01-01"), "dateOfBirth", "impossible"),
        (pupil("B1", dateOfBirth="1890-01-01"), "dateOfBirth", "impossible"),
        (pupil("B1", dateOfBirth="17/05/2012"), "dateOfBirth", "invalid"),
        (pupil("B1", gender="Q"), "gender", "invalid"),
        (pupil("B1", yearGroup="Year 42"), "yearGroup", "unknown"),
        (pupil("B1", tutorGroup="99Z"), "tutorGroup", "unknown"),
    ],
)
def test_a_bad_pupil_record_is_refused_and_the_good_ones_applied(
    syncer: Syncer, groups: None, record: dict[str, Any], field: str, code: str
) -> None:
    result = syncer.pupils([pupil("G1"), record, pupil("G2")])
    assert counts(result) == (2, 0, 0, 0)
    assert len(result["errors"]) == 1
    error = result["errors"][0]
    assert (error["index"], error["field"], error["code"]) == (1, field, code)
    assert error["message"]
    assert set(Pupil.objects.values_list("mis_id", flat=True)) == {"G1", "G2"}


def test_duplicate_mis_ids_in_one_batch_are_all_refused(syncer: Syncer, groups: None) -> None:
    result = syncer.pupils([pupil("D1"), pupil("G1"), pupil("D1", legalFirstName="Other")])
    assert counts(result) == (1, 0, 0, 0)
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [
        (0, "misId", "duplicate"),
        (2, "misId", "duplicate"),
    ]
    assert "appears 2 times" in result["errors"][0]["message"]
    assert list(Pupil.objects.values_list("mis_id", flat=True)) == ["G1"]


def test_a_batch_over_1000_records_is_refused_whole(syncer: Syncer, groups: None) -> None:
    result = syncer.pupils([pupil(f"P{n}") for n in range(1001)])
    assert counts(result) == (0, 0, 0, 0)
    assert result["errors"] == [
        {
            "index": None,
            "field": "records",
            "code": "too_many",
            "message": "A batch holds at most 1000 records; this one has 1001. "
            "Nothing was written.",
        }
    ]
    assert not Pupil.objects.exists()
    assert counts(syncer.pupils([pupil(f"P{n}") for n in range(1000)])) == (1000, 0, 0, 0)


# --- Staff ------------------------------------------------------------------------------------


def test_staff_sync_creates_staff_without_a_password_and_adopts_staff_added_by_hand(
    syncer: Syncer,
) -> None:
    result = syncer.staff(
        [
            {
                "misId": "S1",
                "email": "New.Teacher@Alpha.example",
                "firstName": "Nia",
                "lastName": "New",
                "jobTitle": "Teacher of Maths",
            },
            {"misId": "S2", "email": "dsl@alpha.example", "firstName": "Dee", "lastName": "Lead"},
        ]
    )
    assert counts(result) == (1, 1, 0, 0)
    nia = Staff.objects.get(mis_id="S1")
    assert nia.email == "new.teacher@alpha.example"
    assert nia.job_title == "Teacher of Maths"
    assert not nia.has_usable_password()
    assert (nia.is_active, nia.is_key_holder, nia.is_school_admin) == (True, False, False)
    dsl = Staff.objects.get(email="dsl@alpha.example")
    assert (dsl.mis_id, dsl.first_name, dsl.is_school_admin) == ("S2", "Dee", True)


def test_staff_sync_refuses_bad_and_clashing_records(syncer: Syncer) -> None:
    syncer.staff([{"misId": "S1", "email": "one@alpha.example", "firstName": "O", "lastName": "N"}])
    result = syncer.staff(
        [
            {"misId": "S2", "email": "one@alpha.example", "firstName": "T", "lastName": "W"},
            {"misId": "S3", "email": "not-an-address", "firstName": "T", "lastName": "W"},
            {"misId": "S4", "email": "four@alpha.example", "firstName": "", "lastName": "W"},
            {"misId": "S5", "email": "same@alpha.example", "firstName": "A", "lastName": "B"},
            {"misId": "S6", "email": "SAME@alpha.example", "firstName": "C", "lastName": "D"},
            {"misId": None, "email": "none@alpha.example", "firstName": "C", "lastName": "D"},
            {"misId": "S7", "email": "ok@alpha.example", "firstName": "O", "lastName": "K"},
        ]
    )
    assert counts(result) == (1, 0, 0, 0)
    assert [(e["index"], e["field"], e["code"]) for e in result["errors"]] == [
        (0, "email", "taken"),
        (1, "email", "invalid"),
        (2, "firstName", "required"),
        (3, "email", "duplicate"),
        (4, "email", "duplicate"),
        (5, "misId", "required"),
    ]
    assert Staff.objects.filter(mis_id__isnull=False).count() == 2


# --- Queries ----------------------------------------------------------------------------------


def statements(queries: CaptureQueriesContext) -> list[str]:
    # django-tenants sets the search path before each statement whatever the code does;
    # count the statements the sync itself issues.
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]


def _records(count: int, prefix: str = "Q") -> list[PupilRecord]:
    return [
        PupilRecord(
            mis_id=f"{prefix}{n}",
            legal_first_name="First",
            legal_last_name=f"Last{n}",
            date_of_birth="2013-01-02",
            year_group="Year 7",
            tutor_group="7A",
        )
        for n in range(count)
    ]


def test_a_pupil_batch_costs_the_same_few_queries_whatever_its_size(
    syncer: Syncer, groups: None
) -> None:
    client = ApiClient.objects.get()
    query_counts = []
    for size, prefix in ((5, "A"), (500, "B")):
        with CaptureQueriesContext(connection) as queries:
            result = pupils_sync(actor=client, records=_records(size, prefix), full_sync=False)
        assert result.created == size
        query_counts.append(len(statements(queries)))
    assert query_counts[0] == query_counts[1]
    # Savepoint, year and tutor groups, existing pupils, audit, release; the new pupils go in
    # with one COPY, which Django's query log does not show.
    assert query_counts[0] == 6

    changed = [
        PupilRecord(**{**record.__dict__, "legal_first_name": "Changed"})
        for record in _records(500, "B")
    ]
    with CaptureQueriesContext(connection) as queries:
        result = pupils_sync(actor=client, records=changed, full_sync=True)
    assert (result.updated, result.left) == (500, 5)
    # As above, with one UPDATE for the changed column, then the leavers found and marked.
    assert len(statements(queries)) == 9
