"""Prometheus metrics.

- ``haven_http_request_duration_seconds``: web request latency by method, route and status,
  recorded in every gunicorn worker (prometheus-client's multiprocess mode when
  ``PROMETHEUS_MULTIPROC_DIR`` is set) and served by the gunicorn master on
  ``HAVEN_METRICS_PORT`` (see platform/config/gunicorn.py), never on the public web port.
- ``haven_celery_queue_depth`` and ``haven_outbox_backlog``: read on each scrape by
  ``manage.py serve_metrics``, which runs once per deployment (beside beat), so the numbers
  are not multiplied by the number of web pods.

Labels never name a school: the scrape target is internal, but school names are not the
monitoring system's business and the label set stays small.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "haven_http_request_duration_seconds",
    "Time from the first middleware to the response, by route.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
# Kombu's Redis transport keeps one list per queue and priority step ("\x06\x16" separator);
# the default steps are 0, 3, 6, 9, and step 0 is the plain queue name.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        # The URL pattern, not the path: ids in paths must not become label values.
        route = match.route if match is not None else "unmatched"
        REQUEST_LATENCY.labels(request.method or "", route, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


class CeleryQueueDepthCollector(Collector):
    """Messages waiting in each Celery queue on the Redis broker."""

    def __init__(self, *, broker_url: str, queues: Iterable[str]) -> None:
        self.broker_url = broker_url
        self.queues = [queue for queue in queues if queue]

    def depths(self) -> dict[str, int]:
        import redis

        client = redis.Redis.from_url(self.broker_url, socket_connect_timeout=2, socket_timeout=2)
        try:
            result = {}
            for queue in self.queues:
                names = [queue] + [f"{queue}{_PRIORITY_SEPARATOR}{s}" for s in _PRIORITY_STEPS]
                result[queue] = sum(int(client.llen(name)) for name in names)
            return result
        finally:
            client.close()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "haven_celery_queue_depth", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        try:
            depths = self.depths()
        except Exception:
            logger.warning("cannot read the Celery queue depth", exc_info=True)
            return
        for queue, depth in depths.items():
            family.add_metric([queue], depth)
        yield family


class OutboxBacklogCollector(Collector):
    """Outbox rows not yet delivered, summed over every school.

    ``models`` maps a model label to the lookup that selects waiting rows, e.g.
    ``{"notifications.AlertEmail": {"sent_at__isnull": True}}`` (settings
    ``METRICS_OUTBOX_BACKLOG``).
    """

    def __init__(self, *, models: dict[str, dict[str, Any]]) -> None:
        self.models = models

    def backlog(self) -> dict[str, int]:
        from django.apps import apps
        from django_tenants.utils import get_public_schema_name, schema_context

        from tenants.models import School

        totals = dict.fromkeys(self.models, 0)
        schemas = list(
            School.objects.exclude(schema_name=get_public_schema_name()).values_list(
                "schema_name", flat=True
            )
        )
        for schema in schemas:
            with schema_context(schema):
                for label, lookup in self.models.items():
                    model = apps.get_model(label)
                    totals[label] += model._default_manager.filter(**lookup).count()
        return totals

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "haven_outbox_backlog",
            "Outbox rows waiting for delivery, over all schools.",
            labels=["outbox"],
        )
        try:
            backlog = self.backlog()
        except Exception:
            logger.warning("cannot count the outbox backlog", exc_info=True)
            return
        for label, count in backlog.items():
            family.add_metric([label], count)
        yield family
