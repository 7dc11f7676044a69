"""Export a school and restore it elsewhere: nothing lost, nothing half-restored."""

from __future__ import annotations

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, schema_exists

from safeguarding.models import Category, Pupil, Staff, TutorGroup
from tenants.archives import school_export
from tenants.models import School
from tenants.schemas import use_public_schema


def _manifest(path: Path) -> dict[str, object]:
    with tarfile.open(path, "r:gz") as archive:
        member = archive.extractfile("manifest.json")
        assert member is not None
        result: dict[str, object] = json.load(member)
        return result


@pytest.fixture
def alpha_with_data(school_a: School) -> tuple[School, str, bytes]:
    group = TutorGroup.objects.create(name="7Z")
    Pupil.objects.create(
        mis_id="ARCH-1", legal_first_name="Hannah", legal_last_name="Greenwood", tutor_group=group
    )
    Staff.objects.create_user(email="chloe@alpha.example", first_name="Chloe", last_name="Kelan")
    body = f"a social services letter {uuid.uuid4()}".encode()
    name = default_storage.save("attachments/letter.pdf", ContentFile(body))
    return school_a, name, body


def test_round_trip_keeps_every_row_and_attachment(
    alpha_with_data: tuple[School, str, bytes], tmp_path: Path
) -> None:
    school, stored_name, body = alpha_with_data
    first = tmp_path / "alpha.tar.gz"
    out = io.StringIO()
    use_public_schema()
    call_command("export_school", "alpha", "--output", str(first), stdout=out)
    assert "attachments" in out.getvalue()
    try:
        call_command(
            "import_school", str(first), "--subdomain", "alpharestored", "--urn", "654321",
            "--name", "Alpha Academy (restored)", stdout=io.StringIO(),
        )  # fmt: skip
        restored = School.objects.get(schema_name="alpharestored")
        second = tmp_path / "restored.tar.gz"
        school_export(school=restored, destination=second)

        original, copy = _manifest(first), _manifest(second)
        assert copy["tables"] == original["tables"]  # row counts and checksums
        assert copy["attachments"] == original["attachments"]
        with schema_context("alpharestored"):
            pupil = Pupil.objects.get(mis_id="ARCH-1")
            assert pupil.display_name == "Hannah Greenwood (7Z)"
            assert Staff.objects.filter(email="chloe@alpha.example").exists()
            assert Category.objects.count() == 8
            relative = stored_name.split("/", 1)[1]
            with default_storage.open(f"alpharestored/{relative}") as handle:
                assert handle.read() == body  # byte-identical
            # New rows get fresh ids after the restored ones.
            assert (
                Category.objects.create(name="New").pk
                > Category.objects.exclude(name="New").order_by("-pk")[0].pk
            )
    finally:
        use_public_schema()
        restored_school = School.objects.filter(schema_name="alpharestored").first()
        if restored_school is not None:
            with restored_school:
                for name in default_storage.listdir("attachments")[1]:
                    default_storage.delete(f"alpharestored/attachments/{name}")
        with school:
            default_storage.delete(stored_name)


def test_a_damaged_archive_restores_nothing(
    alpha_with_data: tuple[School, str, bytes], tmp_path: Path
) -> None:
    school, stored_name, _ = alpha_with_data
    good = tmp_path / "alpha.tar.gz"
    use_public_schema()
    school_export(school=school, destination=good)
    with school:
        default_storage.delete(stored_name)
    use_public_schema()

    # Rewrite the archive with one table's data altered after the manifest was made.
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(good, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            payload = data.read() if data else b""
            if member.name == "tables/safeguarding_pupil.csv":
                payload = payload.replace(b"Greenwood", b"Greenwold")
            member.size = len(payload)
            target.addfile(member, io.BytesIO(payload))

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command(
            "import_school", str(damaged), "--subdomain", "alphadamaged", "--urn", "654322",
            "--name", "Damaged",
        )  # fmt: skip
    assert not School.objects.filter(schema_name="alphadamaged").exists()
    assert not schema_exists("alphadamaged")


def test_restore_refuses_a_taken_subdomain(
    alpha_with_data: tuple[School, str, bytes], tmp_path: Path
) -> None:
    school, stored_name, _ = alpha_with_data
    archive = tmp_path / "alpha.tar.gz"
    use_public_schema()
    school_export(school=school, destination=archive)
    with school:
        default_storage.delete(stored_name)
    use_public_schema()
    with pytest.raises(CommandError, match="already taken"):
        call_command(
            "import_school", str(archive), "--subdomain", "beta", "--urn", "654323",
            "--name", "X",
        )  # fmt: skip
    assert School.objects.get(schema_name="beta").name == "Beta High School"
