"""Requests to a suspended school stop here: no login, no API, no records."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tenants.models import School


class SchoolStatusMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        school = getattr(connection, "tenant", None)
        if isinstance(school, School) and school.status == School.Status.SUSPENDED:
            body = render_to_string("tenants/suspended.html", {"school": school})
            return HttpResponse(body, status=503, headers={"Retry-After": "3600"})
        return self.get_response(request)
