"""The e-mail outbox: queueing rows in the caller's transaction, delivering them exactly once,
and re-enqueueing rows that a broker or worker outage left behind.

Delivery guarantees (see README.md, "E-mail: alerts that are never lost"):
- A row exists exactly when the transaction that caused it committed.
- A worker sends a row only while it holds the row's lock (SELECT ... FOR UPDATE SKIP LOCKED)
  and marks it sent in the same transaction, after the SMTP server accepted the message. A
  killed worker's transaction rolls back and the row stays pending for the next attempt; a
  second task for the same row finds it locked or sent and sends nothing.
- Temporary failures (connection refused, 4xx) back off exponentially with full jitter;
  permanent ones (5xx) mark the row failed with the server's reason.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from celery import signature
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from notifications.messages import email_message_build
from notifications.models import EmailDelivery, NotificationPreference
from notifications.recipients import Recipient
from tenants.models import School
from tenants.tasks import enqueue_on_commit

#: The task that sends a batch of rows (notifications.tasks). Queued by its name, as the beat
#: schedule queues the sweep: the tasks call these services, never the other way round.
SEND_TASK = "notifications.email_deliveries_send"

logger = logging.getLogger(__name__)

# --- Queueing -------------------------------------------------------------------------------


class AlertEmail(NamedTuple):
    """One alert e-mail to write: who gets it, who sent the alert, its categories, its id."""

    recipient: Recipient
    sender_name: str
    category_names: Sequence[str]
    alert_id: int | None


def alert_emails_queue(
    *, deliveries_for: Iterable[AlertEmail | tuple[Recipient, str, Sequence[str], int | None]]
) -> list[EmailDelivery]:
    """Write one alert e-mail per person, to be sent once the caller's transaction commits.

    Call it inside the transaction that creates the alerts. People who turned alert e-mails
    off, and inactive accounts, get no row (their alert on the dashboard is unaffected); a
    person listed twice for the same alert (by name and through a group) gets one.
    """
    requests = [AlertEmail(*item) for item in deliveries_for]
    opted_out = set(
        NotificationPreference.objects.filter(
            staff__in=[request.recipient.pk for request in requests], alert_emails=False
        ).values_list("staff_id", flat=True)
    )
    seen: set[tuple[int, int | None]] = set()
    rows: list[EmailDelivery] = []
    for request in requests:
        recipient = request.recipient
        key = (recipient.pk, request.alert_id)
        if not recipient.is_active or recipient.pk in opted_out or key in seen:
            continue
        seen.add(key)
        rows.append(
            EmailDelivery(
                kind=EmailDelivery.Kind.ALERT,
                recipient_id=recipient.pk,
                to_address=recipient.email,
                sender_name=request.sender_name[:201],
                category_names=[str(name) for name in request.category_names],
                source_id=request.alert_id,
            )
        )
    return _rows_queue(rows)


def password_reset_email_queue(*, staff: Recipient, link: str) -> EmailDelivery:
    """Write the password-reset e-mail carrying ``link``, sent after the caller commits."""
    return _link_email_queue(kind=EmailDelivery.Kind.PASSWORD_RESET, staff=staff, link=link)


def invitation_email_queue(*, staff: Recipient, link: str) -> EmailDelivery:
    """Write the invitation (first password) e-mail carrying ``link``."""
    return _link_email_queue(kind=EmailDelivery.Kind.INVITATION, staff=staff, link=link)


def admin_invited_notices_queue(
    *, recipients: Iterable[Recipient], invited_address: str, operator_label: str
) -> list[EmailDelivery]:
    """Tell each of ``recipients`` (the school's admins) that a platform operator invited
    ``invited_address`` as a school admin; sent after the caller commits. Inactive accounts
    get nothing."""
    rows = [
        EmailDelivery(
            kind=EmailDelivery.Kind.ADMIN_INVITED,
            recipient_id=recipient.pk,
            to_address=recipient.email,
            sender_name=operator_label[:201],
            about_address=invited_address,
        )
        for recipient in recipients
        if recipient.is_active
    ]
    return _rows_queue(rows) if rows else []


def _link_email_queue(*, kind: EmailDelivery.Kind, staff: Recipient, link: str) -> EmailDelivery:
    row = EmailDelivery(kind=kind, recipient_id=staff.pk, to_address=staff.email, link=link)
    return _rows_queue([row])[0]


def _rows_queue(rows: list[EmailDelivery]) -> list[EmailDelivery]:
    with transaction.atomic():
        created = EmailDelivery.objects.bulk_create(rows)
        _send_enqueue([row.pk for row in created])
    return created


def _send_enqueue(delivery_ids: Sequence[int]) -> None:
    """Enqueue sending after commit, in this school's schema, in batches. If the broker is
    down the rows stay pending and the sweeper enqueues them later."""
    size = max(1, settings.HAVEN_EMAIL_BATCH_SIZE)
    for start in range(0, len(delivery_ids), size):
        enqueue_on_commit(signature(SEND_TASK), list(delivery_ids[start : start + size]))


# --- Delivering -----------------------------------------------------------------------------


@dataclass
class DeliveryOutcome:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    # Seconds until the earliest deferred row is due again; None when nothing was deferred.
    retry_in: int | None = None

    def defer(self, *, count: int, delay: int) -> None:
        if count:
            self.deferred += count
            self.retry_in = delay if self.retry_in is None else min(delay, self.retry_in)


class _Failure(NamedTuple):
    permanent: bool
    reason: str


def _reason(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()[:1000]


def _failure_of(error: Exception) -> _Failure:
    """Sort a sending error into temporary (try again later) or permanent (give up)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return _Failure(permanent=500 <= code < 600, reason=_reason(code, text))
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return _Failure(permanent=500 <= code < 600, reason=_reason(code, error.smtp_error))
    if isinstance(error, ValueError):
        # Django refuses an address it cannot encode: no retry will change that.
        return _Failure(permanent=True, reason=str(error)[:1000])
    return _Failure(permanent=False, reason=f"{type(error).__name__}: {error}"[:1000])


def _backoff_seconds(attempts: int) -> int:
    return get_exponential_backoff_interval(
        factor=settings.HAVEN_EMAIL_RETRY_BACKOFF_SECONDS,
        retries=max(0, attempts - 1),
        maximum=settings.HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )


def _mailer_reset(mailer: BaseEmailBackend) -> None:
    # Django's SMTP backend forgets the connection even when saying goodbye fails.
    with contextlib.suppress(OSError, smtplib.SMTPException):
        mailer.close()


def _current_school() -> School:
    school = getattr(connection, "tenant", None)
    if not isinstance(school, School) or school.schema_name == get_public_schema_name():
        raise RuntimeError("e-mail deliveries are sent in a school's schema")
    return school


def email_deliveries_deliver(*, delivery_ids: Sequence[int]) -> DeliveryOutcome:
    """Send the pending rows among ``delivery_ids`` over one SMTP connection.

    Each row is its own transaction: lock it (skipping rows another worker holds), send it,
    record the result, commit. So a crash loses at most the row in hand, which rolls back to
    pending, and never marks a message sent that the server did not accept.
    """
    school = _current_school()
    mailer = mailers.default
    outcome = DeliveryOutcome()
    remaining = list(dict.fromkeys(delivery_ids))
    try:
        while remaining:
            delivery_id = remaining.pop(0)
            with transaction.atomic():
                delivery = (
                    EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .filter(pk=delivery_id, status=EmailDelivery.Status.PENDING)
                    .first()
                )
                if delivery is None:
                    continue
                try:
                    message = email_message_build(delivery=delivery, school=school)
                except Exception as error:
                    # A fault of ours (e.g. a broken template) must not hold up the rest of
                    # the batch; the row waits for a fixed release instead of being dropped.
                    logger.exception("could not compose e-mail %s", delivery.pk)
                    delay = _defer(delivery, f"Could not compose the message: {error}"[:1000])
                    outcome.defer(count=1, delay=delay)
                    continue
                try:
                    mailer.open()
                except (OSError, smtplib.SMTPException) as error:
                    # The server cannot be reached or refuses the session: no row in this
                    # batch can go now, so all of them wait for the same retry.
                    _mailer_reset(mailer)
                    reason = _failure_of(error).reason
                    outcome.defer(count=1, delay=_defer(delivery, reason))
                    count, delay = _defer_many(remaining, reason)
                    outcome.defer(count=count, delay=delay)
                    logger.warning("SMTP unavailable (%s); deferred %d e-mails", reason, 1 + count)
                    break
                try:
                    mailer.send_messages([message])
                except (OSError, smtplib.SMTPException, ValueError) as error:
                    failure = _failure_of(error)
                    if not isinstance(error, smtplib.SMTPRecipientsRefused | ValueError):
                        # After a refused recipient the session is still good (smtplib reset
                        # it); after anything else (421, a dropped line) start afresh.
                        _mailer_reset(mailer)
                    if (
                        failure.permanent
                        or delivery.attempts + 1 >= settings.HAVEN_EMAIL_MAX_ATTEMPTS
                    ):
                        _fail(delivery, failure.reason)
                        outcome.failed += 1
                    else:
                        outcome.defer(count=1, delay=_defer(delivery, failure.reason))
                    continue
                delivery.status = EmailDelivery.Status.SENT
                delivery.sent_at = timezone.now()
                delivery.attempts += 1
                delivery.last_error = ""
                delivery.link = ""
                delivery.save(update_fields=["status", "sent_at", "attempts", "last_error", "link"])
                outcome.sent += 1
    finally:
        _mailer_reset(mailer)
    return outcome


def _defer(delivery: EmailDelivery, reason: str) -> int:
    delivery.attempts += 1
    delay = _backoff_seconds(delivery.attempts)
    delivery.last_error = reason
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    logger.info("e-mail %s deferred %ss: %s", delivery.pk, delay, reason)
    return delay


def _defer_many(delivery_ids: Sequence[int], reason: str) -> tuple[int, int]:
    """Push back every other pending row of the batch, so the sweeper leaves them to the
    task's own retry instead of starting a second retry chain."""
    rows = list(
        EmailDelivery.objects.select_for_update(skip_locked=True)
        .filter(pk__in=delivery_ids, status=EmailDelivery.Status.PENDING)
        .values_list("pk", "attempts")
    )
    if not rows:
        return 0, 0
    delay = _backoff_seconds(max(attempts for _, attempts in rows) + 1)
    EmailDelivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        attempts=F("attempts") + 1,
        last_error=reason,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return len(rows), delay


def _fail(delivery: EmailDelivery, reason: str) -> None:
    delivery.status = EmailDelivery.Status.FAILED
    delivery.attempts += 1
    delivery.last_error = reason
    delivery.link = ""
    delivery.save(update_fields=["status", "attempts", "last_error", "link"])
    logger.warning("e-mail %s failed permanently: %s", delivery.pk, reason)


# --- Sweeping -------------------------------------------------------------------------------


def email_deliveries_resend_overdue(*, overdue_after_seconds: int, limit: int = 5000) -> int:
    """Re-enqueue this school's pending rows that are overdue by ``overdue_after_seconds``:
    their task was never published (broker down at commit) or was lost with its worker.

    Their due time moves to now, so a row is re-enqueued at most once per window even while
    a backlog drains. Returns how many rows were re-enqueued.
    """
    now = timezone.now()
    with transaction.atomic():
        overdue = list(
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                status=EmailDelivery.Status.PENDING,
                next_attempt_at__lte=now - timedelta(seconds=overdue_after_seconds),
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if overdue:
            EmailDelivery.objects.filter(pk__in=overdue).update(next_attempt_at=now)
            _send_enqueue(overdue)
    return len(overdue)


def email_deliveries_sweep_all_schools() -> dict[str, int]:
    """Run the overdue re-enqueue in every school's schema; returns counts by schema."""
    counts: dict[str, int] = {}
    schools = School.objects.exclude(schema_name=get_public_schema_name()).order_by("pk")
    for school in schools:
        with school:
            count = email_deliveries_resend_overdue(
                overdue_after_seconds=settings.HAVEN_EMAIL_SWEEP_AFTER_SECONDS
            )
        if count:
            counts[school.schema_name] = count
            logger.warning("re-enqueued %d overdue e-mails at %s", count, school.schema_name)
    return counts
