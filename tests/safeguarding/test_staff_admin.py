"""School admins manage staff: invitations, changes, deactivation, and the last-admin rule."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from notifications.models import EmailDelivery
from safeguarding.models import AccessLevel, AlertGroup, AuditEvent, Category, Staff
from safeguarding.permissions import Actor
from safeguarding.services.errors import ServiceError
from safeguarding.services.incidents import IncidentSpec, incident_create
from safeguarding.services.staff import (
    LAST_ADMIN,
    StaffSpec,
    staff_deactivate,
    staff_invitation_resend,
    staff_invite,
    staff_reactivate,
    staff_update,
)
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import login, me, staff_create
from tests.safeguarding import factories as f


def _codes(error: pytest.ExceptionInfo[ServiceError]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for item in error.value.errors:
        codes.setdefault(item.field, []).append(item.code)
    return codes


def _invite(email: str = "New.Teacher@Alpha.example", **fields: object) -> Staff:
    spec = StaffSpec(
        email=email,
        first_name="Nia",
        last_name="Newton",
        job_title="Teacher",
        access_level_id=AccessLevel.objects.get(name="Pastoral").pk,
        access_level_set=True,
        is_key_holder=True,
        alert_group_ids=[AlertGroup.objects.get(name="Teachers").pk],
        **fields,  # type: ignore[arg-type]
    )
    return staff_invite(actor=f.dsl(), request=f.admin_request(f.dsl()), spec=spec)


def test_invited_staff_get_the_first_time_link_and_have_no_password(school_a: School) -> None:
    staff = _invite()
    assert staff.email == "new.teacher@alpha.example"
    assert not staff.has_usable_password()
    assert staff.access_level is not None
    assert staff.access_level.name == "Pastoral"
    assert [g.name for g in staff.alert_groups.all()] == ["Teachers"]
    delivery = EmailDelivery.objects.get(recipient=staff)
    assert delivery.kind == EmailDelivery.Kind.INVITATION
    assert delivery.to_address == "new.teacher@alpha.example"
    assert "/set-password/" in delivery.link
    changes = AuditEvent.objects.get(action="staff.invited").detail["changes"]
    assert changes["email"] == [None, "new.teacher@alpha.example"]
    assert changes["access_level"] == [None, "Pastoral"]

    staff_invitation_resend(actor=f.dsl(), request=f.admin_request(f.dsl()), staff_id=staff.pk)
    assert EmailDelivery.objects.filter(recipient=staff, kind="invitation").count() == 2


def test_resend_refused_once_they_set_a_password(school_a: School) -> None:
    staff = _invite()
    staff.set_password("a long and private passphrase")
    staff.save()
    with pytest.raises(ServiceError) as error:
        staff_invitation_resend(actor=f.dsl(), request=f.admin_request(f.dsl()), staff_id=staff.pk)
    assert _codes(error) == {"": ["already_accepted"]}


def test_email_is_unique_whatever_the_capitals(school_a: School) -> None:
    _invite()
    with pytest.raises(ServiceError) as error:
        _invite("NEW.TEACHER@alpha.example")
    assert _codes(error) == {"email": ["unique"]}
    other = f.staff("Oscar", "Other")
    with pytest.raises(ServiceError) as error:
        staff_update(
            actor=f.dsl(),
            request=f.admin_request(f.dsl()),
            staff_id=other.pk,
            spec=StaffSpec(email="New.Teacher@alpha.EXAMPLE"),
        )
    assert _codes(error) == {"email": ["unique"]}
    with pytest.raises(ServiceError) as error:
        _invite("not an address")
    assert _codes(error) == {"email": ["invalid"]}


def test_update_changes_every_field_and_audits_from_to(school_a: School) -> None:
    staff = _invite()
    staff_update(
        actor=f.dsl(),
        request=f.admin_request(f.dsl()),
        staff_id=staff.pk,
        spec=StaffSpec(
            first_name="Nina",
            job_title="Head of Year 7",
            access_level_id=None,
            access_level_set=True,
            is_school_admin=True,
            alert_group_ids=[AlertGroup.objects.get(name="SLT").pk],
        ),
    )
    staff.refresh_from_db()
    assert (staff.first_name, staff.job_title, staff.access_level, staff.is_school_admin) == (
        "Nina",
        "Head of Year 7",
        None,
        True,
    )
    changes = AuditEvent.objects.get(action="staff.updated").detail["changes"]
    assert changes == {
        "first_name": ["Nia", "Nina"],
        "job_title": ["Teacher", "Head of Year 7"],
        "access_level": ["Pastoral", None],
        "is_school_admin": [False, True],
        "alert_groups": [["Teachers"], ["SLT"]],
    }


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (StaffSpec(is_school_admin=False), "isSchoolAdmin"),
        (StaffSpec(is_key_holder=False), "isKeyHolder"),
    ],
)
def test_last_admin_cannot_be_demoted(school_a: School, spec: StaffSpec, field: str) -> None:
    dsl = f.dsl()
    with pytest.raises(ServiceError) as error:
        staff_update(actor=dsl, request=f.admin_request(dsl), staff_id=dsl.pk, spec=spec)
    assert _codes(error) == {field: ["last_admin"]}
    assert [e.message for e in error.value.errors] == [LAST_ADMIN]
    dsl.refresh_from_db()
    assert dsl.is_school_admin
    assert dsl.is_key_holder


def test_last_admin_cannot_be_deactivated_even_by_themselves(school_a: School) -> None:
    dsl = f.dsl()
    with pytest.raises(ServiceError) as error:
        staff_deactivate(actor=dsl, request=f.admin_request(dsl), staff_id=dsl.pk)
    assert _codes(error) == {"": ["last_admin"]}
    dsl.refresh_from_db()
    assert dsl.is_active


def test_admin_without_key_access_does_not_count(school_a: School) -> None:
    f.staff("Ada", "Admin").__class__.objects.filter(first_name="Ada").update(is_school_admin=True)
    dsl = f.dsl()
    with pytest.raises(ServiceError):
        staff_update(
            actor=dsl,
            request=f.admin_request(dsl),
            staff_id=dsl.pk,
            spec=StaffSpec(is_key_holder=False),
        )


def test_with_two_admins_one_may_demote_the_other(school_a: School) -> None:
    second = _invite(is_school_admin=True)
    dsl = f.dsl()
    staff_update(
        actor=second,
        request=f.admin_request(second),
        staff_id=dsl.pk,
        spec=StaffSpec(is_school_admin=False),
    )
    dsl.refresh_from_db()
    assert not dsl.is_school_admin
    # Now the second admin is the last one.
    with pytest.raises(ServiceError):
        staff_deactivate(actor=second, request=f.admin_request(second), staff_id=second.pk)


def test_deactivation_ends_sessions_keeps_records_and_blocks_sign_in(school_a: School) -> None:
    teacher = staff_create(
        "teacher@alpha.example", access_level=AccessLevel.objects.get(name="DSL")
    )
    pupil = f.pupil("Hannah", "Greenwood", "1B")
    incident = incident_create(
        actor=Actor(teacher, key_access=False),
        spec=IncidentSpec(
            pupil_id=pupil.pk,
            text="Concern",
            category_ids=[Category.objects.get(name="Bullying").pk],
        ),
    )
    client = SchoolClient(school_a)
    login(client, "teacher@alpha.example")
    assert me(client) is not None

    staff_deactivate(actor=f.dsl(), request=f.admin_request(f.dsl()), staff_id=teacher.pk)

    assert me(client) is None
    assert login(SchoolClient(school_a), "teacher@alpha.example")["me"] is None
    incident.refresh_from_db()
    assert incident.author.full_name == "Chloe Kelan"
    reader = f.signed_in(SchoolClient(school_a), f.dsl(), second_factor=True)
    result = reader.graphql(
        f'{{ incident(id: "{f.gid("Incident", incident.pk)}") {{ authorName }} }}'
    )
    assert result["data"]["incident"] == {"authorName": "Chloe Kelan"}
    changes = AuditEvent.objects.get(action="staff.deactivated").detail["changes"]
    assert changes == {"is_active": [True, False]}

    staff_reactivate(actor=f.dsl(), request=f.admin_request(f.dsl()), staff_id=teacher.pk)
    assert login(SchoolClient(school_a), "teacher@alpha.example")["me"] is not None


def test_non_admins_cannot_manage_staff(school_a: School) -> None:
    teacher = f.staff("Tina", "Teacher", key_holder=True)
    dsl = f.dsl()
    attempts: list[Callable[[], object]] = [
        lambda: staff_invite(actor=teacher, request=None, spec=StaffSpec(email="x@y.example")),
        lambda: staff_update(
            actor=teacher, request=None, staff_id=teacher.pk, spec=StaffSpec(is_school_admin=True)
        ),
        lambda: staff_deactivate(actor=teacher, request=None, staff_id=dsl.pk),
        lambda: staff_reactivate(actor=teacher, request=None, staff_id=dsl.pk),
        lambda: staff_invitation_resend(actor=teacher, request=None, staff_id=dsl.pk),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as error:
            attempt()
        assert _codes(error) == {"": ["forbidden"]}
    teacher.refresh_from_db()
    assert not teacher.is_school_admin


def test_two_concurrent_demotions_cannot_both_pass(committed_db: None) -> None:
    """Two admins each remove the other's admin flag at the same moment: one must fail.

    Committed for real (two connections must see each other's locks), so in a school of its
    own that is dropped afterwards: the audit log of the shared schools is append-only."""
    from django.db import connection as main_connection

    from safeguarding.services.defaults import school_defaults_install
    from tenants.schools import school_create

    school = school_create(
        defaults_install=school_defaults_install,
        name="Gamma Race School",
        subdomain="gammarace",
        urn="100093",
        dsl_email="dsl@gamma.example",
    )
    try:
        with school:
            dsl = f.dsl()
            second = staff_create(
                "second.admin@gamma.example", is_school_admin=True, is_key_holder=True
            )
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def demote(actor_id: int, target_id: int) -> None:
            try:
                with school:
                    actor = Staff.objects.get(pk=actor_id)
                    request = f.admin_request(actor)
                    barrier.wait(timeout=10)
                    staff_update(
                        actor=actor,
                        request=request,
                        staff_id=target_id,
                        spec=StaffSpec(is_school_admin=False),
                    )
                outcomes.append("ok")
            except ServiceError as error:
                outcomes.append(error.errors[0].message)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=demote, args=(dsl.pk, second.pk)),
            threading.Thread(target=demote, args=(second.pk, dsl.pk)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes) == sorted(["ok", LAST_ADMIN])
        with school:
            assert Staff.objects.filter(is_school_admin=True, is_key_holder=True).count() == 1
    finally:
        with main_connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        school.delete(force_drop=True)
