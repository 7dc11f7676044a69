"""Factories for the records of a school (call inside the school's schema)."""

from __future__ import annotations

import itertools
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from graphql_api.ids import global_id
from safeguarding.models import (
    AccessLevel,
    AccessLevelGrant,
    AlertGroup,
    Category,
    Pupil,
    Staff,
    TutorGroup,
    YearGroup,
)
from tests.conftest import SchoolClient

_numbers = itertools.count(1)


def tutor_group(name: str, year: str | None = None) -> TutorGroup:
    year_group = YearGroup.objects.get_or_create(name=year)[0] if year else None
    return TutorGroup.objects.get_or_create(name=name, defaults={"year_group": year_group})[0]


def pupil(first: str, last: str, group: str | None = None, **fields: Any) -> Pupil:
    tutor = tutor_group(group, fields.pop("year", None)) if group else None
    return Pupil.objects.create(
        mis_id=f"MIS-{next(_numbers)}",
        legal_first_name=first,
        legal_last_name=last,
        tutor_group=tutor,
        year_group=tutor.year_group if tutor else None,
        **fields,
    )


def staff(
    first: str,
    last: str,
    *,
    level: str | None = "All staff",
    key_holder: bool = False,
    groups: tuple[str, ...] = (),
) -> Staff:
    member = Staff.objects.create_user(
        email=f"{first}.{last}.{next(_numbers)}@school.example".lower(),
        first_name=first,
        last_name=last,
        is_key_holder=key_holder,
        access_level=AccessLevel.objects.get(name=level) if level else None,
    )
    for group in groups:
        AlertGroup.objects.get(name=group).members.add(member)
    return member


def viewing_level(name: str, *categories: str, dsl_team: bool = False) -> AccessLevel:
    """An access level that views pupils and incidents in just these categories."""
    level = AccessLevel.objects.create(name=name, is_dsl_team=dsl_team)
    for category in Category.objects.filter(name__in=categories):
        AccessLevelGrant.objects.create(
            access_level=level,
            category=category,
            can_view_pupils=True,
            can_view_incidents=True,
            can_add_incidents=True,
        )
    return level


def dsl() -> Staff:
    return Staff.objects.get(email__startswith="dsl@")


def signed_in(client: SchoolClient, member: Staff, *, second_factor: bool = False) -> SchoolClient:
    """Sign in; with ``second_factor`` the session is verified the way django-otp does it."""
    client.force_login(member)
    if second_factor:
        device = TOTPDevice.objects.create(user=member, name="Phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def category_ids(*names: str) -> list[str]:
    return [str(global_id("Category", Category.objects.get(name=n).pk)) for n in names]


def gid(type_name: str, pk: int) -> str:
    return str(global_id(type_name, pk))
