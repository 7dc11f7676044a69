"""Tasks run in the schema of the school that sent them, through real Redis and a real worker."""

from __future__ import annotations

import subprocess
from typing import Any

from celery.result import AsyncResult

from config.celery import app
from tenants.models import School
from tenants.schemas import current_schema_name, use_public_schema
from tenants.tasks import enqueue_on_commit, report_school


def _result(task_id: str) -> Any:
    return AsyncResult(task_id, app=app).get(timeout=30)


def test_task_runs_in_the_sending_schools_schema(
    celery_worker_process: subprocess.Popen[bytes], school_a: School, school_b: School
) -> None:
    sent_from_a = report_school.delay()
    with school_b:
        sent_from_b = report_school.delay()
    assert sent_from_a.get(timeout=30) == {"schema": "alpha", "school": "Alpha Academy"}
    assert sent_from_b.get(timeout=30) == {"schema": "beta", "school": "Beta High School"}


def test_on_commit_enqueue_after_leaving_the_school_keeps_its_schema(
    celery_worker_process: subprocess.Popen[bytes],
    school_b: School,
    django_capture_on_commit_callbacks: Any,
) -> None:
    school_a = School.objects.get(schema_name="alpha")
    use_public_schema()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with school_a:
            from_a = enqueue_on_commit(report_school)
        with school_b:
            from_b = enqueue_on_commit(report_school)
        # Callbacks run here, after both school contexts ended: the connection is public.
        assert current_schema_name() == "public"
    assert len(callbacks) == 2
    assert _result(from_a) == {"schema": "alpha", "school": "Alpha Academy"}
    assert _result(from_b) == {"schema": "beta", "school": "Beta High School"}
