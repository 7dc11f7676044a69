"""The Celery app. tenant-schemas-celery sends the current schema with every task and the
worker switches to it before running the task."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("haven")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
