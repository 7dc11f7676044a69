"""Per-school export and restore: one archive with the school's data and attachments.

An archive (``.tar.gz``) holds:

- ``manifest.json``: the school, the migrations its schema had, and for every table its row
  count and the SHA-256 of its data file; for every attachment its size and SHA-256;
- ``tables/<table>.csv``: each table of the school's schema (PostgreSQL ``COPY``, rows in
  primary-key order), with stored file names made relative to the school's prefix;
- ``attachments/<name>``: every object under the school's S3 prefix, byte for byte.

Stored file names are written without the school's prefix, so the data files of a school and
of its restored copy under another subdomain are identical, and so are their checksums.
Sessions and login-throttling rows are not exported: they mean nothing after a restore.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context
from psycopg import sql

from tenants.models import School
from tenants.schemas import use_public_schema
from tenants.schools import school_provision, school_validate_new
from tenants.storage import SchoolStorage

FORMAT_VERSION = 1
SKIPPED_TABLES = frozenset({"django_migrations", "django_session"})
SKIPPED_TABLE_PREFIXES = ("axes_",)


def _table(schema: str, table: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))


def _school_tables(schema: str) -> list[str]:
    with _raw_cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema],
        )
        names = [row[0] for row in cursor.fetchall()]
    return [
        name
        for name in names
        if name not in SKIPPED_TABLES and not name.startswith(SKIPPED_TABLE_PREFIXES)
    ]


def _columns(schema: str, table: str) -> list[str]:
    with _raw_cursor() as cursor:
        cursor.execute(
            # Generated columns are computed from the others: neither exported nor loaded.
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [schema, table],
        )
        return [row[0] for row in cursor.fetchall()]


def _file_columns() -> dict[str, set[str]]:
    """Table → columns holding stored file names (FileField and subclasses)."""
    tenant_apps = set(settings.TENANT_APPS)
    columns: dict[str, set[str]] = {}
    for model in apps.get_models():
        if model._meta.app_config.name not in tenant_apps:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.column:
                columns.setdefault(model._meta.db_table, set()).add(field.column)
    return columns


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _export_table(schema: str, table: str, file_columns: set[str], target: Path) -> int:
    columns = _columns(schema, table)
    prefix_length = len(schema) + 2  # "<schema>/" then 1-based substr
    selected = [
        sql.SQL("substr({column}, {start}) AS {column}").format(
            column=sql.Identifier(c), start=sql.Literal(prefix_length)
        )
        if c in file_columns
        else sql.Identifier(c)
        for c in columns
    ]
    query = sql.SQL(
        "COPY (SELECT {columns} FROM {table} ORDER BY 1) TO STDOUT WITH (FORMAT csv, HEADER true)"
    ).format(columns=sql.SQL(", ").join(selected), table=_table(schema, table))
    with target.open("wb") as out, _raw_cursor() as cursor:
        with cursor.copy(query) as copy:
            for block in copy:
                out.write(block)
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(_table(schema, table)))
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _raw_cursor() -> Any:
    """A psycopg cursor on Django's connection (for COPY); names are always schema-qualified."""
    connection.ensure_connection()
    return connection.connection.cursor()


@contextlib.contextmanager
def _consistent_snapshot() -> Iterator[None]:
    """Read every table from one snapshot, so the archive is consistent while staff work.

    Inside an outer transaction (a test, a caller's atomic block) its snapshot is used as is.
    """
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    with raw.transaction():
        raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _bucket_objects(prefix: str) -> list[Any]:
    storage = SchoolStorage()
    return list(storage.bucket.objects.filter(Prefix=prefix))


def school_export(*, school: School, destination: Path) -> dict[str, Any]:
    """Write ``school``'s archive to ``destination``; returns its manifest."""
    schema = str(school.schema_name)
    file_columns = _file_columns()
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "exported_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        "school": {"name": school.name, "urn": school.urn, "subdomain": schema},
        "tables": {},
        "attachments": {},
    }
    with tempfile.TemporaryDirectory() as work, schema_context(schema):
        workdir = Path(work)
        manifest["migrations"] = _applied_migrations()
        with tarfile.open(destination, "w:gz") as archive:
            with _consistent_snapshot():
                for table in _school_tables(schema):
                    data_file = workdir / f"{table}.csv"
                    rows = _export_table(schema, table, file_columns.get(table, set()), data_file)
                    manifest["tables"][table] = {"rows": rows, "sha256": _sha256(data_file)}
                    archive.add(data_file, arcname=f"tables/{table}.csv")
            for summary in _bucket_objects(f"{schema}/"):
                relative = summary.key[len(schema) + 1 :]
                body = summary.get()["Body"].read()
                manifest["attachments"][relative] = {
                    "size": len(body),
                    "sha256": hashlib.sha256(body).hexdigest(),
                }
                info = tarfile.TarInfo(f"attachments/{relative}")
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
            encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(encoded)
            archive.addfile(info, io.BytesIO(encoded))
    return manifest


