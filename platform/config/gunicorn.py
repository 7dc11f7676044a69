"""gunicorn settings for the web process: ``gunicorn -c python:config.gunicorn config.wsgi``.

Sync workers on purpose: django-tenants keeps the school's schema on the thread's database
connection, so one request per worker thread at a time is the model that is known correct.
Scale with more workers per pod (``WEB_CONCURRENCY``, read by gunicorn itself) and more pods.

Every setting can be overridden from the environment (``GUNICORN_CMD_ARGS`` too).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

# Every interface: in a container the pod's address is the only way in.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104
bind = [f"{os.environ.get('HAVEN_WEB_ADDRESS', ALL_INTERFACES)}:{os.environ.get('PORT', '8000')}"]
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request longer than this is killed and the worker replaced; GraphQL limits keep real
# requests far below it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# Longer than the load balancer's idle timeout, so the balancer closes idle connections first.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The heartbeat files live in memory (the container's own /dev/shm), which also works with a
# read-only root filesystem.
_SHARED_MEMORY = Path("/dev/shm")  # noqa: S108
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR", str(_SHARED_MEMORY) if _SHARED_MEMORY.is_dir() else None
)

# Which peers may set X-Forwarded-Proto (and so make Django see https): only the ingress
# controller's pod range (comma-separated addresses or CIDRs; the chart sets it from
# trustedProxies, as it does HAVEN_TRUSTED_PROXIES, which names the client's address).
# The Host header is never taken from a forwarded header (settings.USE_X_FORWARDED_HOST is
# off), because the Host chooses the school.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The control socket (gunicornc) would be written under $HOME, which is read-only in the
# container; the pod is managed by Kubernetes signals instead.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("HAVEN_LOG_LEVEL", "info").lower()
# No query string in the access log: it may carry search terms.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server: Any) -> None:
    # Files left by a previous run would be added to this run's counters.
    if _metrics_dir:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
        Path(_metrics_dir).mkdir(parents=True, exist_ok=True)


def when_ready(server: Any) -> None:
    if not _metrics_dir:
        return
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    port = int(os.environ.get("HAVEN_METRICS_PORT", "9100"))
    start_http_server(
        port, addr=os.environ.get("HAVEN_METRICS_ADDRESS", ALL_INTERFACES), registry=registry
    )
    server.log.info("Serving metrics on port %s", port)


def child_exit(server: Any, worker: Any) -> None:
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
