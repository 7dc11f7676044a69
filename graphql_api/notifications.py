"""Notifications in the API: failed alert e-mails for key holders, and each person's choice
of alert e-mails."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graphql_api.common import actor_of
from graphql_api.context import Info
from notifications.models import EmailDelivery
from notifications.selectors.deliveries import FAILED_LIST_MAX, alert_emails_enabled
from safeguarding.selectors.alert_emails import failed_alert_emails_visible
from safeguarding.services.notification_preferences import notification_preference_set


@strawberry.type(
    name="FailedAlertEmail",
    description="An alert e-mail the mail server refused for good. The alert itself is on the "
    "recipient's dashboard; tell them another way.",
)
class FailedAlertEmailType:
    recipient_name: str = strawberry.field(description="Who the e-mail was for.")
    to_address: str = strawberry.field(description="The address it was sent to.")
    sender_name: str = strawberry.field(description="Who created the alert.")
    category_names: list[str] = strawberry.field(description="The alert's categories.")
    reason: str = strawberry.field(description="What the mail server said.")
    attempts: int = strawberry.field(description="How many times sending was tried.")
    created_at: datetime = strawberry.field(description="When the alert e-mail was written.")

    @classmethod
    def from_model(cls, delivery: EmailDelivery) -> FailedAlertEmailType:
        recipient = delivery.recipient
        return cls(
            recipient_name=recipient.full_name if recipient is not None else "",
            to_address=delivery.to_address,
            sender_name=delivery.sender_name,
            category_names=[str(name) for name in delivery.category_names or []],
            reason=delivery.last_error,
            attempts=delivery.attempts,
            created_at=delivery.created_at,
        )


@strawberry.type(name="NotificationPreferences", description="Your notification choices.")
class NotificationPreferencesType:
    alert_emails: bool = strawberry.field(
        description="Whether you receive an e-mail for each alert. Alerts always appear on "
        "your dashboard."
    )


@strawberry.type
class NotificationsQuery:
    @strawberry.field(
        description="Alert e-mails that could not be delivered, newest first: for key holders, "
        "those on incidents whose main record they may see or alerts they sent (empty for "
        f"everyone else). At most {FAILED_LIST_MAX}."
    )
    def failed_alert_emails(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many to return.")] = 50,
    ) -> list[FailedAlertEmailType]:
        rows = failed_alert_emails_visible(actor=actor_of(info), first=first)
        return [FailedAlertEmailType.from_model(row) for row in rows]

    @strawberry.field(description="Your notification choices; null when signed out.")
    def notification_preferences(self, info: Info) -> NotificationPreferencesType | None:
        staff = info.context.staff
        if staff is None:
            return None
        return NotificationPreferencesType(alert_emails=alert_emails_enabled(staff=staff))


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(
        description="Turn your alert e-mails on or off. Alerts always appear on your dashboard."
    )
    def notification_preferences_update(
        self,
        info: Info,
        alert_emails: Annotated[bool, strawberry.argument(description="Receive alert e-mails.")],
    ) -> NotificationPreferencesType | None:
        staff = info.context.staff
        if staff is None:
            return None
        preference = notification_preference_set(actor=staff, alert_emails=alert_emails)
        return NotificationPreferencesType(alert_emails=preference.alert_emails)
