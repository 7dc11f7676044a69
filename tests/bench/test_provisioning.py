"""Benchmarks: provisioning a school, and migrating many schools.

Prints seconds per school for the two ways of provisioning (running the migrations in a new
schema, or cloning a migrated template schema and faking the migrations), and the ratio of
`migrate_schemas` over 200 schools with the multiprocessing executor to the standard one.
Figures, not assertions: tests never assert a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_exists

from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schemas import use_public_schema
from tenants.schools import school_create

PROVISIONED = 10
MIGRATED = 200
TEMPLATE = "bench_template"


def _drop_schools(prefix: str) -> None:
    use_public_schema()
    for school in School.objects.filter(schema_name__startswith=prefix):
        school.delete(force_drop=True)


@pytest.fixture
def committed(committed_db: None) -> Iterator[None]:
    """Benchmarks commit for real (other processes must see the schools), then clean up."""
    yield
    _drop_schools("bench")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{TEMPLATE}" CASCADE')


def _provision(prefix: str, count: int, urn_base: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        school_create(
            defaults_install=school_defaults_install,
            name=f"Bench {prefix} {n}",
            subdomain=f"{prefix}{n:03d}",
            urn=str(urn_base + n),
            dsl_email=f"dsl{n}@bench.example",
        )
    return (time.perf_counter() - started) / count


def test_provisioning_seconds_per_school(committed: None) -> None:
    use_public_schema()
    by_migrations = _provision("benchmig", PROVISIONED, 700000)

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{TEMPLATE}"')
    call_command(
        "migrate_schemas", tenant=True, schema_name=TEMPLATE, interactive=False, verbosity=0
    )
    use_public_schema()
    with override_settings(TENANT_BASE_SCHEMA=TEMPLATE, TENANT_CREATION_FAKES_MIGRATIONS=True):
        by_cloning = _provision("benchclone", PROVISIONED, 710000)
    assert schema_exists("benchclone000")
    print(
        f"\nprovisioning, seconds per school: running migrations {by_migrations:.3f} s, "
        f"cloning a template schema {by_cloning:.3f} s "
        f"(clone / migrations = {by_cloning / by_migrations:.2f}x)"
    )


def test_migrate_schemas_parallel_vs_standard(committed: None) -> None:
    use_public_schema()
    per_school = _provision("benchmany", MIGRATED, 720000)
    print(f"\nprovisioned {MIGRATED} schools at {per_school:.3f} s per school")

    def forward_with(executor: str) -> float:
        # Take every school back one migration, then time bringing them all forward again.
        call_command(
            "migrate_schemas", "safeguarding", "0001", tenant=True, executor="multiprocessing",
            interactive=False, verbosity=0,
        )  # fmt: skip
        started = time.perf_counter()
        call_command(
            "migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=0
        )
        return time.perf_counter() - started

    standard = forward_with("standard")
    parallel = forward_with("multiprocessing")
    schools = School.objects.exclude(schema_name="public").count()
    print(
        f"migrate_schemas over {schools} schools: standard {standard:.1f} s, "
        f"multiprocessing {parallel:.1f} s (parallel / standard = {parallel / standard:.2f}x)"
    )
    assert schools >= MIGRATED


CATALOG_SIZE = """
SELECT sum(pg_total_relation_size(c.oid))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'
"""


def test_catalog_size_per_school(committed: None) -> None:
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute(CATALOG_SIZE)
        before = int(cursor.fetchone()[0])
        _provision("benchcat", PROVISIONED, 730000)
        cursor.execute(CATALOG_SIZE)
        after = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'benchcat000'"
        )
        relations = int(cursor.fetchone()[0])
    per_school = (after - before) / PROVISIONED
    print(
        f"\nPostgreSQL catalog per school: {relations} relations (tables, indexes, sequences), "
        f"about {per_school / 1024:.0f} KiB of catalog; 25,000 schools: about "
        f"{per_school * 25000 / 1024**3:.1f} GiB of catalog and {relations * 25000:,} relations"
    )
    assert relations > 0
