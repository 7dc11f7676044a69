"""Bulk sync from the school's MIS: pupils, staff, year and tutor groups, keyed on MIS ids.

Each record is the whole truth about one person or group. A batch is checked record by
record: bad records are reported (index, field, code, message) and skipped, good ones are
applied. Rows are written only when something changed, so a re-sync of an unchanged MIS
issues no UPDATE at all. Every batch costs a fixed number of queries, whatever its size.

A full sync of pupils marks every pupil on roll that the MIS no longer lists as left
(``left_on``); nothing is ever deleted, because their safeguarding records must stay. A school
larger than one batch sends its full sync in several: start, batches, finish.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import (
    ApiClient,
    ApiScope,
    AuditEvent,
    MisFullSync,
    Pupil,
    Staff,
    TutorGroup,
    YearGroup,
)
from safeguarding.services.api_clients import api_client_has_scope
from safeguarding.services.audit import audit_event_build, audit_record, audit_record_many

MAX_BATCH = 1000
# Pupils with education, health and care plans can stay at school until 25.
MAX_PUPIL_AGE_YEARS = 30
# The columns a pupil record sets (foreign keys by their id column), in a fixed order.
PUPIL_COLUMNS = (
    "legal_first_name",
    "legal_last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "gender",
    "year_group_id",
    "tutor_group_id",
    "left_on",
)
GENDERS = frozenset(Pupil.Gender.values)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")


@dataclass(frozen=True)
class SyncError:
    index: int | None  # None: the whole call
    field: str
    code: str
    message: str


@dataclass
class SyncResult:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    errors: list[SyncError] = field(default_factory=list)
    full_sync_id: int | None = None


@dataclass(frozen=True)
class PupilRecord:
    mis_id: str | None
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    preferred_first_name: str | None = None
    preferred_last_name: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    year_group: str | None = None
    tutor_group: str | None = None


@dataclass(frozen=True)
class StaffRecord:
    mis_id: str | None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None


@dataclass(frozen=True)
class GroupRecord:
    kind: str | None  # "year" or "tutor"
    mis_id: str | None
    name: str | None = None
    order: int | None = None
    year_group: str | None = None


class _RecordErrors:
    """Collects the errors of one batch; a record with any error is skipped."""

    def __init__(self) -> None:
        self.errors: list[SyncError] = []
        self.bad: set[int] = set()

    def add(self, index: int, field_name: str, code: str, message: str) -> None:
        self.errors.append(SyncError(index, field_name, code, message))
        self.bad.add(index)


def _max_length(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert length is not None
    return int(length)


def _text(
    errors: _RecordErrors,
    index: int,
    field_name: str,
    value: str | None,
    *,
    max_length: int,
    required: bool,
    label: str,
) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.add(index, field_name, "required", f"{label} is missing.")
    elif len(text) > max_length:
        errors.add(
            index,
            field_name,
            "too_long",
            f"{label} is {len(text)} characters long; the limit is {max_length}.",
        )
    return text


def _duplicates(errors: _RecordErrors, keys: Sequence[str], field_name: str, label: str) -> None:
    """Every record sharing a key with another is refused: which one is right is unknowable."""
    counts = Counter(key for key in keys if key)
    for index, key in enumerate(keys):
        if key and counts[key] > 1:
            errors.add(
                index,
                field_name,
                "duplicate",
                f"{label} '{key}' appears {counts[key]} times in this batch.",
            )


def _too_many(records: Sequence[object], dry_run: bool) -> SyncResult | None:
    if len(records) <= MAX_BATCH:
        return None
    return SyncResult(
        dry_run=dry_run,
        errors=[
            SyncError(
                None,
                "records",
                "too_many",
                f"A batch holds at most {MAX_BATCH} records; this one has {len(records)}. "
                "Nothing was written.",
            )
        ],
    )


def _forbidden(scope: ApiScope, dry_run: bool) -> SyncResult:
    return SyncResult(
        dry_run=dry_run,
        errors=[
            SyncError(
                None,
                "",
                "forbidden",
                f"This API client does not have the {scope.value} scope.",
            )
        ],
    )


def _changes(instance: models.Model, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


def _bulk_update_changed[ModelT: models.Model](
    model: type[ModelT], changed: list[tuple[ModelT, list[str]]]
) -> None:
    """One UPDATE per distinct set of changed columns: unchanged columns are not rewritten."""
    by_fields: dict[tuple[str, ...], list[ModelT]] = {}
    for instance, names in changed:
        by_fields.setdefault(tuple(sorted(names)), []).append(instance)
    for columns, instances in by_fields.items():
        model._default_manager.bulk_update(instances, list(columns))


# --- Pupils -----------------------------------------------------------------------------------


def _parse_date_of_birth(
    errors: _RecordErrors, index: int, value: str | None, today: datetime.date
) -> datetime.date | None:
    text = (value or "").strip()
    if not text:
        return None
    match = ISO_DATE.match(text)
    if match is None:
        errors.add(
            index, "date_of_birth", "invalid", f"'{text}' is not a date in the form YYYY-MM-DD."
        )
        return None
    try:
        born = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        errors.add(index, "date_of_birth", "impossible", f"{text} is not a real date.")
        return None
    if born > today:
        errors.add(index, "date_of_birth", "impossible", f"{text} is in the future.")
        return None
    if born.year < today.year - MAX_PUPIL_AGE_YEARS:
        errors.add(
            index,
            "date_of_birth",
            "impossible",
            f"{text} would make the pupil older than {MAX_PUPIL_AGE_YEARS}.",
        )
        return None
    return born


def _gender(errors: _RecordErrors, index: int, value: str | None) -> str:
    text = (value or "").strip().upper()
    if not text:
        return str(Pupil.Gender.OTHER)
    if text not in GENDERS:
        errors.add(
            index,
            "gender",
            "invalid",
            f"Gender '{value}' is not one of F, M or X (other / not stated).",
        )
    return text


def _full_sync_open(actor: ApiClient, full_sync_id: int) -> MisFullSync | None:
    return (
        MisFullSync.objects.select_for_update()
        .filter(pk=full_sync_id, api_client=actor, finished_at__isnull=True)
        .first()
    )


def pupils_sync(
    *,
    actor: ApiClient,
    records: Sequence[PupilRecord],
    dry_run: bool = False,
    full_sync: bool = False,
    full_sync_id: int | None = None,
    request: HttpRequest | None = None,
) -> SyncResult:
    """Create and update pupils from one batch of the MIS.

    ``full_sync``: this batch is the whole roll; pupils on roll missing from it have left.
    ``full_sync_id``: this batch is part of a full sync started with ``pupil_full_sync_start``;
    leavers are marked by ``pupil_full_sync_finish``.
    """
    if not api_client_has_scope(actor, ApiScope.PUPILS_WRITE):
        return _forbidden(ApiScope.PUPILS_WRITE, dry_run)
    too_many = _too_many(records, dry_run)
    if too_many is not None:
        return too_many
    with transaction.atomic():
        run = None
        if full_sync_id is not None:
            run = _full_sync_open(actor, full_sync_id)
            if run is None:
                return SyncResult(
                    dry_run=dry_run,
                    errors=[
                        SyncError(
                            None,
                            "full_sync_id",
                            "not_found",
                            "No such full sync in progress: start a new one.",
                        )
                    ],
                )
        result = _pupils_apply(actor=actor, records=records, dry_run=dry_run)
        # Every MIS id the MIS sent is on roll, even when its record was refused: a typo in a
        # date of birth must not make a pupil look as if they had left.
        seen = {
            record.mis_id.strip() for record in records if record.mis_id and record.mis_id.strip()
        }
        if run is not None:
            result.full_sync_id = run.pk
            run.seen_mis_ids = sorted(set(run.seen_mis_ids) | seen)
            run.save(update_fields=["seen_mis_ids"])
        elif full_sync:
            result.left = _pupils_mark_left(seen, dry_run=dry_run)
        if not dry_run:
            _audit_sync("pupils.sync", actor, request, result, full_sync=full_sync)
    return result


def _pupils_apply(*, actor: ApiClient, records: Sequence[PupilRecord], dry_run: bool) -> SyncResult:
    result = SyncResult(dry_run=dry_run)
    errors = _RecordErrors()
    today = timezone.localdate()
    year_groups = {group.name: group for group in YearGroup.objects.all()}
    tutor_groups = {group.name: group for group in TutorGroup.objects.all()}
    name_length = _max_length(Pupil, "legal_first_name")
    mis_length = _max_length(Pupil, "mis_id")

    wanted: list[tuple[int, str, dict[str, Any]]] = []
    mis_ids = [
        _text(
            errors,
            index,
            "mis_id",
            record.mis_id,
            max_length=mis_length,
            required=True,
            label="MIS id",
        )
        for index, record in enumerate(records)
    ]
    _duplicates(errors, mis_ids, "mis_id", "MIS id")
    for index, record in enumerate(records):
        values: dict[str, Any] = {}
        for name, required, label in (
            ("legal_first_name", True, "Legal first name"),
            ("legal_last_name", True, "Legal last name"),
            ("preferred_first_name", False, "Preferred first name"),
            ("preferred_last_name", False, "Preferred last name"),
        ):
            values[name] = _text(
                errors,
                index,
                name,
                getattr(record, name),
                max_length=name_length,
                required=required,
                label=label,
            )
        values["date_of_birth"] = _parse_date_of_birth(errors, index, record.date_of_birth, today)
        values["gender"] = _gender(errors, index, record.gender)
        for name, groups, label in (
            ("year_group", year_groups, "Year group"),
            ("tutor_group", tutor_groups, "Tutor group"),
        ):
            group_name = (getattr(record, name) or "").strip()
            group = groups.get(group_name) if group_name else None
            if group_name and group is None:
                errors.add(
                    index,
                    name,
                    "unknown",
                    f"{label} '{group_name}' is not known: sync groups before pupils.",
                )
            values[f"{name}_id"] = group.pk if group is not None else None
        values["left_on"] = None
        if index not in errors.bad:
            wanted.append((index, mis_ids[index], values))

    # Plain tuples, not model instances: a re-sync of 1,000 unchanged pupils builds nothing.
    existing = {
        row[0]: row
        for row in Pupil.objects.filter(
            mis_id__in=_texts_parameter([mis_id for _, mis_id, _ in wanted])
        ).values_list("mis_id", "pk", *PUPIL_COLUMNS)
    }
    to_create: list[tuple[Any, ...]] = []
    changed: list[tuple[Pupil, list[str]]] = []
    for _, mis_id, values in wanted:
        row = existing.get(mis_id)
        if row is None:
            to_create.append((mis_id, *(values[column] for column in PUPIL_COLUMNS)))
            continue
        names = [
            column
            for column, current in zip(PUPIL_COLUMNS, row[2:], strict=True)
            if current != values[column]
        ]
        if not names:
            result.unchanged += 1
            continue
        changed.append((Pupil(pk=row[1], **{name: values[name] for name in names}), names))
    result.created = len(to_create)
    result.updated = len(changed)
    result.errors = sorted(errors.errors, key=lambda error: error.index or 0)
    if not dry_run:
        _copy_rows(Pupil, ("mis_id", *PUPIL_COLUMNS), to_create)
        _bulk_update_changed(Pupil, changed)
    return result


def _copy_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows with PostgreSQL's COPY: a first sync of a whole school is a bulk load, and
    COPY is several times faster than a multi-row INSERT built by the ORM."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
        "FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _changes_by_id(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Changed fields, comparing foreign keys by id so no related row is loaded."""
    names = []
    for name, value in values.items():
        field_object = instance._meta.get_field(name)
        if isinstance(field_object, models.ForeignKey):
            current = getattr(instance, field_object.attname)
            if current != (value.pk if value is not None else None):
                names.append(name)
        elif getattr(instance, name) != value:
            names.append(name)
    return names


