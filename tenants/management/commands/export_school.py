"""python manage.py export_school montsaye [--output montsaye.tar.gz]"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.archives import school_export
from tenants.models import School


class Command(BaseCommand):
    help = "Write one archive with a school's data and attachments, and a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subdomain")
        parser.add_argument("--output", type=Path, help="Archive path (.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(schema_name=options["subdomain"]).first()
        if school is None or school.is_public:
            raise CommandError(f"there is no school '{options['subdomain']}'")
        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        output: Path = options["output"] or Path(f"{school.schema_name}-{stamp}.tar.gz")
        manifest = school_export(school=school, destination=output)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Exported {school.name}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['attachments'])} attachments → {output}"
        )
