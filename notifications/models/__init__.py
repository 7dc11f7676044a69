"""Models of a school's schema for outgoing notifications, one module per noun."""

from notifications.models.deliveries import EmailDelivery
from notifications.models.preferences import NotificationPreference

__all__ = ["EmailDelivery", "NotificationPreference"]