def _texts_parameter(texts: Sequence[str] | set[str]) -> RawSQL:
    """A list of MIS ids as ONE array parameter, for ``__in``: a thousand ids as a thousand
    placeholders cost more to build, send and plan than the query itself."""
    return RawSQL("SELECT unnest(%s::text[])", (sorted(texts),))


def _pupils_mark_left(seen: set[str], *, dry_run: bool) -> int:
    # Look before writing: a re-sync where nobody left must issue no UPDATE at all.
    leavers = list(
        Pupil.objects.filter(left_on__isnull=True)
        .exclude(mis_id__in=_texts_parameter(seen))
        .values_list("pk", flat=True)
    )
    if leavers and not dry_run:
        Pupil.objects.filter(pk__in=leavers).update(left_on=timezone.localdate())
    return len(leavers)


@transaction.atomic
def pupil_full_sync_start(
    *, actor: ApiClient, request: HttpRequest | None = None
) -> MisFullSync | None:
    """Open a full sync sent in several batches; None when the client may not sync pupils."""
    if not api_client_has_scope(actor, ApiScope.PUPILS_WRITE):
        return None
    return MisFullSync.objects.create(api_client=actor)


def pupil_full_sync_finish(
    *,
    actor: ApiClient,
    full_sync_id: int,
    dry_run: bool = False,
    request: HttpRequest | None = None,
) -> SyncResult:
    """Mark every pupil on roll that no batch of this full sync named as left.

    A dry run reports the count and leaves the full sync open for the real finish.
    """
    if not api_client_has_scope(actor, ApiScope.PUPILS_WRITE):
        return _forbidden(ApiScope.PUPILS_WRITE, dry_run)
    with transaction.atomic():
        run = _full_sync_open(actor, full_sync_id)
        if run is None:
            return SyncResult(
                dry_run=dry_run,
                errors=[
                    SyncError(
                        None,
                        "full_sync_id",
                        "not_found",
                        "No such full sync in progress: start a new one.",
                    )
                ],
            )
        result = SyncResult(dry_run=dry_run, full_sync_id=run.pk)
        if not run.seen_mis_ids:
            # An empty export would otherwise mark the whole school as left.
            result.errors.append(
                SyncError(
                    None,
                    "full_sync_id",
                    "empty",
                    "This full sync named no pupils, so no one was marked as left.",
                )
            )
            return result
        result.left = _pupils_mark_left(set(run.seen_mis_ids), dry_run=dry_run)
        if not dry_run:
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])
            _audit_sync("pupils.full_sync_finish", actor, request, result, full_sync=True)
    return result


