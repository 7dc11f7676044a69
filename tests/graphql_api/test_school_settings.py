"""The school's own session settings, chosen by a school admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from safeguarding.models import AuditEvent
from tenants.models import School
from tests.conftest import SchoolClient
from tests.graphql_api.accounts import error_codes, login, me, staff_create
from tests.safeguarding import factories as f

UPDATE = """
mutation($m: Int) {
  updateSchoolSettings(sessionIdleMinutes: $m) {
    schoolSettings { sessionIdleMinutes sessionIdleMinutesIsDefault sessionAbsoluteHours }
    errors { field code }
  }
}
"""
READ = "{ schoolSettings { sessionIdleMinutes sessionIdleMinutesIsDefault } }"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _data(client: SchoolClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    result = client.graphql(query, variables)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


def test_admin_shortens_the_idle_limit_for_everyone(school_a: School) -> None:
    school_admin = staff_create("admin@alpha.example", is_school_admin=True)
    staff_create()
    admin, teacher = SchoolClient(school_a), SchoolClient(school_a)
    with time_machine.travel(START, tick=False) as clock:
        f.signed_in_admin(admin, school_admin)
        login(teacher, "teacher@alpha.example")
        assert _data(admin, READ) == {"sessionIdleMinutes": 30, "sessionIdleMinutesIsDefault": True}

        changed = _data(admin, UPDATE, {"m": 10})
        assert changed == {
            "schoolSettings": {
                "sessionIdleMinutes": 10,
                "sessionIdleMinutesIsDefault": False,
                "sessionAbsoluteHours": 12.0,
            },
            "errors": [],
        }
        clock.shift(dt.timedelta(minutes=11))
        assert me(teacher) is None
    assert AuditEvent.objects.filter(action="school_settings.updated").count() == 1


def test_only_admins_change_settings_and_within_bounds(school_a: School) -> None:
    school_admin = staff_create("admin@alpha.example", is_school_admin=True)
    staff_create()
    admin, teacher = SchoolClient(school_a), SchoolClient(school_a)
    f.signed_in_admin(admin, school_admin)
    login(teacher, "teacher@alpha.example")

    assert _data(teacher, READ) is None
    assert error_codes(_data(teacher, UPDATE, {"m": 720})) == ["forbidden"]
    assert [(e["field"], e["code"]) for e in _data(admin, UPDATE, {"m": 2})["errors"]] == [
        ("sessionIdleMinutes", "min_value")
    ]
    assert _data(admin, READ)["sessionIdleMinutes"] == 30
