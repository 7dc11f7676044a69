"""Celery tasks of the e-mail outbox. Thin: the rules live in notifications.services."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from notifications.services.deliveries import (
    SEND_TASK,
    email_deliveries_deliver,
    email_deliveries_sweep_all_schools,
)


@shared_task(
    bind=True,
    name=SEND_TASK,
    ignore_result=True,
    # Each row gives up on its own after HAVEN_EMAIL_MAX_ATTEMPTS, which ends the chain.
    max_retries=None,
)
def email_deliveries_send(self: Task[Any, Any], delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox rows in the school's schema (from the task's header)."""
    outcome = email_deliveries_deliver(delivery_ids=delivery_ids)
    if outcome.retry_in is not None:
        # The delay comes from the rows' own attempt counts (exponential, full jitter).
        raise self.retry(countdown=outcome.retry_in)
    return {"sent": outcome.sent, "failed": outcome.failed}


@shared_task(name="notifications.email_deliveries_sweep", ignore_result=True)
def email_deliveries_sweep() -> dict[str, int]:
    """Celery beat: re-enqueue rows still unsent a few minutes after they were due."""
    return email_deliveries_sweep_all_schools()
