"""The image's commands (web, worker, beat, metrics, migrate) work with the arguments the
Dockerfile and the chart give them."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from config import observability
from config.celery import app
from tests.infra.conftest import (
    Running,
    answers,
    entrypoint_env,
    free_port,
    http_get,
    start,
    wait_for,
)

ALPHA_HOST = f"alpha.{settings.BASE_DOMAIN}"
# pytest-django creates the test database only for sessions with a test that asks for it;
# the processes started here use that database (committed schools, no test transaction).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def web(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """gunicorn as in production: HTTPS redirect on, JSON logs, metrics in multiprocess mode."""
    directory = tmp_path_factory.mktemp("web")
    port, metrics_port = free_port(), free_port()
    env = entrypoint_env(
        PORT=str(port),
        HAVEN_WEB_ADDRESS="127.0.0.1",
        HAVEN_METRICS_PORT=str(metrics_port),
        HAVEN_METRICS_ADDRESS="127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(directory / "metrics"),
        WEB_CONCURRENCY="2",
        HAVEN_SSL_REDIRECT="1",
        HAVEN_LOG_FORMAT="json",
    )
    running = start(["web"], env, directory / "web.log")
    running.port, running.metrics_port = port, metrics_port
    wait_for(running, lambda: answers(f"http://127.0.0.1:{port}/healthz"), "gunicorn answering")
    yield running
    assert running.stop() == 0, running.output()[-4000:]


def _url(web: Running, path: str) -> str:
    return f"http://127.0.0.1:{web.port}{path}"


def test_web_serves_probes_on_the_pod_address(web: Running) -> None:
    assert http_get(_url(web, "/healthz"))[::2] == (200, "ok")
    assert http_get(_url(web, "/readyz"))[::2] == (200, "ok")


def test_web_serves_a_school_over_https_from_the_trusted_proxy(web: Running) -> None:
    # Plain HTTP is sent to HTTPS ...
    status, headers, _ = http_get(_url(web, "/"), {"Host": ALPHA_HOST})
    assert status == 301
    assert headers["Location"] == f"https://{ALPHA_HOST}/"
    # ... and a request the ingress forwarded as HTTPS is served, with secure cookies.
    status, headers, body = http_get(
        _url(web, "/"), {"Host": ALPHA_HOST, "X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert "Alpha Academy" in body
    assert "__Host-csrftoken" in headers["Set-Cookie"]
    assert "Secure" in headers["Set-Cookie"]


def test_web_logs_json_lines_with_the_request_id(web: Running) -> None:
    request_id = uuid.uuid4().hex
    status, headers, _ = http_get(
        _url(web, "/nowhere"),
        {"Host": ALPHA_HOST, "X-Forwarded-Proto": "https", "X-Request-ID": request_id},
    )
    assert status == 404
    assert headers["X-Request-ID"] == request_id
    deadline = time.monotonic() + 10
    records: list[dict[str, object]] = []
    while time.monotonic() < deadline and not records:
        records = [
            json.loads(line)
            for line in web.output().splitlines()
            if line.startswith("{") and request_id in line
        ]
        time.sleep(0.1)
    assert records, web.output()[-3000:]
    assert records[0]["school"] == "alpha"
    assert records[0]["level"] == "WARNING"
    assert records[0]["message"] == "Not Found: /nowhere"


def test_web_metrics_count_requests_by_route_on_the_metrics_port_only(web: Running) -> None:
    for _ in range(3):
        http_get(_url(web, "/graphql"), {"Host": ALPHA_HOST, "X-Forwarded-Proto": "https"})
    status, _, body = http_get(f"http://127.0.0.1:{web.metrics_port}/metrics")
    assert status == 200
    samples = [
        line
        for line in body.splitlines()
        if line.startswith("haven_http_request_duration_seconds_count")
        and 'route="graphql"' in line
    ]
    assert samples, body[:2000]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in samples) >= 3
    # The public port has no metrics page.
    assert http_get(_url(web, "/metrics"), {"Host": ALPHA_HOST})[0] != 200


def test_web_stays_alive_but_unready_without_its_database(
    django_db_setup: None, tmp_path: Path
) -> None:
    port = free_port()
    env = entrypoint_env(
        PORT=str(port),
        HAVEN_WEB_ADDRESS="127.0.0.1",
        WEB_CONCURRENCY="1",
        DATABASE_URL="postgres://haven@127.0.0.1:1/haven",
    )
    env.pop("HAVEN_DATABASE_NAME")
    running = start(["web"], env, tmp_path / "web.log")
    try:
        wait_for(running, lambda: answers(f"http://127.0.0.1:{port}/healthz"), "gunicorn")
        assert http_get(f"http://127.0.0.1:{port}/healthz")[::2] == (200, "ok")
        assert http_get(f"http://127.0.0.1:{port}/readyz")[::2] == (503, "unavailable: database")
    finally:
        running.stop()


def test_worker_runs_tasks_in_the_schools_schema(django_db_setup: None, tmp_path: Path) -> None:
    queue = f"entrypoint-{uuid.uuid4().hex[:8]}"
    running = start(
        ["worker", "--queues", queue, "--hostname", f"{queue}@%h"],
        entrypoint_env(CELERY_CONCURRENCY="1", HAVEN_LOG_FORMAT="json"),
        tmp_path / "worker.log",
    )
    request_id = uuid.uuid4().hex
    token = observability._request_id.set(request_id)
    try:
        # Sent as if from a request: the request's id travels with the task.
        result = app.send_task(
            "tenants.report_school", queue=queue, headers={"_schema_name": "alpha"}
        )
        observability._request_id.reset(token)
        assert result.get(timeout=90) == {"schema": "alpha", "school": "Alpha Academy"}
        # The worker's log line for the task names the school it ran in.
        wait_for(running, lambda: "succeeded" in running.output(), "the task's log line")
        [line] = [
            json.loads(line)
            for line in running.output().splitlines()
            if line.startswith("{") and result.id in line and "succeeded" in line
        ]
        assert line["school"] == "alpha"
        assert line["request_id"] == request_id
    finally:
        # Warm shutdown: a worker stopped by Kubernetes finishes its task and exits cleanly.
        assert running.stop() == 0, running.output()[-4000:]


def test_beat_starts_and_stops_cleanly(django_db_setup: None, tmp_path: Path) -> None:
    schedule = tmp_path / "celerybeat-schedule"
    running = start(
        ["beat"], entrypoint_env(CELERY_BEAT_SCHEDULE_FILE=str(schedule)), tmp_path / "beat.log"
    )
    try:
        wait_for(running, lambda: "beat: Starting..." in running.output(), "beat starting")
        wait_for(running, lambda: any(tmp_path.glob("celerybeat-schedule*")), "schedule file")
    finally:
        assert running.stop() == 0, running.output()[-4000:]


def test_metrics_command_reports_the_queue_depth(django_db_setup: None, tmp_path: Path) -> None:
    port = free_port()
    running = start(
        ["metrics", "--port", str(port), "--address", "127.0.0.1"],
        entrypoint_env(HAVEN_METRICS_CELERY_QUEUES="celery,entrypoint-metrics"),
        tmp_path / "metrics.log",
    )
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        wait_for(running, lambda: answers(url), "metrics answering")
        body = http_get(url)[2]
        assert 'haven_celery_queue_depth{queue="entrypoint-metrics"} 0.0' in body
        app.send_task("tenants.report_school", queue="entrypoint-metrics")
        body = http_get(url)[2]
        assert 'haven_celery_queue_depth{queue="entrypoint-metrics"} 1.0' in body
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge("entrypoint-metrics")
        assert running.stop() == 0, running.output()[-4000:]


def test_migrate_builds_a_new_database_and_migrates_every_school(tmp_path: Path) -> None:
    name = f"haven_entrypoint_{uuid.uuid4().hex[:8]}"
    # Django's own connection parameters: with the embedded server the socket directory is
    # an option, not HOST.
    server = {k: v for k, v in connection.get_connection_params().items() if k != "dbname"}
    server.pop("cursor_factory", None)
    server.pop("context", None)
    admin = psycopg.connect(**server, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = entrypoint_env()
        env["HAVEN_DATABASE_NAME"] = name
        first = _run(["migrate"], env, tmp_path / "migrate-1.log")
        assert first.stop() == 0, first.output()[-4000:]
        created = _run(
            [
                "manage",
                "create_school",
                "--name",
                "Gamma School",
                "--subdomain",
                "gamma",
                "--urn",
                "100003",
                "--dsl-email",
                "dsl@gamma.example",
            ],
            env,
            tmp_path / "create.log",
        )
        assert created.stop() == 0, created.output()[-4000:]
        # A second run (the next release's pre-upgrade job) finds the school and is a no-op.
        again = _run(["migrate"], env, tmp_path / "migrate-2.log")
        assert again.stop() == 0, again.output()[-4000:]
        assert "gamma" in again.output()
        with psycopg.connect(**server, dbname=name) as check:
            applied = check.execute(
                "SELECT count(*) FROM gamma.django_migrations WHERE app = 'safeguarding'"
            ).fetchone()
        assert applied is not None
        assert applied[0] >= 1
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def _run(arguments: list[str], env: dict[str, str], log: Path) -> Running:
    running = start(arguments, env, log)
    running.process.wait(timeout=300)
    return running
