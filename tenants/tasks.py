"""Enqueueing tasks so that they run in the right school's schema."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import connection, transaction


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Send ``task`` after the current transaction commits, in the current school's schema.

    ``on_commit`` callbacks may run after the ``with school:`` block that registered them has
    ended, when the connection is back on ``public``; so the schema is captured now and passed
    explicitly in the header tenant-schemas-celery reads.
    """
    schema_name = connection.schema_name
    # robust: the data is already committed, so a broker outage must not turn the request into
    # an error; work that must not be lost keeps an outbox row that a sweeper re-enqueues.
    transaction.on_commit(
        lambda: task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema_name}),
        robust=True,
    )


@shared_task(name="tenants.current_school")
def current_school() -> dict[str, str]:
    """Report the schema and school a worker runs a task in (health checks, tests)."""
    school = getattr(connection, "tenant", None)
    return {"schema": connection.schema_name, "school": getattr(school, "name", "")}
