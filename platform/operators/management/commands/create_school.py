"""python manage.py create_school --name ... --subdomain ... --urn ... --dsl-email ..."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.services.defaults import school_defaults_install
from tenants.schools import public_tenant_ensure, school_create, school_host


class Command(BaseCommand):
    help = "Create a school: its schema, its host name and the default settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The school's name.")
        parser.add_argument("--subdomain", required=True, help="e.g. montsaye")
        parser.add_argument("--urn", required=True, help="6-digit Unique Reference Number.")
        parser.add_argument("--dsl-email", required=True, help="The first DSL's e-mail.")

    def handle(self, *args: Any, **options: Any) -> None:
        public_tenant_ensure()
        try:
            school = school_create(
                defaults_install=school_defaults_install,
                name=options["name"],
                subdomain=options["subdomain"],
                urn=options["urn"],
                dsl_email=options["dsl_email"],
            )
        except ValidationError as error:
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("School not created.\n" + "\n".join(lines)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {school.name} at {school_host(school.schema_name)}")
        )
