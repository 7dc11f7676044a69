"""python manage.py import_school ARCHIVE --subdomain new --urn 123456 [--name "..."]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.archives import ArchiveError, school_import
from tenants.schools import public_tenant_ensure, school_host


class Command(BaseCommand):
    help = "Restore a school archive (from export_school) into a new school."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--urn", required=True)
        parser.add_argument("--name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        public_tenant_ensure()
        try:
            school = school_import(
                archive_path=options["archive"],
                name=options["name"],
                subdomain=options["subdomain"],
                urn=options["urn"],
            )
        except ValidationError as error:
            problems = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("School not restored.\n" + "\n".join(problems)) from error
        except ArchiveError as error:
            raise CommandError(f"School not restored: {error}") from error
        self.stdout.write(f"Restored {school.name} at {school_host(school.schema_name)}")
