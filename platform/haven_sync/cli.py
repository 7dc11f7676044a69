"""``haven-sync``: push a CSV export or JSON file from the school's MIS into Haven.

    HAVEN_SYNC_TOKEN=haven_... haven-sync pupils pupils.csv \\
        --url https://montsaye.haven.example/graphql --full

Records go in batches (at most 1,000, the API's limit) with a progress bar. A 429 (rate
limit) is retried after the server's Retry-After; a 5xx or a dropped connection is retried
with exponential backoff. Retrying is safe because a sync is idempotent. The summary ends
with the totals; the exit status is 0 when every record was taken, 1 when some were refused,
2 when the sync could not run. The columns are documented in README.md ("MIS sync").

It imports nothing from Django or Haven: it is an ordinary HTTP client of the GraphQL API,
installed with Haven or on its own (``pip install platform/haven_sync``) by MIS vendors.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import urllib3
from tqdm import tqdm
from urllib3.util.retry import Retry

MAX_BATCH = 1000
DEFAULT_BATCH = 500
TOKEN_VARIABLE = "HAVEN_SYNC_TOKEN"  # noqa: S105 - the variable's name
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 60.0

# Columns per kind: snake_case names; headers may also be camelCase or use spaces.
COLUMNS: dict[str, tuple[str, ...]] = {
    "pupils": (
        "mis_id",
        "legal_first_name",
        "legal_last_name",
        "preferred_first_name",
        "preferred_last_name",
        "date_of_birth",
        "gender",
        "year_group",
        "tutor_group",
    ),
    "staff": ("mis_id", "email", "first_name", "last_name", "job_title"),
    "groups": ("kind", "mis_id", "name", "order", "year_group"),
}
RESULT_FIELDS = (
    "created updated unchanged left dryRun fullSyncId errors { index field code message }"
)
MUTATIONS = {
    "pupils": (
        "syncPupils",
        "PupilRecordInput",
        "mutation SyncPupils($records: [PupilRecordInput!]!, $dryRun: Boolean!, "
        "$fullSync: Boolean!, $fullSyncId: ID) { syncPupils(records: $records, dryRun: $dryRun, "
        f"fullSync: $fullSync, fullSyncId: $fullSyncId) {{ {RESULT_FIELDS} }} }}",
    ),
    "staff": (
        "syncStaff",
        "StaffRecordInput",
        "mutation SyncStaff($records: [StaffRecordInput!]!, $dryRun: Boolean!) "
        f"{{ syncStaff(records: $records, dryRun: $dryRun) {{ {RESULT_FIELDS} }} }}",
    ),
    "groups": (
        "syncGroups",
        "GroupRecordInput",
        "mutation SyncGroups($records: [GroupRecordInput!]!, $dryRun: Boolean!) "
        f"{{ syncGroups(records: $records, dryRun: $dryRun) {{ {RESULT_FIELDS} }} }}",
    ),
}
START_FULL_SYNC = (
    "mutation StartPupilFullSync { startPupilFullSync { fullSyncId errors { code message } } }"
)
FINISH_FULL_SYNC = (
    "mutation FinishPupilFullSync($id: ID!, $dryRun: Boolean!) { finishPupilFullSync("
    f"fullSyncId: $id, dryRun: $dryRun) {{ {RESULT_FIELDS} }} }}"
)
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\Z")


class _Retry(Retry):
    """urllib3's Retry, with the server's Retry-After capped: a rate-limit window is at most a
    minute, and a suspended school's "come back in an hour" should end the run (after the
    retries), not stall it for hours."""

    def get_retry_after(self, response: urllib3.BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


class SyncFailedError(Exception):
    """The sync cannot go on (bad file, refused token, server error after retries)."""


@dataclass
class Row:
    """One record to send, with where it came from for error messages."""

    where: str
    record: dict[str, Any]


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    batches: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    def add(self, payload: dict[str, Any]) -> None:
        for name in ("created", "updated", "unchanged", "left"):
            setattr(self, name, getattr(self, name) + int(payload[name]))


# --- Reading the file -------------------------------------------------------------------------


def _snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip())
    return re.sub(r"[\s\-]+", "_", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _iso_date(value: str) -> str:
    """UK exports write 17/05/2012; the API takes 2012-05-17. Anything else goes as it is,
    for the server to judge."""
    match = UK_DATE.match(value)
    if match is None:
        return value
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError:
        return value


def _record(
    kind: str, raw: dict[str, Any], where: str, errors: list[str], refused: set[str]
) -> Row | None:
    columns = COLUMNS[kind]
    values = {_snake(str(key)): value for key, value in raw.items() if key is not None}
    record: dict[str, Any] = {}
    for column in columns:
        value = values.get(column)
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            if column != "kind":
                record[_camel(column)] = None
            continue
        if column == "date_of_birth":
            value = _iso_date(str(value))
        elif column == "kind":
            value = str(value).strip().upper()
            if value not in {"YEAR", "TUTOR"}:
                errors.append(f"{where}: kind: '{value.lower()}' is neither year nor tutor.")
                refused.add(where)
                return None
        elif column == "order":
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors.append(f"{where}: order: '{value}' is not a whole number.")
                refused.add(where)
                return None
        else:
            value = str(value)
        record[_camel(column)] = value
    if kind == "groups" and "kind" not in record:
        errors.append(f"{where}: kind: a group is either year or tutor.")
        refused.add(where)
        return None
    return Row(where=where, record=record)


def read_records(kind: str, path: Path, errors: list[str], refused: set[str]) -> list[Row]:
    """Rows of a CSV file (with a header line) or a JSON list of objects."""
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data.get("records")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise SyncFailedError(f"{path}: expected a list of objects (or {{'records': [...]}}).")
        rows = (
            _record(kind, item, f"{path.name} record {number}", errors, refused)
            for number, item in enumerate(data, start=1)
        )
        return [row for row in rows if row is not None]
    # utf-8-sig: spreadsheet programs put a byte-order mark at the start of CSV exports.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [_snake(name) for name in reader.fieldnames or []]
        if "mis_id" not in header:
            raise SyncFailedError(f"{path}: the header line has no mis_id column.")
        unknown = sorted(set(header) - set(COLUMNS[kind]))
        if unknown:
            print(f"Ignoring columns not used for {kind}: {', '.join(unknown)}", file=sys.stderr)
        found = (
            _record(kind, line, f"{path.name} line {reader.line_num}", errors, refused)
            for line in reader
        )
        return [row for row in found if row is not None]


# --- Talking to Haven -------------------------------------------------------------------------


class HavenApi:
    """POSTs GraphQL operations with the token, retrying rate limits and server errors."""

    def __init__(self, url: str, token: str, *, retries: int, backoff: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise SyncFailedError(f"'{url}' is not an http(s) URL of a school's /graphql.")
        self.url = url
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "User-Agent": "haven-sync",
        }
        host = parts.hostname
        if host == "localhost" or host.endswith(".localhost"):
            # *.localhost is loopback (RFC 6761), as browsers and curl treat it, but the
            # system resolver may not know it: connect to 127.0.0.1 and name the school in
            # the Host header.
            self.headers["Host"] = parts.netloc
            port = f":{parts.port}" if parts.port else ""
            self.url = urlunsplit(parts._replace(netloc=f"127.0.0.1{port}"))
        self.retry = _Retry(
            total=retries,
            backoff_factor=backoff,
            backoff_max=60,
            status_forcelist=RETRY_STATUSES,
            # Every call is a POST; a repeated batch changes nothing the first did not.
            allowed_methods=None,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.pool = urllib3.PoolManager(retries=self.retry, timeout=urllib3.Timeout(60))
        self.retries_used = 0

    def call(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        try:
            response = self.pool.request("POST", self.url, body=body, headers=self.headers)
        except urllib3.exceptions.HTTPError as error:
            raise SyncFailedError(f"Could not reach {self.url}: {error}") from error
        if response.retries is not None:
            self.retries_used += len(response.retries.history)
        if response.status == 401:
            raise SyncFailedError(
                "The token was refused: it is unknown, revoked or for another school."
            )
        if response.status != 200:
            raise SyncFailedError(f"Haven answered HTTP {response.status} after retrying.")
        result: dict[str, Any] = response.json()
        if result.get("errors"):
            messages = "; ".join(str(error.get("message")) for error in result["errors"])
            raise SyncFailedError(f"Haven refused the request: {messages}")
        data: dict[str, Any] = result["data"]
        return data


def _batches(rows: Sequence[Row], size: int) -> Iterator[tuple[int, Sequence[Row]]]:
    for start in range(0, len(rows), size):
        yield start, rows[start : start + size]


def _note_errors(payload: dict[str, Any], rows: Sequence[Row], summary: Summary) -> None:
    for error in payload["errors"]:
        if error["index"] is None:
            raise SyncFailedError(error["message"])
        where = rows[error["index"]].where
        summary.refused.add(where)
        summary.errors.append(f"{where}: {error['field']}: {error['message']}")


def run_sync(
    api: HavenApi,
    kind: str,
    rows: Sequence[Row],
    *,
    batch_size: int,
    full: bool,
    dry_run: bool,
    summary: Summary,
    progress: bool = True,
) -> None:
    field_name, _, query = MUTATIONS[kind]
    several = full and len(rows) > batch_size
    full_sync_id = None
    if several:
        started = api.call(START_FULL_SYNC, {})["startPupilFullSync"]
        if started["errors"]:
            raise SyncFailedError(started["errors"][0]["message"])
        full_sync_id = started["fullSyncId"]
    with tqdm(total=len(rows), unit="record", desc=f"Syncing {kind}", disable=not progress) as bar:
        for _, batch in _batches(rows, batch_size):
            variables: dict[str, Any] = {
                "records": [row.record for row in batch],
                "dryRun": dry_run,
            }
            if kind == "pupils":
                variables["fullSync"] = full and not several
                variables["fullSyncId"] = full_sync_id
            payload = api.call(query, variables)[field_name]
            summary.batches += 1
            summary.add(payload)
            _note_errors(payload, batch, summary)
            bar.update(len(batch))
    if full_sync_id is not None:
        finished = api.call(FINISH_FULL_SYNC, {"id": full_sync_id, "dryRun": dry_run})
        payload = finished["finishPupilFullSync"]
        summary.add(payload)
        _note_errors(payload, [], summary)
    summary.retries = api.retries_used


def _report(summary: Summary, kind: str, dry_run: bool) -> str:
    lines = [
        f"{'Dry run: nothing was written. ' if dry_run else ''}"
        f"{kind.title()}: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.left} left, {len(summary.refused)} refused "
        f"({summary.batches} batches, {summary.retries} retries).",
    ]
    lines += [f"  {error}" for error in summary.errors]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="haven-sync",
        description="Push pupils, staff or year/tutor groups from an MIS export into Haven. "
        f"The API token is read from ${TOKEN_VARIABLE} (or --token-file).",
    )
    parser.add_argument("kind", choices=sorted(COLUMNS), help="What the file holds.")
    parser.add_argument("file", type=Path, help="A .csv export (with a header line) or .json.")
    parser.add_argument(
        "--url",
        required=True,
        help="The school's GraphQL URL, e.g. https://montsaye.haven.example/graphql",
    )
    parser.add_argument("--token-file", type=Path, help="Read the token from this file.")
    parser.add_argument(
        "--full",
        action="store_true",
        help="Pupils: the file is the whole roll; pupils on roll missing from it have left.",
    )
    parser.add_argument("--dry-run", action="store_true", help="Report what would change.")
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help=f"Records a call (1-{MAX_BATCH})."
    )
    parser.add_argument("--retries", type=int, default=10, help="Retries per call.")
    parser.add_argument(
        "--backoff", type=float, default=0.5, help="Backoff factor for server errors (seconds)."
    )
    parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
    options = parser.parse_args(argv)
    if not 1 <= options.batch_size <= MAX_BATCH:
        parser.error(f"--batch-size must be from 1 to {MAX_BATCH}")
    if options.full and options.kind != "pupils":
        parser.error("--full applies to pupils only")
    if options.token_file is not None:
        token = options.token_file.read_text(encoding="utf-8").strip()
    else:
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        parser.error(f"set ${TOKEN_VARIABLE} or pass --token-file")

    summary = Summary()
    try:
        rows = read_records(options.kind, options.file, summary.errors, summary.refused)
        api = HavenApi(options.url, token, retries=options.retries, backoff=options.backoff)
        run_sync(
            api,
            options.kind,
            rows,
            batch_size=options.batch_size,
            full=options.full,
            dry_run=options.dry_run,
            summary=summary,
            progress=not options.no_progress,
        )
    except (SyncFailedError, OSError, ValueError) as error:
        print(_report(summary, options.kind, options.dry_run))
        print(f"haven-sync: {error}", file=sys.stderr)
        return 2
    print(_report(summary, options.kind, options.dry_run))
    return 1 if summary.refused else 0


if __name__ == "__main__":
    sys.exit(main())
