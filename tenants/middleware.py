"""Which school a request is for, and stopping requests to a suspended school."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.models import Domain, School
from tenants.schemas import current_school


class SchoolStatusMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        school = current_school()
        if school is not None and school.status == School.Status.SUSPENDED:
            body = render_to_string("tenants/suspended.html", {"school": school}, request=request)
            return HttpResponse(body, status=503, headers={"Retry-After": "3600"})
        return self.get_response(request)


class SchoolTenantMiddleware(TenantMainMiddleware):  # type: ignore[misc]
    """Host → school resolution (django-tenants), with the lookup cached in-process briefly.

    Without the cache every request pays a public-schema query before its own work. The
    cache lives for ``HAVEN_TENANT_CACHE_SECONDS`` (default 5): a suspension made in another
    process takes effect within that time; one made in this process at once (see signals).
    """

    _resolved: ClassVar[dict[str, tuple[float, School]]] = {}

    def get_tenant(self, domain_model: type[Domain], hostname: str) -> School:
        now = time.monotonic()
        cached = self._resolved.get(hostname)
        if cached is not None and cached[0] > now:
            return cached[1]
        school: School = super().get_tenant(domain_model, hostname)
        self._resolved[hostname] = (now + settings.HAVEN_TENANT_CACHE_SECONDS, school)
        return school

    @classmethod
    def forget(cls) -> None:
        cls._resolved.clear()


@receiver(post_save, sender=School)
@receiver(post_delete, sender=School)
@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def _forget_resolved_schools(**kwargs: object) -> None:
    SchoolTenantMiddleware.forget()
