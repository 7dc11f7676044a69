from __future__ import annotations

import strawberry

from safeguarding.models import Staff
from safeguarding.permissions import Actor
from safeguarding.selectors.second_factors import must_enrol_second_factor


@strawberry.type(name="Me", description="The signed-in member of staff.")
class MeType:
    email: str = strawberry.field(description="Login and alert e-mail address.")
    first_name: str = strawberry.field(description="First name.")
    last_name: str = strawberry.field(description="Last name.")
    full_name: str = strawberry.field(description="First and last name, as shown to colleagues.")
    job_title: str = strawberry.field(description="Job title.")
    is_key_holder: bool = strawberry.field(description="Whether this person has key access.")
    is_school_admin: bool = strawberry.field(description="Whether this person is a school admin.")
    second_factor_passed: bool = strawberry.field(
        description="Whether this session passed the second factor; key access needs it."
    )
    has_key_access: bool = strawberry.field(
        description="Whether key access is effective now: a key holder whose session passed "
        "the second factor. Screens for key holders use this, not the two flags above."
    )
    must_enrol_second_factor: bool = strawberry.field(
        description="A key holder or school admin without an authenticator app or security "
        "key: lead them to enrol one, since key access and admin actions need it."
    )
    access_level: str | None = strawberry.field(
        description="Name of this person's access level, e.g. Pastoral; null if none."
    )

    @classmethod
    def from_model(cls, staff: Staff, *, second_factor_passed: bool = False) -> MeType:
        return cls(
            email=staff.email,
            first_name=staff.first_name,
            last_name=staff.last_name,
            full_name=staff.full_name,
            job_title=staff.job_title,
            is_key_holder=staff.is_key_holder,
            is_school_admin=staff.is_school_admin,
            second_factor_passed=second_factor_passed,
            # The rule lives in Actor, as for every access decision.
            has_key_access=Actor(staff, key_access=second_factor_passed).key_access,
            must_enrol_second_factor=must_enrol_second_factor(staff=staff),
            access_level=staff.access_level.name if staff.access_level else None,
        )
