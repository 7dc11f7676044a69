"""Bulk onboarding from a CSV file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, schema_exists

from safeguarding.models import AlertGroup, Category
from tenants.models import School
from tenants.schemas import use_public_schema


@pytest.fixture
def public(committed_db: None) -> Iterator[None]:
    """Each school is created in its own transaction, as in production (one transaction
    holding fifty new schemas would need more locks than PostgreSQL grants by default)."""
    use_public_schema()
    before = set(School.objects.values_list("pk", flat=True))
    yield
    use_public_schema()
    for school in School.objects.exclude(pk__in=before):
        school.delete(force_drop=True)


def _write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("name,subdomain,urn,dsl_email\n" + "\n".join(rows) + "\n")
    return path


def test_fifty_schools_are_provisioned_with_their_defaults(public: None, tmp_path: Path) -> None:
    rows = [f"School {n},bulk{n:02d},{400000 + n},dsl@bulk{n:02d}.example" for n in range(50)]
    out = io.StringIO()
    call_command(
        "import_schools", _write_csv(tmp_path / "s.csv", rows), "--no-progress", stdout=out
    )
    assert "50 created, 0 skipped (already exist), 0 failed" in out.getvalue()
    assert School.objects.filter(schema_name__startswith="bulk").count() == 50
    for subdomain in ("bulk00", "bulk49"):
        with schema_context(subdomain):
            assert Category.objects.filter(name="Child Protection").exists()
            assert Category.objects.count() == 8
            assert set(AlertGroup.objects.values_list("name", flat=True)) == {"SLT", "Teachers"}


def test_existing_schools_are_skipped_and_bad_rows_reported(public: None, tmp_path: Path) -> None:
    rows = [
        "Alpha Again,alpha,500001,dsl@a.example",  # exists: skipped
        "Good School,goodschool,500002,dsl@good.example",
        "Bad Subdomain,Bad_One,500003,dsl@bad.example",
        "Bad URN,badurn,12,dsl@badurn.example",
        "Bad Email,bademail,500005,not-an-email",
    ]
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 row"):
        call_command(
            "import_schools", _write_csv(tmp_path / "s.csv", rows), "--no-progress", stdout=out
        )
    report = out.getvalue()
    assert "1 created, 1 skipped (already exist), 3 failed" in report
    assert "line 4 (Bad_One): subdomain:" in report
    assert "line 5 (badurn): urn: A URN is exactly 6 digits." in report
    assert "line 6 (bademail): dsl_email:" in report
    assert School.objects.filter(schema_name="goodschool").exists()
    assert School.objects.get(schema_name="alpha").name == "Alpha Academy"
    for subdomain in ("Bad_One", "badurn", "bademail"):
        assert not schema_exists(subdomain)


def test_a_file_without_the_columns_is_refused(public: None, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("school,host\nX,y\n")
    with pytest.raises(CommandError, match="missing column"):
        call_command("import_schools", path, "--no-progress")
