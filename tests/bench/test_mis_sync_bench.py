"""`make bench`: a full MIS sync of 2,000 pupils into an empty school, a re-sync with nothing
changed, and both against a plain COPY of the same rows. Prints figures; asserts only that the
re-sync writes nothing.

Like with like: the COPY goes into the pupil table itself (its indexes, its generated search
column, its WAL), empty, as the first sync does; each COPY and each first sync runs in a
savepoint that is rolled back, so every one starts from the same empty table. The sync is the
service the syncPupils mutation calls (start, two batches of 1,000, finish), without HTTP.
Goal: the first sync within 5x the COPY."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safeguarding.models import Pupil, Staff, TutorGroup, YearGroup
from safeguarding.services.api_clients import api_client_create
from safeguarding.services.mis_sync import (
    MAX_BATCH,
    PupilRecord,
    pupil_full_sync_finish,
    pupil_full_sync_start,
    pupils_sync,
)
from tenants.models import School
from tests.safeguarding.factories import admin_request

PUPILS = 2000


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def test_full_sync_of_2000_pupils_against_copy(fresh_school: School) -> None:
    years = [YearGroup.objects.create(name=f"Year {n}", order=n, mis_id=f"Y{n}") for n in (7, 8)]
    for year in years:
        for letter in "ABCD":
            TutorGroup.objects.create(
                name=f"{year.order}{letter}", year_group=year, mis_id=f"T{year.order}{letter}"
            )
    dsl = Staff.objects.get(email__startswith="dsl@")
    actor = api_client_create(
        actor=dsl, name="Bench sync", scopes=["pupils:write"], request=admin_request(dsl)
    ).api_client
    records = [
        PupilRecord(
            mis_id=f"BENCH-{n:05d}",
            legal_first_name=f"First{n}",
            legal_last_name=f"Last{n}",
            preferred_first_name="",
            date_of_birth=f"201{n % 2 + 2}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            gender="FMX"[n % 3],
            year_group=f"Year {7 + n % 2}",
            tutor_group=f"{7 + n % 2}{'ABCD'[n % 4]}",
        )
        for n in range(PUPILS)
    ]

    def full_sync() -> None:
        run = pupil_full_sync_start(actor=actor)
        assert run is not None
        for start in range(0, PUPILS, MAX_BATCH):
            result = pupils_sync(
                actor=actor, records=records[start : start + MAX_BATCH], full_sync_id=run.pk
            )
            assert result.errors == []
        pupil_full_sync_finish(actor=actor, full_sync_id=run.pk)

    # The floor: the same rows COPYed straight into the pupil table.
    tutor = {group.name: group for group in TutorGroup.objects.all()}
    buffer = io.StringIO()
    for record in records:
        group = tutor[str(record.tutor_group)]
        buffer.write(
            "\t".join(
                [
                    str(record.mis_id),
                    str(record.legal_first_name),
                    str(record.legal_last_name),
                    "",
                    "",
                    str(record.date_of_birth),
                    str(record.gender),
                    str(group.year_group_id),
                    str(group.pk),
                ]
            )
            + "\n"
        )
    columns = (
        "mis_id, legal_first_name, legal_last_name, preferred_first_name, preferred_last_name, "
        "date_of_birth, gender, year_group_id, tutor_group_id"
    )

    def copy() -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY safeguarding_pupil ({columns}) FROM STDIN") as stream,
        ):
            stream.write(buffer.getvalue())
        assert Pupil.objects.count() == PUPILS

    def undone(work: Callable[[], object]) -> Callable[[], object]:
        """Run ``work`` in a savepoint rolled back afterwards: the table is empty again."""

        def run() -> None:
            with transaction.atomic():
                work()
                assert Pupil.objects.count() == PUPILS
                transaction.set_rollback(True)

        return run

    # The very first sync of a fresh process, then first syncs and COPYs into the same empty
    # table, alternated (each rolled back) for medians.
    cold = _timed(undone(full_sync))
    firsts, copies = [], []
    for _ in range(5):
        firsts.append(_timed(undone(full_sync)))
        copies.append(_timed(undone(copy)))
    first, copied = statistics.median(firsts), statistics.median(copies)
    assert not Pupil.objects.exists()

    full_sync()
    assert Pupil.objects.count() == PUPILS
    with CaptureQueriesContext(connection) as queries:
        again = _timed(full_sync)
    agains = [again, _timed(full_sync), _timed(full_sync)]
    pupil_updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and '"safeguarding_pupil"' in q["sql"]
    ]
    assert pupil_updates == []
    again = statistics.median(agains)
    print(
        f"\nMIS sync of {PUPILS} pupils (service: start, 2 batches of {MAX_BATCH}, finish),"
        " into the empty pupil table, medians of 5 (re-sync: of 3):"
        f"\n  plain COPY of the same rows into the pupil table: {copied:.3f} s"
        f"\n  first sync into an empty school: {first:.3f} s ({first / copied:.1f}x COPY;"
        f" goal <= 5x: {'met' if first / copied <= 5 else 'not met'});"
        f" the very first of the process {cold:.3f} s ({cold / copied:.1f}x)"
        f"\n  re-sync, nothing changed:        {again:.3f} s ({again / copied:.1f}x COPY),"
        f" {len(pupil_updates)} UPDATE statements (goal: none)"
    )
