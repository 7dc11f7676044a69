"""Django's CSRF check, applied by the GraphQL views and by sign-in itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware


def _no_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


_csrf_check = CsrfViewMiddleware(_no_view)


def csrf_token_is_valid(request: HttpRequest) -> bool:
    """Django's own CSRF check, whether or not the request carries cookies (sign-in)."""
    return _csrf_check.process_view(request, _no_view, (), {}) is None


def cookie_csrf_rejection(request: HttpRequest) -> HttpResponseBase | None:
    """CSRF applies to every request that carries cookies, i.e. could ride on a session.

    A request without cookies has no ambient authority to forge, so API clients and plain
    anonymous queries need no token; a browser always sends the session or CSRF cookie.
    """
    if request.method not in {"GET", "HEAD", "OPTIONS"} and request.COOKIES:
        rejected: HttpResponseBase | None = _csrf_check.process_view(request, _no_view, (), {})
        return rejected
    return None