class ArchiveError(Exception):
    """The archive cannot be restored here; the message says why."""


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError as error:
        raise ArchiveError("not a Haven school archive: it has no manifest.json") from error
    if member is None:
        raise ArchiveError("not a Haven school archive: manifest.json is not a file")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT_VERSION:
        raise ArchiveError(f"unsupported archive format {manifest.get('format')!r}")
    return manifest


def _verified_member(archive: tarfile.TarFile, name: str, sha256: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        raise ArchiveError(f"{name} is missing from the archive")
    data = member.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(f"{name} does not match its checksum: the archive is damaged")
    return data


def school_import(*, archive_path: Path, name: str, subdomain: str, urn: str) -> School:
    """Restore an archive into a new school. All or nothing: the data is loaded in the same
    transaction as the schema, and attachments are uploaded only once the data is in; if an
    upload fails, the objects already written are removed and the school is rolled back."""
    school_validate_new(name=name, subdomain=subdomain, urn=urn)
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise ArchiveError(f"cannot read {archive_path}: {error}") from error
    with archive:
        manifest = _read_manifest(archive)
        file_columns = _file_columns()
        uploaded: list[str] = []
        storage = SchoolStorage(school_schema=subdomain)

        def load(school: School) -> None:
            known = {tuple(m) for m in _applied_migrations()}
            missing = [f"{a}.{n}" for a, n in manifest["migrations"] if (a, n) not in known]
            if missing:
                raise ArchiveError(
                    "the archive comes from a newer Haven (unknown migrations: "
                    + ", ".join(missing[:5])
                    + "); upgrade before restoring"
                )
            tables = set(_school_tables(subdomain))
            with _raw_cursor() as cursor:
                # Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, so tables
                # can be loaded in any order. New schools start with rows from migrations.
                # Migrations that add a foreign key column end with SET CONSTRAINTS ... IMMEDIATE
                # for the rest of the transaction, which is this one: defer them all again.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for table in tables:
                    cursor.execute(sql.SQL("DELETE FROM {}").format(_table(subdomain, table)))
                for table, summary in manifest["tables"].items():
                    if table not in tables:
                        raise ArchiveError(f"the archive has a table this Haven lacks: {table}")
                    data = _verified_member(archive, f"tables/{table}.csv", summary["sha256"])
                    header = data.split(b"\n", 1)[0].decode()
                    columns = sql.SQL(", ").join(sql.Identifier(c) for c in header.split(","))
                    with cursor.copy(
                        sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                            _table(subdomain, table), columns
                        )
                    ) as copy:
                        copy.write(data)
                    for column in file_columns.get(table, set()):
                        cursor.execute(
                            sql.SQL("UPDATE {table} SET {c} = %s || {c} WHERE {c} <> ''").format(
                                table=_table(subdomain, table), c=sql.Identifier(column)
                            ),
                            [f"{subdomain}/"],
                        )
                    cursor.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema "
                        "= %s AND table_name = %s AND (is_identity = 'YES' OR column_default "
                        "LIKE 'nextval%%')",
                        [subdomain, table],
                    )
                    for (column,) in cursor.fetchall():
                        cursor.execute(
                            sql.SQL(
                                "SELECT setval(pg_get_serial_sequence(%s, %s), "
                                "COALESCE(MAX({c}), 1), MAX({c}) IS NOT NULL) FROM {table}"
                            ).format(c=sql.Identifier(column), table=_table(subdomain, table)),
                            [_table(subdomain, table).as_string(cursor), column],
                        )
                    cursor.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(_table(subdomain, table))
                    )
                    row = cursor.fetchone()
                    restored = int(row[0]) if row else 0
                    if restored != summary["rows"]:
                        raise ArchiveError(
                            f"{table}: {restored} rows restored, "
                            f"the manifest says {summary['rows']}"
                        )
            for relative, summary in manifest["attachments"].items():
                body = _verified_member(archive, f"attachments/{relative}", summary["sha256"])
                key = f"{subdomain}/{relative}"
                storage.bucket.put_object(Key=key, Body=body)
                uploaded.append(key)

        try:
            return school_provision(name=name.strip(), subdomain=subdomain, urn=urn, populate=load)
        except BaseException:
            for key in uploaded:
                storage.bucket.Object(key).delete()
            use_public_schema()
            raise


__all__ = ["ArchiveError", "ValidationError", "school_export", "school_import"]
