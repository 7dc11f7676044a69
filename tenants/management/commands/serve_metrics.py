"""python manage.py serve_metrics [--port 9100]: Celery queue depth and outbox backlog for
Prometheus. Run exactly one (the chart puts it beside beat)."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from prometheus_client import CollectorRegistry, start_http_server

from tenants.metrics import CeleryQueueDepthCollector, OutboxBacklogCollector


class Command(BaseCommand):
    help = "Serve the Celery queue depth and the outbox backlog as Prometheus metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("HAVEN_METRICS_PORT", "9100"))
        )
        # Every interface: Prometheus scrapes the pod's address.
        parser.add_argument(
            "--address",
            default=os.environ.get("HAVEN_METRICS_ADDRESS", "0.0.0.0"),  # noqa: S104
        )

    def handle(self, *args: Any, **options: Any) -> None:
        registry = CollectorRegistry()
        registry.register(
            CeleryQueueDepthCollector(
                broker_url=settings.CELERY_BROKER_URL, queues=settings.METRICS_CELERY_QUEUES
            )
        )
        registry.register(OutboxBacklogCollector(models=settings.METRICS_OUTBOX_BACKLOG))
        server, thread = start_http_server(
            options["port"], addr=options["address"], registry=registry
        )
        self.stdout.write(f"Serving metrics on port {server.server_port}", ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
        stop.wait()
        server.shutdown()
        thread.join(timeout=5)
