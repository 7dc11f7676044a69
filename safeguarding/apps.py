from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding records (per school)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.models import Staff
        from safeguarding.services.staff_sessions import (
            staff_deactivated_sessions_end,
            staff_signed_in_index,
        )

        post_save.connect(
            staff_deactivated_sessions_end,
            sender=Staff,
            dispatch_uid="safeguarding.staff_deactivated_sessions_end",
        )
        # Every login, whichever path made it, gets its session indexed (active sessions,
        # remote sign-out, idle and absolute limits).
        user_logged_in.connect(
            staff_signed_in_index,
            sender=Staff,
            dispatch_uid="safeguarding.staff_signed_in_index",
        )