# --- Staff ------------------------------------------------------------------------------------


def staff_sync(
    *,
    actor: ApiClient,
    records: Sequence[StaffRecord],
    dry_run: bool = False,
    request: HttpRequest | None = None,
) -> SyncResult:
    """Create and update staff. New staff have no password: they choose one through the
    first-time link. A member of staff added by hand (no MIS id) is matched by e-mail.

    The e-mail address is how an account is reached (sign-in, password reset), so a sync may
    not change the address of an account that has signed in, holds key access or is a school
    admin: such a record is refused whole (``protected_account``), nothing of it is written,
    and the refusal is in the change history for the school's admins. Matching such an
    account by e-mail and attaching an MIS id is allowed (its address stays), and a later
    sync changing that address is refused by the same rule. Every created or changed record
    is audited with each field's from/to values.
    """
    if not api_client_has_scope(actor, ApiScope.STAFF_WRITE):
        return _forbidden(ApiScope.STAFF_WRITE, dry_run)
    too_many = _too_many(records, dry_run)
    if too_many is not None:
        return too_many
    result = SyncResult(dry_run=dry_run)
    errors = _RecordErrors()
    mis_length = _max_length(Staff, "mis_id")
    name_length = _max_length(Staff, "first_name")
    email_length = _max_length(Staff, "email")
    title_length = _max_length(Staff, "job_title")

    mis_ids = [
        _text(
            errors,
            index,
            "mis_id",
            record.mis_id,
            max_length=mis_length,
            required=True,
            label="MIS id",
        )
        for index, record in enumerate(records)
    ]
    emails = []
    for index, record in enumerate(records):
        email = _text(
            errors,
            index,
            "email",
            record.email,
            max_length=email_length,
            required=True,
            label="E-mail address",
        ).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.add(index, "email", "invalid", f"'{email}' is not a valid e-mail address.")
        emails.append(email)
    _duplicates(errors, mis_ids, "mis_id", "MIS id")
    _duplicates(errors, emails, "email", "E-mail address")
    values_by_index: dict[int, dict[str, Any]] = {}
    for index, record in enumerate(records):
        values_by_index[index] = {
            "mis_id": mis_ids[index],
            "email": emails[index],
            "first_name": _text(
                errors,
                index,
                "first_name",
                record.first_name,
                max_length=name_length,
                required=True,
                label="First name",
            ),
            "last_name": _text(
                errors,
                index,
                "last_name",
                record.last_name,
                max_length=name_length,
                required=True,
                label="Last name",
            ),
            "job_title": _text(
                errors,
                index,
                "job_title",
                record.job_title,
                max_length=title_length,
                required=False,
                label="Job title",
            ),
        }

    good = [index for index in range(len(records)) if index not in errors.bad]
    with transaction.atomic():
        # Locked until the batch commits: an account made a key holder or admin, or signing
        # in, meanwhile waits for us rather than having its address changed under it.
        known = list(
            Staff.objects.select_for_update()
            .filter(
                models.Q(mis_id__in=[mis_ids[i] for i in good])
                | models.Q(email__in=[emails[i] for i in good])
            )
            .order_by("pk")
        )
        by_mis = {staff.mis_id: staff for staff in known if staff.mis_id}
        by_email = {staff.email: staff for staff in known}
        to_create: list[Staff] = []
        changed: list[tuple[Staff, list[str]]] = []
        changes_by_staff: dict[int, dict[str, list[Any]]] = {}
        refusals: list[AuditEvent] = []
        for index in good:
            values = values_by_index[index]
            staff = by_mis.get(values["mis_id"])
            holder = by_email.get(values["email"])
            if staff is None and holder is not None and holder.mis_id is None:
                staff = holder  # added by hand before the MIS knew them
            if holder is not None and holder is not staff:
                errors.add(
                    index,
                    "email",
                    "taken",
                    f"'{values['email']}' belongs to another member of staff.",
                )
                continue
            if staff is None:
                new = Staff(**values)
                new.password = make_password(None)  # unusable until the first-time link
                to_create.append(new)
                continue
            names = _changes(staff, values)
            if not names:
                result.unchanged += 1
                continue
            if "email" in names and _email_protected(staff):
                errors.add(index, "email", "protected_account", PROTECTED_ACCOUNT)
                refusals.append(
                    audit_event_build(
                        action="staff.sync_refused",
                        actor_label=actor.name,
                        request=request,
                        target=staff,
                        detail={
                            "mis_id": values["mis_id"],
                            "code": "protected_account",
                            "reason": PROTECTED_ACCOUNT,
                            "changes": {"email": [staff.email, values["email"]]},
                        },
                    )
                )
                continue
            changes_by_staff[id(staff)] = {
                name: [getattr(staff, name), values[name]] for name in names
            }
            for name in names:
                setattr(staff, name, values[name])
            changed.append((staff, names))
        result.created = len(to_create)
        result.updated = len(changed)
        result.errors = sorted(errors.errors, key=lambda error: error.index or 0)
        if not dry_run:
            Staff.objects.bulk_create(to_create)
            _bulk_update_changed(Staff, changed)
            _audit_sync("staff.sync", actor, request, result)
            # Per record, with from/to values: the summary above says how many, these say
            # what; refusals are kept even though nothing of their record was written.
            events = [
                _staff_sync_event(
                    "staff.sync_created",
                    actor,
                    request,
                    staff,
                    {name: [None, getattr(staff, name)] for name in STAFF_SYNC_FIELDS},
                )
                for staff in to_create
            ]
            events += [
                _staff_sync_event(
                    "staff.sync_updated", actor, request, staff, changes_by_staff[id(staff)]
                )
                for staff, _ in changed
            ]
            audit_record_many([*events, *refusals])
    return result


