"""`make bench`: a full MIS sync of 2,000 pupils into an empty school, a re-sync with nothing
changed, and both against a plain COPY of the same rows. Prints figures; asserts only that the
re-sync writes nothing.

Like with like: the COPY goes into an ordinary table of the pupil table's shape (its indexes,
its generated search column, written to the WAL as the real table is), in the same
transaction; a temporary table would skip the WAL and flatter the floor. The sync is the
service the syncPupils mutation calls (start, two batches of 1,000, finish), without HTTP.
Goal: the first sync within 5x the COPY."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from django.db import connection
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

PUPILS = 2000


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def test_full_sync_of_2000_pupils_against_copy(school_a: School) -> None:
    years = [YearGroup.objects.create(name=f"Year {n}", order=n, mis_id=f"Y{n}") for n in (7, 8)]
    for year in years:
        for letter in "ABCD":
            TutorGroup.objects.create(
                name=f"{year.order}{letter}", year_group=year, mis_id=f"T{year.order}{letter}"
            )
    actor = api_client_create(
        actor=Staff.objects.get(email__startswith="dsl@"),
        name="Bench sync",
        scopes=["pupils:write"],
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

    first = _timed(full_sync)
    assert Pupil.objects.count() == PUPILS
    with CaptureQueriesContext(connection) as queries:
        again = _timed(full_sync)
    # More re-syncs for a median (a first sync happens once per school and table).
    agains = [again, _timed(full_sync), _timed(full_sync)]
    pupil_updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and '"safeguarding_pupil"' in q["sql"]
    ]
    assert pupil_updates == []

    # The floor: the same rows COPYed into a table of the same shape.
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
    copies = []
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("CREATE TABLE bench_pupil (LIKE safeguarding_pupil INCLUDING ALL)")

            def copy() -> None:
                with cursor.cursor.copy(f"COPY bench_pupil ({columns}) FROM STDIN") as stream:
                    stream.write(buffer.getvalue())

            copies.append(_timed(copy))
            cursor.execute("SELECT count(*) FROM bench_pupil")
            assert cursor.fetchone() == (PUPILS,)
            cursor.execute("DROP TABLE bench_pupil")
    copied = statistics.median(copies)

    again = statistics.median(agains)
    print(
        f"\nMIS sync of {PUPILS} pupils (service: start, 2 batches of {MAX_BATCH}, finish):"
        f"\n  plain COPY of the same rows into a table of the same shape: {copied:.3f} s"
        f" (median of 3)"
        f"\n  first sync into an empty school: {first:.3f} s ({first / copied:.1f}x COPY;"
        " goal <= 5x)"
        f"\n  re-sync, nothing changed:        {again:.3f} s ({again / copied:.1f}x COPY,"
        f" median of 3), {len(pupil_updates)} UPDATE statements (goal: none)"
    )
