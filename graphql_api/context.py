"""The typed context every resolver receives: who is asking, at which school."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from strawberry.django.context import StrawberryDjangoContext
from strawberry.types import Info as StrawberryInfo

from safeguarding.models import ApiClient, Staff
from safeguarding.permissions import SessionAssurance
from safeguarding.services.authentication import session_assurance, session_second_factor_passed
from tenants.models import School
from tenants.schemas import current_school

__all__ = ["HavenContext", "Info", "current_school"]


@dataclass
class HavenContext(StrawberryDjangoContext):
    school: School | None = None
    # Set when the request carried a valid bearer token; such a request is never also staff.
    api_client: ApiClient | None = None

    @property
    def staff(self) -> Staff | None:
        """The signed-in, active member of staff, or None."""
        if self.api_client is not None:
            return None
        user = getattr(self.request, "user", None)
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return None
        return user if isinstance(user, Staff) and user.is_active else None

    @property
    def second_factor_passed(self) -> bool:
        """Whether this session passed the second factor (django-otp's is_verified)."""
        return session_second_factor_passed(self.request)

    @property
    def session_assurance(self) -> SessionAssurance:
        """Second factor passed, password entered recently: what admin actions depend on."""
        return session_assurance(self.request)

    @property
    def key_access(self) -> bool:
        """Key access is effective only for a key holder whose session passed 2FA."""
        staff = self.staff
        return bool(staff is not None and staff.is_key_holder and self.second_factor_passed)


Info = StrawberryInfo[HavenContext, None]
