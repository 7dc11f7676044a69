"""Alert e-mails delivered by a real Celery worker process to a real SMTP server, through
broker outages, SMTP outages and a killed worker: every message arrives, none twice."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage

from django.db import transaction

from notifications.models import EmailDelivery
from notifications.services.deliveries import alert_emails_queue, password_reset_email_queue
from notifications.tasks import email_deliveries_send
from safeguarding.models import Agency, AlertGroup, Pupil, Staff
from tenants.models import School
from tests.notifications.conftest import MARKER, staff_create
from tests.notifications.harness import (
    Beat,
    PrivateRedis,
    SmtpSink,
    Worker,
    broker_idle,
    wait_until,
)

CATEGORIES = ["Child Protection", "Bullying"]


def school(schema: str) -> School:
    found: School = School.objects.get(schema_name=schema)
    return found


def rows_in(schema: str) -> list[EmailDelivery]:
    with school(schema):
        return list(EmailDelivery.objects.order_by("pk"))


def all_settled(schema: str, count: int) -> bool:
    rows = rows_in(schema)
    return len(rows) == count and all(row.status != EmailDelivery.Status.PENDING for row in rows)


def parts_text(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None, "a text part"
    assert html is not None, "an HTML part"
    return str(plain.get_content()), str(html.get_content())


def alert_for(recipients: list[Staff], sender: Staff, alert_id: int) -> list[EmailDelivery]:
    with transaction.atomic():
        return alert_emails_queue(
            deliveries_for=[(r, sender.full_name, CATEGORIES, alert_id) for r in recipients]
        )


def assert_each_once(sink: SmtpSink, rows: list[EmailDelivery]) -> None:
    counts = sink.handler.message_id_counts()
    assert {row.message_id: 1 for row in rows} == dict(counts)


def test_alert_to_three_people_and_a_group_of_five_sends_eight_content_free_messages(
    committed: None,
    smtp_sink: SmtpSink,
    private_redis: PrivateRedis,
    worker_factory: Callable[..., Worker],
) -> None:
    worker_factory().start()
    alpha = school("alpha")
    with alpha:
        sender = staff_create(alpha, "sender", 1)[0]
        people = staff_create(alpha, "person", 3)
        group = AlertGroup.objects.create(name=f"{MARKER} pastoral")
        group.members.set(staff_create(alpha, "member", 5))
        pupil = Pupil.objects.create(
            mis_id=f"{MARKER}-1", legal_first_name="Zebedee", legal_last_name="Quartermaine"
        )
        agency = Agency.objects.get(name="Children's Social Care")
        # What the incident would say; it must never reach an e-mail.
        incident_text = "Disclosed bruising on the left arm after PE"
        recipients = people + list(group.members.all())
        rows = alert_for(recipients, sender, alert_id=4242)
        # The same batch handed out twice more, as a broker redelivery would.
        for _ in range(2):
            email_deliveries_send.apply_async(
                args=([row.pk for row in rows],), headers={"_schema_name": "alpha"}
            )

    wait_until(lambda: all_settled("alpha", 8), "all 8 alert e-mails to be sent")
    wait_until(lambda: broker_idle(private_redis.url), "the duplicate tasks to finish")
    messages = smtp_sink.handler.delivered()
    assert len(messages) == 8
    assert sorted(str(m["To"]) for m in messages) == sorted(r.email for r in recipients)
    assert_each_once(smtp_sink, rows)
    assert all(
        row.status == EmailDelivery.Status.SENT and row.attempts == 1 for row in rows_in("alpha")
    )
    forbidden = [pupil.legal_first_name, pupil.legal_last_name, incident_text, agency.name]
    for message in messages:
        plain, html = parts_text(message)
        whole = message.as_string()
        for text in (plain, html, whole, str(message["Subject"])):
            for secret in forbidden:
                assert secret not in text
        for part in (plain, html):
            assert "Sender0 Tester has sent you an alert" in part.replace("<strong>", "").replace(
                "</strong>", ""
            )
            assert "Child Protection, Bullying" in part
            assert "Alpha Academy" in part
            assert "https://alpha.localhost/" in part
        assert message["Message-ID"] in {row.message_id for row in rows}


def test_broker_down_at_commit_saves_the_alert_and_the_sweeper_delivers_once_it_is_back(
    committed: None,
    smtp_sink: SmtpSink,
    private_redis: PrivateRedis,
    worker_factory: Callable[..., Worker],
) -> None:
    worker = worker_factory(
        extra_env={"HAVEN_EMAIL_SWEEP_AFTER_SECONDS": "1", "HAVEN_EMAIL_SWEEP_EVERY_SECONDS": "1"}
    )
    worker.start()
    private_redis.stop()
    alpha = school("alpha")
    with alpha:
        sender = staff_create(alpha, "sender", 1)[0]
        recipients = staff_create(alpha, "person", 4)
        # Commits without an error although the task cannot be published.
        rows = alert_for(recipients, sender, alert_id=7)
        reset = password_reset_email_queue(
            staff=recipients[0], link="https://alpha.localhost/reset/abc123/"
        )
    rows.append(reset)
    assert [row.status for row in rows_in("alpha")] == ["pending"] * 5
    time.sleep(2)
    assert smtp_sink.handler.delivered() == []

    # Redis comes back empty: the tasks are gone, only the outbox remembers.
    private_redis.start()
    beat = Beat(worker)
    beat.start()
    try:
        wait_until(lambda: all_settled("alpha", 5), "the sweeper to deliver everything", 90)
        # Beat keeps sweeping every second; nothing is sent again.
        time.sleep(3)
    finally:
        beat.stop()
    assert_each_once(smtp_sink, rows)
    reset_message = next(
        m for m in smtp_sink.handler.delivered() if m["Message-ID"] == reset.message_id
    )
    assert "https://alpha.localhost/reset/abc123/" in parts_text(reset_message)[0]
    assert str(reset_message["Subject"]) == "Reset your Haven password"
    # The one-time link does not stay in the outbox once sent.
    assert all(row.link == "" for row in rows_in("alpha"))


def test_smtp_down_then_refusing_temporarily_then_healthy_delivers_all_once(
    committed: None, smtp_sink: SmtpSink, worker_factory: Callable[..., Worker]
) -> None:
    smtp_sink.stop()
    worker_factory(
        extra_env={
            "HAVEN_EMAIL_RETRY_BACKOFF_SECONDS": "1",
            "HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS": "2",
        }
    ).start()
    alpha = school("alpha")
    with alpha:
        sender = staff_create(alpha, "sender", 1)[0]
        recipients = staff_create(alpha, "person", 6)
        gone = staff_create(alpha, "gone", 1)[0]
        assert len(alert_for([*recipients, gone], sender, alert_id=99)) == 7
    smtp_sink.handler.unknown_addresses.add(gone.email)

    def errors_start_with(prefix: str) -> bool:
        return all(row.last_error.startswith(prefix) for row in rows_in("alpha"))

    wait_until(lambda: errors_start_with("ConnectionRefusedError"), "attempts while SMTP is down")

    smtp_sink.handler.rcpt_reply = "451 4.3.0 Mailbox busy, try again later"
    smtp_sink.start()

    def gone_row() -> EmailDelivery:
        return next(row for row in rows_in("alpha") if row.to_address == gone.email)

    wait_until(
        lambda: smtp_sink.handler.refused >= 6 and gone_row().status != "pending",
        "attempts while SMTP answers 4xx",
    )
    assert smtp_sink.handler.delivered() == []
    assert gone_row().status == EmailDelivery.Status.FAILED
    assert gone_row().last_error == "550 5.1.1 Mailbox unavailable"

    smtp_sink.handler.rcpt_reply = None
    wait_until(lambda: all_settled("alpha", 7), "delivery once SMTP is healthy")
    sent = [row for row in rows_in("alpha") if row.status == EmailDelivery.Status.SENT]
    assert len(sent) == 6
    assert all(row.attempts >= 3 for row in sent)
    assert_each_once(smtp_sink, sent)


def test_worker_killed_mid_batch_delivers_every_message_once_after_restart(
    committed: None, smtp_sink: SmtpSink, worker_factory: Callable[..., Worker]
) -> None:
    options = {
        "concurrency": 1,
        "extra_env": {
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "HAVEN_EMAIL_RETRY_BACKOFF_MAX_SECONDS": "2",
        },
    }
    first = worker_factory(**options)
    first.start()
    assert first.process is not None
    worker_group = first.process.pid
    killed = threading.Event()

    def kill_during_fourth(number: int) -> str | None:
        # The worker dies while the 4th message is being transferred, before the server
        # accepted it: its row must roll back to pending and be sent after the restart.
        if number == 4 and not killed.is_set():
            killed.set()
            os.killpg(worker_group, signal.SIGKILL)
            return "421 4.4.2 Connection dropped"
        return None

    smtp_sink.handler.before_accept = kill_during_fourth
    alpha = school("alpha")
    with alpha:
        sender = staff_create(alpha, "sender", 1)[0]
        rows = alert_for(staff_create(alpha, "person", 10), sender, alert_id=5)

    wait_until(killed.is_set, "the worker to reach the 4th message")
    first.process.wait(timeout=10)
    first.process = None
    assert len(smtp_sink.handler.delivered()) == 3
    # After the visibility timeout Redis hands the unacknowledged batch to the next worker.
    time.sleep(5)
    worker_factory(**options).start()
    wait_until(lambda: all_settled("alpha", 10), "delivery after the restart")
    assert all(row.status == EmailDelivery.Status.SENT for row in rows_in("alpha"))
    assert_each_once(smtp_sink, rows)


def test_two_schools_sending_at_once_each_message_carries_its_own_schools_link(
    committed: None, smtp_sink: SmtpSink, worker_factory: Callable[..., Worker]
) -> None:
    worker_factory().start()
    alpha, beta = school("alpha"), school("beta")
    # One outer transaction around both schools: its on_commit callbacks run after both
    # school contexts have ended, in public, so each enqueue must carry its own schema.
    with transaction.atomic():
        with alpha:
            alpha_people = staff_create(alpha, "person", 6)
            alert_for(alpha_people[1:], alpha_people[0], alert_id=1)
        with beta:
            beta_people = staff_create(beta, "person", 6)
            alert_for(beta_people[1:], beta_people[0], alert_id=1)
    wait_until(lambda: all_settled("alpha", 5) and all_settled("beta", 5), "both schools' e-mails")
    messages = smtp_sink.handler.delivered()
    assert len(messages) == 10
    expected = {
        "alpha": ("https://alpha.localhost/", "Alpha Academy", "beta"),
        "beta": ("https://beta.localhost/", "Beta High School", "alpha"),
    }
    for message in messages:
        schema = str(message["To"]).split("@")[1].split(".")[0]
        link, name, other = expected[schema]
        for part in parts_text(message):
            assert link in part
            assert name in part
            assert other not in part.lower()
