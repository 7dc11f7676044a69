"""Committed records for the record-reading screens: a pupil, an incident about her with an
action, a member of staff without key access alerted to it, and signed-in sessions.

The server process reads the database, so these rows are committed (outside Playwright, as
conftest.py explains). They stay in the test database: audit rows protect records that were
read, which is the point of an audit log; names and addresses are unique per run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from graphql_api.ids import global_id
from safeguarding.models import Category, Pupil, Staff
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.incidents import IncidentSpec, MarkerSpec, incident_create
from tenants.models import School
from tests.conftest import ALPHA
from tests.safeguarding import factories as f

INCIDENT_TEXT = (
    "Mr Greenwood was spotted outside of the school gates at the end of the school day. "
    "Hannah Greenwood did not see him."
)
# The emoji takes two UTF-16 units: Hide Names must still star exactly the name after it.
ACTION_TEXT = "Phoned \N{TELEPHONE RECEIVER} Hannah Greenwood's mother to let her know."


@dataclass(frozen=True)
class RecordViewsData:
    incident_id: str
    student_id: str
    author_name: str
    #: A teacher without key access, alerted to the incident.
    teacher_session: str
    #: The school's DSL, a key holder whose session has passed the second factor.
    key_holder_session: str


def _session_for(staff: Staff, *, second_factor: bool = False) -> str:
    client = Client()
    client.force_login(staff)
    if second_factor:
        device = TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.fixture(scope="module")
def record_views_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[RecordViewsData]:
    run = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        school = School.objects.get(schema_name=ALPHA.subdomain)
        with school:
            hannah = Pupil.objects.create(
                mis_id=f"RV-{run}",
                legal_first_name="Hannah",
                legal_last_name="Greenwood",
                tutor_group=f.tutor_group("1B", "Year 1"),
                year_group=f.tutor_group("1B", "Year 1").year_group,
            )
            teacher = Staff.objects.create_user(
                email=f"nina.parker.{run}@alpha.example",
                first_name="Nina",
                last_name="Parker",
                job_title="Teacher",
            )
            dsl = f.dsl()
            author = Actor(dsl, key_access=True)
            categories = [
                Category.objects.get(name=name).pk for name in ("Child Protection", "Home Issues")
            ]
            incident = incident_create(
                actor=author,
                spec=IncidentSpec(
                    pupil_id=hannah.pk,
                    text=INCIDENT_TEXT,
                    category_ids=categories,
                    alert_staff_ids=[teacher.pk],
                    markers=[MarkerSpec("front", 0.3, 0.3, 1, "Bruise on the left arm")],
                ),
            )
            action_create(actor=author, spec=ActionSpec(incident_id=incident.pk, text=ACTION_TEXT))
            sessions = [_session_for(teacher), _session_for(dsl, second_factor=True)]
            data = RecordViewsData(
                incident_id=str(global_id("Incident", incident.pk)),
                student_id=str(global_id("Student", hannah.pk)),
                author_name=dsl.full_name,
                teacher_session=sessions[0],
                key_holder_session=sessions[1],
            )
    yield data
    with django_db_blocker.unblock(), school:
        Session.objects.filter(session_key__in=sessions).delete()