STAFF_SYNC_FIELDS = ("mis_id", "email", "first_name", "last_name", "job_title")
PROTECTED_ACCOUNT = (
    "This record would change the e-mail address of an account that has signed in, holds key "
    "access or is a school admin. Such an address is changed only by the school's admins, in "
    "Settings → Staff. Nothing in this record was changed."
)


def _email_protected(staff: Staff) -> bool:
    """Whether the sync may not change this account's e-mail address: redirecting it would
    let whoever holds the sync token reset its password and sign in as that person."""
    return staff.last_login is not None or staff.is_key_holder or staff.is_school_admin


def _staff_sync_event(
    action: str,
    actor: ApiClient,
    request: HttpRequest | None,
    staff: Staff,
    changes: dict[str, list[Any]],
) -> AuditEvent:
    return audit_event_build(
        action=action,
        actor_label=actor.name,
        request=request,
        target=staff,
        detail={"mis_id": staff.mis_id, "changes": changes},
    )


# --- Year and tutor groups --------------------------------------------------------------------


def groups_sync(
    *,
    actor: ApiClient,
    records: Sequence[GroupRecord],
    dry_run: bool = False,
    request: HttpRequest | None = None,
) -> SyncResult:
    """Create and update year groups, then tutor groups (which name their year group).

    A group added by hand (no MIS id) is matched by name. An ``order`` left out keeps the
    group's current order.
    """
    if not api_client_has_scope(actor, ApiScope.GROUPS_WRITE):
        return _forbidden(ApiScope.GROUPS_WRITE, dry_run)
    too_many = _too_many(records, dry_run)
    if too_many is not None:
        return too_many
    result = SyncResult(dry_run=dry_run)
    errors = _RecordErrors()
    mis_length = _max_length(YearGroup, "mis_id")
    name_length = _max_length(YearGroup, "name")
    kinds: list[str] = []
    keys: list[str] = []
    names: list[str] = []
    for index, record in enumerate(records):
        kind = (record.kind or "").strip().lower()
        if kind not in {"year", "tutor"}:
            errors.add(index, "kind", "invalid", "A group is either a year group or a tutor group.")
        mis_id = _text(
            errors,
            index,
            "mis_id",
            record.mis_id,
            max_length=mis_length,
            required=True,
            label="MIS id",
        )
        name = _text(
            errors, index, "name", record.name, max_length=name_length, required=True, label="Name"
        )
        if record.order is not None and record.order < 0:
            errors.add(index, "order", "invalid", "The order is a number from 0 upwards.")
        kinds.append(kind)
        keys.append(f"{kind}:{mis_id}" if mis_id else "")
        names.append(f"{kind}:{name}" if name else "")
    _duplicates_keyed(errors, keys, "mis_id", "MIS id")
    _duplicates_keyed(errors, names, "name", "Name")

    with transaction.atomic():
        year_groups = list(YearGroup.objects.all())
        tutor_groups = list(TutorGroup.objects.all())
        final_years = _groups_apply(
            YearGroup,
            year_groups,
            [i for i, kind in enumerate(kinds) if kind == "year" and i not in errors.bad],
            records,
            errors,
            result,
            lambda record, group: {} if record.order is None else {"order": record.order},
            dry_run=dry_run,
        )
        by_year_name = {group.name: group for group in final_years}

        def tutor_values(record: GroupRecord, group: TutorGroup | None) -> dict[str, Any]:
            year_name = (record.year_group or "").strip()
            return {"year_group": by_year_name.get(year_name) if year_name else None}

        tutor_indexes = []
        for index, kind in enumerate(kinds):
            if kind != "tutor" or index in errors.bad:
                continue
            year_name = (records[index].year_group or "").strip()
            if year_name and year_name not in by_year_name:
                errors.add(
                    index, "year_group", "unknown", f"Year group '{year_name}' is not known."
                )
                continue
            tutor_indexes.append(index)
        _groups_apply(
            TutorGroup,
            tutor_groups,
            tutor_indexes,
            records,
            errors,
            result,
            tutor_values,
            dry_run=dry_run,
        )
        result.errors = sorted(errors.errors, key=lambda error: error.index or 0)
        if not dry_run:
            _audit_sync("groups.sync", actor, request, result)
    return result


