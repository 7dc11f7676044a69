from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from tenants.health import readiness_failures
from tenants.schemas import current_school


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Says nothing about which schools exist."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database, Redis and S3 answer. The same answer on every host, naming
    only the kind of dependency that failed."""
    failed = readiness_failures()
    if failed:
        return HttpResponse(
            "unavailable: " + ", ".join(failed), status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@ensure_csrf_cookie
def school_home(request: HttpRequest) -> HttpResponse:
    response = render(request, "tenants/school_home.html", {"school": current_school()})
    # The page shell is never cached: it names who is signed in.
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def platform_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/platform_home.html")
