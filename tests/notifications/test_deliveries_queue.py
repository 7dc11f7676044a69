"""What the outbox writes and what a message says, checked inside a rolled-back transaction
(no worker needed: nothing here is sent)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications.messages import email_message_build, school_login_url
from notifications.models import EmailDelivery, NotificationPreference
from notifications.services.deliveries import (
    AlertEmail,
    alert_emails_queue,
    email_deliveries_resend_overdue,
    invitation_email_queue,
    password_reset_email_queue,
)
from safeguarding.models import Staff
from tenants.models import School


def person(email: str, **fields: Any) -> Staff:
    return Staff.objects.create_user(email=email, first_name="Pat", last_name="Kaur", **fields)


def test_one_row_per_person_even_when_alerted_by_name_and_through_a_group(
    school_a: School,
) -> None:
    sender = person("sender@alpha.example")
    jo, sam = person("jo@alpha.example"), person("sam@alpha.example")
    rows = alert_emails_queue(
        deliveries_for=[
            (jo, sender.full_name, ["Bullying"], 11),
            AlertEmail(sam, sender.full_name, ["Bullying"], 11),
            (jo, sender.full_name, ["Bullying"], 11),
        ]
    )
    assert sorted(row.to_address for row in rows) == ["jo@alpha.example", "sam@alpha.example"]
    stored = EmailDelivery.objects.get(to_address="jo@alpha.example")
    assert (stored.kind, stored.status, stored.source_id) == ("alert", "pending", 11)
    assert stored.category_names == ["Bullying"]
    assert stored.sender_name == "Pat Kaur"
    assert len({row.message_id for row in rows}) == 2


def test_people_who_turned_alert_emails_off_and_inactive_accounts_get_no_email(
    school_a: School,
) -> None:
    sender = person("sender@alpha.example")
    on, off = person("on@alpha.example"), person("off@alpha.example")
    left = person("left@alpha.example", is_active=False)
    NotificationPreference.objects.create(staff=off, alert_emails=False)
    rows = alert_emails_queue(
        deliveries_for=[(r, sender.full_name, ["SEND"], 3) for r in (on, off, left)]
    )
    assert [row.to_address for row in rows] == ["on@alpha.example"]


def test_alert_email_rows_roll_back_with_the_transaction_that_wrote_them(
    school_a: School,
) -> None:
    sender, jo = person("sender@alpha.example"), person("jo@alpha.example")

    def alert_that_fails() -> None:
        with transaction.atomic():
            alert_emails_queue(deliveries_for=[(jo, sender.full_name, ["Prevent"], 1)])
            raise RuntimeError("the alert could not be saved")

    with pytest.raises(RuntimeError):
        alert_that_fails()
    assert not EmailDelivery.objects.exists()


def body_parts(message: EmailMultiAlternatives) -> list[str]:
    alternatives = [str(content) for content, _ in message.alternatives]
    return [str(message.body), *alternatives]


def test_alert_message_names_sender_categories_school_and_login_page_only(
    school_a: School,
) -> None:
    sender, jo = person("sender@alpha.example"), person("jo@alpha.example")
    row = alert_emails_queue(
        deliveries_for=[(jo, "Sarah Jones", ["Child Protection", "Home Issues"], 8)]
    )[0]
    message = email_message_build(delivery=row, school=school_a)
    assert message.subject == "You have a new alert on Haven"
    assert message.to == ["jo@alpha.example"]
    assert message.extra_headers["Message-ID"] == row.message_id
    assert [mime for _, mime in message.alternatives] == ["text/html"]
    for part in body_parts(message):
        assert "Sarah Jones" in part
        assert "Child Protection, Home Issues" in part
        assert "Alpha Academy" in part
        assert "https://alpha.localhost/" in part
        assert "contains no other information" in part
    assert sender.email not in message.message().as_string()


def test_html_part_escapes_names(school_a: School) -> None:
    jo = person("jo@alpha.example")
    row = alert_emails_queue(deliveries_for=[(jo, "<script>x</script>", ["A & B"], 8)])[0]
    html = str(email_message_build(delivery=row, school=school_a).alternatives[0][0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "A &amp; B" in html


@override_settings(SITE_SCHEME="http", SITE_PORT="8000")
def test_login_link_carries_the_port_in_development(school_a: School) -> None:
    assert school_login_url(school_a) == "http://alpha.localhost:8000/"


def test_password_reset_and_invitation_carry_their_link(school_a: School) -> None:
    jo = person("jo@alpha.example")
    reset = password_reset_email_queue(staff=jo, link="https://alpha.localhost/reset/x1/")
    invite = invitation_email_queue(staff=jo, link="https://alpha.localhost/welcome/y2/")
    reset_message = email_message_build(delivery=reset, school=school_a)
    invite_message = email_message_build(delivery=invite, school=school_a)
    assert reset_message.subject == "Reset your Haven password"
    assert invite_message.subject == "Your Haven account at Alpha Academy"
    assert all("https://alpha.localhost/reset/x1/" in p for p in body_parts(reset_message))
    assert all("https://alpha.localhost/welcome/y2/" in p for p in body_parts(invite_message))
    assert reset.message_id != invite.message_id


def test_sweeper_picks_only_pending_rows_overdue_past_the_window(school_a: School) -> None:
    jo, sam, kim = (person(f"{name}@alpha.example") for name in ("jo", "sam", "kim"))
    overdue, _recent, sent = alert_emails_queue(
        deliveries_for=[(p, "Sender", ["SEND"], 2) for p in (jo, sam, kim)]
    )
    long_ago = timezone.now() - timedelta(minutes=10)
    EmailDelivery.objects.filter(pk__in=[overdue.pk, sent.pk]).update(next_attempt_at=long_ago)
    EmailDelivery.objects.filter(pk=sent.pk).update(status=EmailDelivery.Status.SENT)

    assert email_deliveries_resend_overdue(overdue_after_seconds=180) == 1
    overdue.refresh_from_db()
    # Moved to now, so the same row is not re-enqueued again until another window passes.
    assert overdue.next_attempt_at > long_ago
    assert email_deliveries_resend_overdue(overdue_after_seconds=180) == 0
