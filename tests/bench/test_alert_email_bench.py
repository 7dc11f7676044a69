"""`make bench`: time to deliver 500 alert e-mails through the outbox with one worker, against
the same 500 messages sent in one plain smtplib loop. Prints; asserts no time."""

from __future__ import annotations

import smtplib
import subprocess
import sys
import time
from email.policy import SMTP

from django.conf import settings
from django.db import transaction

from notifications.messages import email_message_build
from notifications.models import EmailDelivery
from notifications.services.deliveries import alert_emails_queue
from safeguarding.models import Staff
from tenants.models import School
from tests.notifications.conftest import MARKER
from tests.notifications.harness import PrivateRedis, Worker, free_port, wait_until

COUNT = 500


def sink_start(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's discarding sink in its own process, so neither side shares its CPU time
    with the server inside one interpreter."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=1) as probe:
                return probe.noop()[0] == 250
        except OSError:
            return False

    wait_until(answers, "the SMTP sink", timeout=30)
    return process


def test_deliver_500_alert_emails_with_one_worker(
    committed: None, private_redis: PrivateRedis
) -> None:
    port = free_port()
    sink = sink_start(port)
    worker = Worker(
        broker_url=private_redis.url, smtp_port=port, concurrency=1, log_name="bench-worker"
    )
    try:
        worker.start()
        school: School = School.objects.get(schema_name="alpha")
        with school:
            sender = Staff.objects.create_user(
                email=f"sender@alpha.{MARKER}.example", first_name="Sam", last_name="Sender"
            )
            recipients = Staff.objects.bulk_create(
                Staff(
                    email=f"bench{index}@alpha.{MARKER}.example",
                    first_name=f"Bench{index}",
                    last_name="Reader",
                    password="!unusable",
                )
                for index in range(COUNT)
            )
            with transaction.atomic():
                rows = alert_emails_queue(
                    deliveries_for=[
                        (r, sender.full_name, ["Child Protection"], 1) for r in recipients
                    ]
                )
                started = time.perf_counter()

            def all_sent() -> bool:
                pending = EmailDelivery.objects.exclude(status=EmailDelivery.Status.SENT)
                return not pending.exists()

            wait_until(all_sent, "500 alert e-mails", timeout=600)
            outbox_seconds = time.perf_counter() - started
            assert EmailDelivery.objects.filter(status="sent").count() == COUNT

            # The same 500 messages, composed by Django exactly as the worker does.
            composed = [email_message_build(delivery=row, school=school) for row in rows]
        sender_address = settings.DEFAULT_FROM_EMAIL
        started = time.perf_counter()
        payloads = [
            (message.to[0], message.message(policy=SMTP).as_bytes()) for message in composed
        ]
        compose_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for to_address, payload in payloads:
                smtp.sendmail(sender_address, [to_address], payload)
        plain_seconds = time.perf_counter() - started
    finally:
        worker.stop()
        sink.terminate()
        sink.wait(timeout=10)

    with_compose = plain_seconds + compose_seconds
    print(
        f"\nalert e-mails, {COUNT} to a local SMTP sink:\n"
        f"  outbox, one worker (claim, send, mark sent per row): {outbox_seconds:.2f}s "
        f"({COUNT / outbox_seconds:.0f}/s)\n"
        f"  plain smtplib loop, messages already composed:       {plain_seconds:.2f}s "
        f"-> ratio {outbox_seconds / plain_seconds:.2f}x (goal <= 1.5x)\n"
        f"  plain smtplib loop, composing each message too:      {with_compose:.2f}s "
        f"-> ratio {outbox_seconds / with_compose:.2f}x"
    )
