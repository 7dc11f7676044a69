"""What operators do to schools: list, suspend, reactivate, archive (onboarding and admin
invitations reach into the school, so they are in the ``operators`` package above).

Every action is written to the platform audit log. None of it reads a school's records:
summaries are counts and sizes.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from psycopg import sql

from tenants.archives import school_export
from tenants.models import Operator, School
from tenants.operators import platform_audit_record
from tenants.schemas import use_public_schema
from tenants.storage import SchoolStorage

ARCHIVE_PREFIX = "_archives/"  # "_" cannot start a subdomain, so never a school's prefix


@dataclass(frozen=True)
class SchoolSummary:
    name: str
    urn: str | None
    subdomain: str
    status: str
    created_at: datetime.datetime
    staff_count: int
    pupil_count: int


def school_get(subdomain: str) -> School:
    """The school with this subdomain; a ValidationError (``not_found``) when there is none."""
    school: School | None = (
        School.objects.exclude(schema_name="public").filter(schema_name=subdomain).first()
    )
    if school is None:
        raise ValidationError(
            {"subdomain": [f"There is no school '{subdomain}'."]}, code="not_found"
        )
    return school


def school_summaries(
    *,
    search: str | None = None,
    subdomains: list[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[SchoolSummary]:
    """Schools by name with their staff and pupil counts, in two queries whatever the page."""
    schools = School.objects.exclude(schema_name="public").order_by("name", "schema_name")
    if subdomains is not None:
        schools = schools.filter(schema_name__in=subdomains)
    if search:
        from django.db.models import Q

        schools = schools.filter(
            Q(name__icontains=search) | Q(schema_name__icontains=search) | Q(urn=search)
        )
    page = list(schools[offset : offset + limit])
    counts: dict[str, tuple[int, int]] = {}
    if page:
        parts = [
            sql.SQL(
                "SELECT {name}, (SELECT count(*) FROM {staff} WHERE is_active), "
                "(SELECT count(*) FROM {pupil} WHERE left_on IS NULL)"
            ).format(
                name=sql.Literal(school.schema_name),
                staff=sql.Identifier(school.schema_name, "safeguarding_staff"),
                pupil=sql.Identifier(school.schema_name, "safeguarding_pupil"),
            )
            for school in page
        ]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute(sql.SQL(" UNION ALL ").join(parts))
            counts = {row[0]: (int(row[1]), int(row[2])) for row in cursor.fetchall()}
    return [
        SchoolSummary(
            name=school.name,
            urn=school.urn,
            subdomain=school.schema_name,
            status=school.status,
            created_at=school.created_at,
            staff_count=counts.get(school.schema_name, (0, 0))[0],
            pupil_count=counts.get(school.schema_name, (0, 0))[1],
        )
        for school in page
    ]


def school_storage_used(subdomain: str) -> int:
    storage = SchoolStorage(school_schema=subdomain)
    return sum(obj.size for obj in storage.bucket.objects.filter(Prefix=f"{subdomain}/"))


@transaction.atomic
def school_status_set(
    *,
    operator: Operator,
    request: HttpRequest | None,
    subdomain: str,
    status: School.Status,
    reason: str,
) -> School:
    school = school_get(subdomain)
    previous = school.status
    school.status = status
    school.save(update_fields=["status"])
    action = "school.suspended" if status == School.Status.SUSPENDED else "school.reactivated"
    platform_audit_record(
        action=action,
        request=request,
        operator=operator,
        school_subdomain=subdomain,
        detail={"from": previous, "to": status, "reason": reason[:500]},
    )
    return school


def school_archive(
    *, operator: Operator, request: HttpRequest | None, subdomain: str, confirm_subdomain: str
) -> str:
    """Export the school to the platform bucket, then remove it: schema, host and files.

    The archive is stored and checked before anything is removed; import_school restores it.
    """
    school = school_get(subdomain)
    if confirm_subdomain != subdomain:
        raise ValidationError(
            {"confirmSubdomain": ["Type the school's subdomain to confirm."]}, code="confirm"
        )
    storage = SchoolStorage(school_schema=subdomain)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    key = f"{ARCHIVE_PREFIX}{subdomain}/{subdomain}-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        archive_path = Path(work) / "school.tar.gz"
        manifest = school_export(school=school, destination=archive_path)
        storage.bucket.upload_file(str(archive_path), key)
    stored = storage.bucket.Object(key)
    stored.load()  # raises if the upload is not there: then nothing is removed
    with transaction.atomic():
        platform_audit_record(
            action="school.archived",
            request=request,
            operator=operator,
            school_subdomain=subdomain,
            detail={
                "archive": key,
                "tables": len(manifest["tables"]),
                "attachments": len(manifest["attachments"]),
            },
        )
        use_public_schema()
        with connection.cursor() as cursor:
            # Deferred foreign-key checks still pending on the school's tables would block
            # dropping them: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        school.delete(force_drop=True)
    for obj in storage.bucket.objects.filter(Prefix=f"{subdomain}/"):
        obj.delete()
    return key
