"""Request-level enforcement of the session rules (see services/staff_sessions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from safeguarding.services.staff_sessions import staff_session_enforce


class StaffSessionMiddleware:
    """Ends idle, over-age and remotely ended sessions before the view sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        staff_session_enforce(request=request)
        return self.get_response(request)
