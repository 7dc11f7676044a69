"""Composing the e-mail for an outbox row: text and HTML parts from templates.

Everything a message says comes from the row and the school; nothing is looked up from a
safeguarding record, so an alert e-mail cannot leak a pupil's name, the concern's text,
agencies or attachments even by mistake.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import EmailDelivery
from tenants.models import School
from tenants.schools import school_url

SUBJECTS = {
    EmailDelivery.Kind.ALERT: "You have a new alert on Haven",
    EmailDelivery.Kind.PASSWORD_RESET: "Reset your Haven password",
    EmailDelivery.Kind.INVITATION: "Your Haven account at {school_name}",
    EmailDelivery.Kind.ADMIN_INVITED: "A platform operator invited a school admin at {school_name}",
}


def school_login_url(school: School) -> str:
    """The school's login page: https://<subdomain>.<base>/ (with the port in development)."""
    return school_url(school.schema_name)


def email_message_build(*, delivery: EmailDelivery, school: School) -> EmailMultiAlternatives:
    recipient = delivery.recipient
    context: dict[str, Any] = {
        "recipient_first_name": recipient.first_name if recipient is not None else "",
        "school_name": school.name,
        "login_url": school_login_url(school),
        "sender_name": delivery.sender_name,
        "category_names": list(delivery.category_names or []),
        "link": delivery.link,
        "about_address": delivery.about_address,
        # When the row was written: in the same transaction as what it reports.
        "created_at": timezone.localtime(delivery.created_at),
    }
    template = f"notifications/{delivery.kind}_email"
    message = EmailMultiAlternatives(
        subject=SUBJECTS[EmailDelivery.Kind(delivery.kind)].format(school_name=school.name),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to_address],
        headers={
            # The same on every attempt: a repeat after an unclear failure is recognisable.
            "Message-ID": delivery.message_id,
            # Out-of-office replies to an automated message help nobody.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
