"""Readiness checks: can this process serve requests right now?

Each check answers within a few seconds (short connect and read timeouts), so a stalled
dependency makes the pod unready instead of tying up the probe and a web worker. The checks
name only the kind of dependency that failed, never a host, a school or an error text.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, cast

import boto3
import redis
from botocore.config import Config
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2


def database_ready() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return bool(row == (1,))


def redis_ready() -> bool:
    # The cache and the Celery broker may be different servers; both must answer.
    urls = {settings.REDIS_URL, settings.CELERY_BROKER_URL}
    for url in urls:
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
            socket_timeout=CHECK_TIMEOUT_SECONDS,
        )
        try:
            if not client.ping():
                return False
        finally:
            client.close()
    return True


@functools.cache
def _s3_client(endpoint_url: str, access_key: str, secret_key: str, region: str) -> Any:
    # Creating a boto3 client costs tens of milliseconds; clients are thread-safe.
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=region,
        config=Config(
            connect_timeout=CHECK_TIMEOUT_SECONDS,
            read_timeout=CHECK_TIMEOUT_SECONDS,
            retries={"max_attempts": 1, "mode": "standard"},
            s3={"addressing_style": settings.AWS_S3_ADDRESSING_STYLE},
        ),
    )


def storage_ready() -> bool:
    client = _s3_client(
        settings.AWS_S3_ENDPOINT_URL,
        settings.AWS_ACCESS_KEY_ID,
        settings.AWS_SECRET_ACCESS_KEY,
        settings.AWS_S3_REGION_NAME,
    )
    client.head_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
    return True


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_ready,
    "redis": redis_ready,
    "storage": storage_ready,
}


def readiness_failures() -> list[str]:
    """The names of the dependencies that do not answer (empty when ready)."""
    failed = []
    for name, check in CHECKS.items():
        try:
            ready = check()
        except Exception:
            # The detail goes to the log (and Sentry), never into the probe's answer.
            logger.warning("readiness check %s failed", name, exc_info=True)
            ready = False
        if not ready:
            failed.append(name)
    return failed


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


class HealthProbeMiddleware:
    """Answers ``/healthz`` and ``/readyz`` before the school is looked up.

    Probes come from the kubelet and load balancers with the pod's address as Host, over plain
    HTTP, and must keep answering while the database is down (liveness must not restart every
    pod because PostgreSQL fails over). So they are served ahead of the tenant lookup, the
    allowed-hosts check and the HTTPS redirect, with the same answer on every host.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes: dict[str, Callable[[HttpRequest], HttpResponse]] = {
            "/healthz": healthz,
            "/readyz": readyz,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        if probe is not None:
            # The thread's connection may still point at the last request's school; a probe
            # belongs to none (and its log lines should not name one).
            cast(Any, connection).set_schema_to_public()
            return probe(request)
        return self.get_response(request)
