from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tenants.health import readiness_failures


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
def platform_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/platform_home.html")
