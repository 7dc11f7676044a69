"""python manage.py import_schools schools.csv — onboard many schools at once.

The CSV has a header row with the columns ``name,subdomain,urn,dsl_email``. Schools whose
subdomain already exists are skipped; every other row is created in its own transaction, so a
bad row is reported and the rest go ahead.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from safeguarding.services.defaults import school_defaults_install
from tenants.models import School
from tenants.schools import public_tenant_ensure, school_create

COLUMNS = ("name", "subdomain", "urn", "dsl_email")


class Command(BaseCommand):
    help = "Create the schools listed in a CSV file (name,subdomain,urn,dsl_email)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv_file"]
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(f"{path}: missing column(s): {', '.join(missing)}")
                rows = list(reader)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error

        public_tenant_ensure()
        existing = set(School.objects.values_list("schema_name", flat=True))
        created = skipped = 0
        failures: list[str] = []
        for line, row in enumerate(
            tqdm(rows, unit="school", disable=options["no_progress"], file=self.stderr),
            start=2,  # the header is line 1
        ):
            values = {column: (row.get(column) or "").strip() for column in COLUMNS}
            if values["subdomain"] in existing:
                skipped += 1
                continue
            try:
                school_create(defaults_install=school_defaults_install, **values)
            except ValidationError as error:
                problems = "; ".join(
                    f"{field}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                )
                failures.append(
                    f"line {line} ({values['subdomain'] or 'no subdomain'}): {problems}"
                )
                continue
            existing.add(values["subdomain"])
            created += 1

        self.stdout.write(
            f"{created} created, {skipped} skipped (already exist), {len(failures)} failed"
        )
        for failure in failures:
            self.stdout.write(f"  {failure}")
        if failures:
            raise CommandError(f"{len(failures)} row(s) failed; the other rows were applied")
