from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding records (per school)"
    default_auto_field = "django.db.models.BigAutoField"
