"""python manage.py create_operator --email ops@example.org --name "Sam Operator"

Reads the password from the terminal (or standard input with --password-stdin) and prints the
authenticator URI: operators always sign in with a password and a TOTP code.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.operators import operator_create, totp_uri


class Command(BaseCommand):
    help = "Create a platform operator account (password and authenticator app)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The passwords differ.")
        try:
            operator = operator_create(
                email=options["email"], name=options["name"], password=password
            )
        except ValidationError as error:
            raise CommandError("Operator not created: " + " ".join(error.messages)) from error
        self.stdout.write(f"Created operator {operator.email}.")
        self.stdout.write("Add this to an authenticator app (it is shown only now):")
        self.stdout.write(f"  {totp_uri(operator)}")
