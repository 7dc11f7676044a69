"""Create the demo school of the user guide (development only). Safe to run repeatedly."""

from __future__ import annotations

import base64
import datetime
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import (
    Alert,
    AlertGroup,
    Category,
    Incident,
    Pupil,
    Staff,
    TutorGroup,
    YearGroup,
)
from safeguarding.permissions import Actor
from safeguarding.services.defaults import school_defaults_install
from safeguarding.services.incidents import IncidentSpec, LinkSpec, MarkerSpec, incident_create
from tenants.models import School
from tenants.schools import public_tenant_ensure, school_create

DEMO_SUBDOMAIN = "montsaye"
DEMO_PASSWORD = "montsaye-demo-password"  # noqa: S105 - development data only
DSL_EMAIL = "dsl@montsaye.example"
# The DSL's authenticator secret, so a person trying the demo can add it to an app (or
# `oathtool --totp -b <secret>`) and sign in with key access. Development data only.
DSL_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DSL_TOTP_SECRET_BASE32 = base64.b32encode(bytes.fromhex(DSL_TOTP_KEY_HEX)).decode()
DEMO_STAFF = (
    # first, last, e-mail, job title, alert groups
    ("Chloe", "Kelan", "chloe.kelan@montsaye.example", "Teacher", ("Teachers",)),
    ("Wendy", "Abbott", "wendy.abbott@montsaye.example", "Teaching Assistant", ("Teachers",)),
)
# The incidents on the guide's dashboard: author, pupil, categories, days ago, text, links.
GUIDE_INCIDENTS = (
    (
        "chloe.kelan@montsaye.example",
        "DEMO-0001",
        ("Child Protection", "Home Issues"),
        2,
        "Mr Greenwood was spotted outside of the school gates at the end of the school day. "
        "Mrs Simpson had seen him when she was coming to pick Leah up, and informed me that "
        "she was aware of the situation with the Greenwood family and that she had just seen "
        "him on her way in. She also managed to prevent both Hannah and Matthew from seeing "
        "their father and causing any distress.",
        ("DEMO-0002",),
    ),
    (
        "chloe.kelan@montsaye.example",
        "DEMO-0003",
        ("Home Issues",),
        4,
        "Danielle Bradshaw said there has been shouting at home most nights this week and "
        "she has not been sleeping.",
        (),
    ),
    (
        "wendy.abbott@montsaye.example",
        "DEMO-0004",
        ("SEND",),
        6,
        "Asif Hussain was upset in the lunch hall again; the noise is hard for him. "
        "Agreed he can eat in the library this week.",
        (),
    ),
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
                defaults_install=school_defaults_install,
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
            self._guide_incidents()

    def _people(self) -> None:
        dsl = Staff.objects.get(email=DSL_EMAIL)
        if not dsl.has_usable_password():
            dsl.set_password(DEMO_PASSWORD)
            dsl.save()
        self._dsl_authenticator(dsl)
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

    def _guide_incidents(self) -> None:
        """The guide's dashboard: three alerts to the DSL, the first also to Wendy."""
        if Incident.objects.exists():
            return
        dsl = Staff.objects.get(email=DSL_EMAIL)
        wendy = Staff.objects.get(email="wendy.abbott@montsaye.example")
        for author_email, mis_id, category_names, days_ago, text, link_ids in GUIDE_INCIDENTS:
            author = Staff.objects.get(email=author_email)
            recipients = [dsl.pk] + ([wendy.pk] if mis_id == "DEMO-0001" else [])
            when = timezone.now() - datetime.timedelta(days=days_ago)
            incident = incident_create(
                actor=Actor(author, key_access=False),
                spec=IncidentSpec(
                    pupil_id=Pupil.objects.get(mis_id=mis_id).pk,
                    text=text,
                    category_ids=list(
                        Category.objects.filter(name__in=category_names).values_list(
                            "pk", flat=True
                        )
                    ),
                    links=[
                        LinkSpec(pupil_id=Pupil.objects.get(mis_id=linked).pk)
                        for linked in link_ids
                    ],
                    markers=[MarkerSpec(side="front", x=0.5, y=0.35, number=1, note="Bruise")]
                    if link_ids
                    else [],
                    occurred_at=when,
                    alert_staff_ids=recipients,
                ),
            )
            # As if added on that day, so the dashboard reads "2 days ago" like the guide.
            Incident.objects.filter(pk=incident.pk).update(created_at=when)
            Alert.objects.filter(incident=incident).update(created_at=when)
        self.stdout.write(f"Added the guide's {len(GUIDE_INCIDENTS)} demo incidents")

    def _dsl_authenticator(self, dsl: Staff) -> None:
        if not TOTPDevice.objects.filter(user=dsl).exists():
            TOTPDevice.objects.create(
                user=dsl, name="Demo authenticator", key=DSL_TOTP_KEY_HEX, confirmed=True
            )

    def _print_logins(self) -> None:
        self.stdout.write("Demo logins (password for all: " + DEMO_PASSWORD + "):")
        self.stdout.write(f"  {DSL_EMAIL:34} Sarah Newton, DSL (key holder, school admin)")
        self.stdout.write(
            f"  {'':34} authenticator secret {DSL_TOTP_SECRET_BASE32}"
            f" (e.g. `oathtool --totp -b {DSL_TOTP_SECRET_BASE32}`)"
        )
        for first, last, email, title, _ in DEMO_STAFF:
            self.stdout.write(f"  {email:34} {first} {last}, {title}")
