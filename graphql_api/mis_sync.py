"""MIS sync mutations: API clients push pupils, staff and groups, up to 1,000 records a call."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.utils.str_converters import to_camel_case

from graphql_api.context import Info
from safeguarding.services.mis_sync import (
    MAX_BATCH,
    GroupRecord,
    PupilRecord,
    StaffRecord,
    SyncError,
    SyncResult,
    groups_sync,
    pupil_full_sync_finish,
    pupil_full_sync_start,
    pupils_sync,
    staff_sync,
)


@strawberry.type(name="SyncError", description="A record (or the whole call) that was refused.")
class SyncErrorType:
    index: int | None = strawberry.field(
        description="Position of the record in the batch, from 0; null for the whole call."
    )
    field: str = strawberry.field(description="The record's field at fault, e.g. dateOfBirth.")
    code: str = strawberry.field(
        description="Machine-readable reason: required, too_long, duplicate, invalid, "
        "impossible, unknown, taken, too_many, forbidden, not_found, empty."
    )
    message: str = strawberry.field(description="What is wrong, in words.")

    @classmethod
    def from_error(cls, error: SyncError) -> SyncErrorType:
        return cls(
            index=error.index,
            field=to_camel_case(error.field),
            code=error.code,
            message=error.message,
        )


@strawberry.type(description="What a sync call did (or, in a dry run, would do).")
class SyncPayload:
    created: int = strawberry.field(description="Records created.")
    updated: int = strawberry.field(description="Existing records that changed.")
    unchanged: int = strawberry.field(description="Existing records already up to date.")
    left: int = strawberry.field(description="Pupils marked as left by a full sync.")
    dry_run: bool = strawberry.field(description="True when nothing was written.")
    full_sync_id: strawberry.ID | None = strawberry.field(
        description="The full sync this batch belongs to, if any."
    )
    errors: list[SyncErrorType] = strawberry.field(
        description="Refused records; the others were applied."
    )

    @classmethod
    def from_result(cls, result: SyncResult) -> SyncPayload:
        return cls(
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            left=result.left,
            dry_run=result.dry_run,
            full_sync_id=(
                strawberry.ID(str(result.full_sync_id)) if result.full_sync_id is not None else None
            ),
            errors=[SyncErrorType.from_error(error) for error in result.errors],
        )


def _refused(dry_run: bool, scope: str) -> SyncPayload:
    return SyncPayload.from_result(
        SyncResult(
            dry_run=dry_run,
            errors=[
                SyncError(
                    None,
                    "",
                    "forbidden",
                    f"Only an API client with the {scope} scope can do this.",
                )
            ],
        )
    )


@strawberry.input(description="One pupil as the MIS knows them. Missing fields are cleared.")
class PupilRecordInput:
    mis_id: str | None = strawberry.field(description="The pupil's id in the MIS (required).")
    legal_first_name: str | None = strawberry.field(default=None, description="Required.")
    legal_last_name: str | None = strawberry.field(default=None, description="Required.")
    preferred_first_name: str | None = strawberry.field(default=None, description="Optional.")
    preferred_last_name: str | None = strawberry.field(default=None, description="Optional.")
    date_of_birth: str | None = strawberry.field(default=None, description="YYYY-MM-DD.")
    gender: str | None = strawberry.field(
        default=None, description="F, M or X (other / not stated, the default)."
    )
    year_group: str | None = strawberry.field(
        default=None, description="Name of a synced year group, e.g. Year 7."
    )
    tutor_group: str | None = strawberry.field(
        default=None, description="Name of a synced tutor group, e.g. 7B."
    )


@strawberry.input(description="One member of staff as the MIS knows them.")
class StaffRecordInput:
    mis_id: str | None = strawberry.field(description="The person's id in the MIS (required).")
    email: str | None = strawberry.field(default=None, description="Login and alert address.")
    first_name: str | None = strawberry.field(default=None, description="Required.")
    last_name: str | None = strawberry.field(default=None, description="Required.")
    job_title: str | None = strawberry.field(default=None, description="Optional.")


@strawberry.enum(description="Year group or tutor (registration) group.")
class GroupKind(Enum):
    YEAR = "year"
    TUTOR = "tutor"


@strawberry.input(description="One year group or tutor group as the MIS knows it.")
class GroupRecordInput:
    kind: GroupKind = strawberry.field(description="Year group or tutor group.")
    mis_id: str | None = strawberry.field(description="The group's id in the MIS (required).")
    name: str | None = strawberry.field(default=None, description="e.g. Year 7, or 7B.")
    order: int | None = strawberry.field(
        default=None, description="Year groups: position in lists; left out keeps the current."
    )
    year_group: str | None = strawberry.field(
        default=None, description="Tutor groups: the name of their year group."
    )


@strawberry.type(description="A full sync opened for several batches.")
class StartPupilFullSyncPayload:
    full_sync_id: strawberry.ID | None = strawberry.field(
        description="Pass it with every batch, then to finishPupilFullSync."
    )
    errors: list[SyncErrorType] = strawberry.field(description="Why no full sync was opened.")


BATCH_NOTE = f"Up to {MAX_BATCH} records a call."
FULL_SYNC_NOTE = "This batch is the whole roll: pupils on roll missing from it have left."


@strawberry.type
class MisSyncMutation:
    @strawberry.mutation(
        description=f"Create and update pupils by MIS id. {BATCH_NOTE} Needs pupils:write."
    )
    def sync_pupils(
        self,
        info: Info,
        records: Annotated[
            list[PupilRecordInput],
            strawberry.argument(description="The pupils to apply, at most 1,000."),
        ],
        dry_run: Annotated[bool, strawberry.argument(description="Report, write nothing.")] = False,
        full_sync: Annotated[bool, strawberry.argument(description=FULL_SYNC_NOTE)] = False,
        full_sync_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="This batch belongs to a full sync sent in several."),
        ] = None,
    ) -> SyncPayload:
        api_client = info.context.api_client
        if api_client is None:
            return _refused(dry_run, "pupils:write")
        run_id = None
        if full_sync_id is not None:
            run_id = int(full_sync_id) if str(full_sync_id).isdigit() else 0
        result = pupils_sync(
            actor=api_client,
            records=[
                PupilRecord(
                    mis_id=record.mis_id,
                    legal_first_name=record.legal_first_name,
                    legal_last_name=record.legal_last_name,
                    preferred_first_name=record.preferred_first_name,
                    preferred_last_name=record.preferred_last_name,
                    date_of_birth=record.date_of_birth,
                    gender=record.gender,
                    year_group=record.year_group,
                    tutor_group=record.tutor_group,
                )
                for record in records
            ],
            dry_run=dry_run,
            full_sync=full_sync,
            full_sync_id=run_id,
            request=info.context.request,
        )
        return SyncPayload.from_result(result)

    @strawberry.mutation(
        description="Open a full sync of pupils sent in several batches. Needs pupils:write."
    )
    def start_pupil_full_sync(self, info: Info) -> StartPupilFullSyncPayload:
        api_client = info.context.api_client
        run = (
            pupil_full_sync_start(actor=api_client, request=info.context.request)
            if api_client is not None
            else None
        )
        if run is None:
            return StartPupilFullSyncPayload(
                full_sync_id=None, errors=_refused(False, "pupils:write").errors
            )
        return StartPupilFullSyncPayload(full_sync_id=strawberry.ID(str(run.pk)), errors=[])

    @strawberry.mutation(
        description="Finish a full sync: pupils on roll that no batch named are marked as left."
    )
    def finish_pupil_full_sync(
        self,
        info: Info,
        full_sync_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The id startPupilFullSync returned."),
        ],
        dry_run: Annotated[bool, strawberry.argument(description="Report, write nothing.")] = False,
    ) -> SyncPayload:
        api_client = info.context.api_client
        if api_client is None:
            return _refused(dry_run, "pupils:write")
        result = pupil_full_sync_finish(
            actor=api_client,
            full_sync_id=int(full_sync_id) if str(full_sync_id).isdigit() else 0,
            dry_run=dry_run,
            request=info.context.request,
        )
        return SyncPayload.from_result(result)

    @strawberry.mutation(
        description=f"Create and update staff by MIS id. {BATCH_NOTE} New staff get no "
        "password until they use the first-time link. Needs staff:write."
    )
    def sync_staff(
        self,
        info: Info,
        records: Annotated[
            list[StaffRecordInput],
            strawberry.argument(description="The staff to apply, at most 1,000."),
        ],
        dry_run: Annotated[bool, strawberry.argument(description="Report, write nothing.")] = False,
    ) -> SyncPayload:
        api_client = info.context.api_client
        if api_client is None:
            return _refused(dry_run, "staff:write")
        result = staff_sync(
            actor=api_client,
            records=[
                StaffRecord(
                    mis_id=record.mis_id,
                    email=record.email,
                    first_name=record.first_name,
                    last_name=record.last_name,
                    job_title=record.job_title,
                )
                for record in records
            ],
            dry_run=dry_run,
            request=info.context.request,
        )
        return SyncPayload.from_result(result)

    @strawberry.mutation(
        description=f"Create and update year and tutor groups by MIS id. {BATCH_NOTE} "
        "Needs groups:write."
    )
    def sync_groups(
        self,
        info: Info,
        records: Annotated[
            list[GroupRecordInput],
            strawberry.argument(description="The year and tutor groups to apply, at most 1,000."),
        ],
        dry_run: Annotated[bool, strawberry.argument(description="Report, write nothing.")] = False,
    ) -> SyncPayload:
        api_client = info.context.api_client
        if api_client is None:
            return _refused(dry_run, "groups:write")
        result = groups_sync(
            actor=api_client,
            records=[
                GroupRecord(
                    kind=record.kind.value,
                    mis_id=record.mis_id,
                    name=record.name,
                    order=record.order,
                    year_group=record.year_group,
                )
                for record in records
            ],
            dry_run=dry_run,
            request=info.context.request,
        )
        return SyncPayload.from_result(result)
