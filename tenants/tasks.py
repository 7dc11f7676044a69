"""Enqueueing tasks so that they run in the right school's schema."""

from __future__ import annotations

import uuid
from typing import Any

from celery import Task, shared_task
from celery.canvas import Signature
from django.db import transaction

from tenants.schemas import current_schema_name, current_school


def enqueue_on_commit(task: Task[Any, Any] | Signature[Any], *args: Any, **kwargs: Any) -> str:
    """Send ``task`` (a task, or a signature naming one) after the current transaction commits,
    in the current school's schema.

    ``on_commit`` callbacks may run after the ``with school:`` block that registered them has
    ended, when the connection is back on ``public``; so the schema is captured now and passed
    explicitly in the header tenant-schemas-celery reads. Returns the id the task will have.
    """
    schema_name = current_schema_name()
    task_id = str(uuid.uuid4())
    # robust: the data is already committed, so a broker outage must not turn the request into
    # an error; work that must not be lost keeps an outbox row that a sweeper re-enqueues.
    transaction.on_commit(
        lambda: task.apply_async(
            args=args, kwargs=kwargs, task_id=task_id, headers={"_schema_name": schema_name}
        ),
        robust=True,
    )
    return task_id


@shared_task(name="tenants.report_school")
def report_school() -> dict[str, str]:
    """Report the schema and school a worker runs a task in (health checks, tests)."""
    school = current_school()
    return {"schema": current_schema_name(), "school": school.name if school else ""}
