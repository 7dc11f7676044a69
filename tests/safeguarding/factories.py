"""Factories for the records of a school (call inside the school's schema)."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
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
from safeguarding.services.authentication import REAUTHENTICATED_AT_KEY
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


def _phone(member: Staff) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=member, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=member, name="Phone", confirmed=True)


def signed_in(
    client: SchoolClient,
    member: Staff,
    *,
    second_factor: bool = False,
    reauthenticated: bool = False,
) -> SchoolClient:
    """Sign in; with ``second_factor`` the session is verified the way django-otp does it,
    with ``reauthenticated`` the password counts as entered just now (as after signing in)."""
    client.force_login(member)
    session = client.session
    if second_factor:
        session[DEVICE_ID_SESSION_KEY] = _phone(member).persistent_id
    if reauthenticated:
        session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()
    session.save()
    return client


def signed_in_admin(client: SchoolClient, member: Staff) -> SchoolClient:
    """A school admin as they are right after signing in: second factor passed, password
    entered a moment ago, so every admin action (key access changes too) is open to them."""
    return signed_in(client, member, second_factor=True, reauthenticated=True)


def admin_request(
    member: Staff, *, second_factor: bool = True, reauthenticated: bool = True
) -> HttpRequest:
    """A request from ``member``'s session, for calling admin services directly: a real
    session, verified by django-otp's own middleware when ``second_factor``."""
    request = RequestFactory().post("/graphql")
    request.session = SessionStore()
    if second_factor:
        request.session[DEVICE_ID_SESSION_KEY] = _phone(member).persistent_id
    if reauthenticated:
        request.session[REAUTHENTICATED_AT_KEY] = timezone.now().timestamp()
    request.user = member
    OTPMiddleware(lambda request: None)(request)
    return request


def category_ids(*names: str) -> list[str]:
    return [str(global_id("Category", Category.objects.get(name=n).pk)) for n in names]


def gid(type_name: str, pk: int) -> str:
    return str(global_id(type_name, pk))