def _duplicates_keyed(
    errors: _RecordErrors, keys: Sequence[str], field_name: str, label: str
) -> None:
    counts = Counter(key for key in keys if key)
    for index, key in enumerate(keys):
        if key and counts[key] > 1:
            errors.add(
                index,
                field_name,
                "duplicate",
                f"{label} '{key.partition(':')[2]}' appears {counts[key]} times in this batch.",
            )


def _groups_apply[GroupT: (YearGroup, TutorGroup)](
    model: type[GroupT],
    existing: list[GroupT],
    indexes: list[int],
    records: Sequence[GroupRecord],
    errors: _RecordErrors,
    result: SyncResult,
    extra_values: Callable[[GroupRecord, Any], dict[str, Any]],
    *,
    dry_run: bool,
) -> list[GroupT]:
    """Apply one kind of group; returns every group of that kind as it now stands."""
    by_mis = {group.mis_id: group for group in existing if group.mis_id}
    by_name = {group.name: group for group in existing}
    targets: dict[int, GroupT | None] = {}
    for index in indexes:
        record = records[index]
        mis_id = (record.mis_id or "").strip()
        name = (record.name or "").strip()
        group = by_mis.get(mis_id)
        if group is None and name in by_name and by_name[name].mis_id is None:
            group = by_name[name]  # added by hand before the MIS knew it
        targets[index] = group
    # A name may be held by one group only, once every rename in the batch is applied.
    final_names = {group.pk: group.name for group in existing}
    for index, group in targets.items():
        if group is not None:
            final_names[group.pk] = (records[index].name or "").strip()
    holders = Counter(final_names.values())
    to_create: list[GroupT] = []
    changed: list[tuple[GroupT, list[str]]] = []
    for index, group in targets.items():
        record = records[index]
        name = (record.name or "").strip()
        values: dict[str, Any] = {
            "mis_id": (record.mis_id or "").strip(),
            "name": name,
            **extra_values(record, group),
        }
        taken = holders[name] > (1 if group is not None else 0)
        if taken:
            errors.add(index, "name", "taken", f"The name '{name}' is used by another group.")
            continue
        if group is None:
            new = model(**values)
            to_create.append(new)
            existing.append(new)
            holders[name] += 1
            continue
        names = _changes_by_id(group, values)
        if not names:
            result.unchanged += 1
            continue
        for field_name in names:
            setattr(group, field_name, values[field_name])
        changed.append((group, names))
    result.created += len(to_create)
    result.updated += len(changed)
    if not dry_run:
        model._default_manager.bulk_create(to_create)
        _bulk_update_changed(model, changed)
    return existing


def _audit_sync(
    action: str,
    actor: ApiClient,
    request: HttpRequest | None,
    result: SyncResult,
    *,
    full_sync: bool = False,
) -> None:
    audit_record(
        action=action,
        actor_label=actor.name,
        request=request,
        detail={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "left": result.left,
            "errors": len(result.errors),
            "full_sync": full_sync,
        },
    )
