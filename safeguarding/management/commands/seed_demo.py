"""Create the demo school of the user guide (development only). Safe to run repeatedly."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safeguarding.models import AlertGroup, Pupil, Staff, TutorGroup, YearGroup
from tenants.models import School
from tenants.schools import public_tenant_ensure, school_create

DEMO_SUBDOMAIN = "montsaye"
DEMO_PASSWORD = "montsaye-demo-password"  # noqa: S105 - development data only
DSL_EMAIL = "dsl@montsaye.example"
DEMO_STAFF = (
    # first, last, e-mail, job title, alert groups
    ("Chloe", "Kelan", "chloe.kelan@montsaye.example", "Teacher", ("Teachers",)),
    ("Wendy", "Abbott", "wendy.abbott@montsaye.example", "Teaching Assistant", ("Teachers",)),
)
NAMED_PUPILS = (
    # first, last, tutor group, gender, MIS id
    ("Hannah", "Greenwood", "1B", "F", "DEMO-0001"),
    ("Matthew", "Greenwood", "5B", "M", "DEMO-0002"),
    ("Danielle", "Bradshaw", "3A", "F", "DEMO-0003"),
    ("Asif", "Hussain", "6A", "M", "DEMO-0004"),
    ("Leah", "Simpson", "1B", "F", "DEMO-0005"),
)
GENERATED_PUPILS = 300
FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Willow",
    "Emily",
    "Ella",
    "Noah",
    "Oliver",
    "George",
    "Leo",
    "Arthur",
    "Muhammad",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Jack",
    "Charlie",
    "Jacob",
    "Thomas",
    "Alfie",
    "Finley",
    "Aisha",
    "Zara",
    "Priya",
    "Kwame",
    "Tomasz",
    "Mateo",
    "Yusuf",
    "Chloe",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
]


class Command(BaseCommand):
    help = "Create the demo school 'montsaye' with the people of the user guide."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-logins", action="store_true", help="Only print logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with known passwords: DEBUG only.")
        if options["print_logins"]:
            self._print_logins()
            return
        public_tenant_ensure()
        school = School.objects.filter(schema_name=DEMO_SUBDOMAIN).first()
        if school is None:
            school = school_create(
                name="The Montsaye Academy",
                subdomain=DEMO_SUBDOMAIN,
                urn="137083",
                dsl_email=DSL_EMAIL,
                dsl_first_name="Sarah",
                dsl_last_name="Newton",
            )
            self.stdout.write("Created the demo school montsaye")
        with school, transaction.atomic():
            self._people()

    def _people(self) -> None:
        dsl = Staff.objects.get(email=DSL_EMAIL)
        if not dsl.has_usable_password():
            dsl.set_password(DEMO_PASSWORD)
            dsl.save()
        for first, last, email, title, group_names in DEMO_STAFF:
            staff = Staff.objects.filter(email=email).first()
            if staff is None:
                staff = Staff.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    job_title=title,
                )
            for alert_group in AlertGroup.objects.filter(name__in=group_names):
                alert_group.members.add(staff)
        if Pupil.objects.exists():
            return
        years = {n: YearGroup.objects.create(name=f"Year {n}", order=n) for n in range(1, 12)}
        tutor_groups = {
            f"{n}{letter}": TutorGroup.objects.create(name=f"{n}{letter}", year_group=year)
            for n, year in years.items()
            for letter in "AB"
        }
        rng = random.Random(137083)  # noqa: S311 - deterministic demo data
        pupils = [
            Pupil(
                mis_id=mis_id,
                legal_first_name=first,
                legal_last_name=last,
                gender=gender,
                tutor_group=tutor_groups[group],
                year_group=tutor_groups[group].year_group,
                date_of_birth=datetime.date(
                    2019 - int(group[:-1]), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
            )
            for first, last, group, gender, mis_id in NAMED_PUPILS
        ]
        for number in range(GENERATED_PUPILS):
            group = rng.choice(list(tutor_groups))
            pupils.append(
                Pupil(
                    mis_id=f"DEMO-{number + 100:04d}",
                    legal_first_name=rng.choice(FIRST_NAMES),
                    legal_last_name=rng.choice(LAST_NAMES),
                    gender=rng.choice("FM"),
                    tutor_group=tutor_groups[group],
                    year_group=tutor_groups[group].year_group,
                    date_of_birth=datetime.date(
                        2019 - int(group[:-1]), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                )
            )
        Pupil.objects.bulk_create(pupils)
        self.stdout.write(f"Added {len(pupils)} demo pupils")

    def _print_logins(self) -> None:
        self.stdout.write("Demo logins (password for all: " + DEMO_PASSWORD + "):")
        self.stdout.write(f"  {DSL_EMAIL:34} Sarah Newton, DSL (key holder, school admin)")
        for first, last, email, title, _ in DEMO_STAFF:
            self.stdout.write(f"  {email:34} {first} {last}, {title}")
