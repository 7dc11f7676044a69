"""Logs, error reports and request ids.

- Logs: plain text by default, one JSON object per line with ``HAVEN_LOG_FORMAT=json``; every
  record carries the request id and the school's schema (``-`` outside a request or task).
- Error reports (Sentry): tagged with the school's schema; request bodies, cookies, headers,
  query strings, local variables and exception messages (which quote values, e.g. a pupil's
  name in a database error) are removed before an event leaves the process.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, cast

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it looks like one (ingress controllers send 32 hex digits or
# a UUID); anything else could smuggle text into every log line.
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,64}\Z")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REDACTED = "[redacted]"


def current_request_id() -> str:
    return _request_id.get()


def current_schema() -> str:
    """The schema of this thread's database connection, without ever raising."""
    try:
        from django.db import connection

        return str(getattr(connection, "schema_name", "") or "-")
    except Exception:
        return "-"


class RequestIdMiddleware:
    """Gives every request an id (the ingress's, when it sent a well-formed one), puts it
    into every log record and returns it to the client, so a user's report can be found."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        # Cleared on request_finished, not here: Django logs a 404 or 500 after the middleware
        # chain has returned, and that line needs the id most.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _clear_request_id(**kwargs: Any) -> None:
    _request_id.set("-")


request_finished.connect(_clear_request_id, dispatch_uid="haven-clear-request-id")

# A task carries the id of the request that enqueued it, so one user action can be followed
# from the web log into the worker's.
_TASK_HEADER = "haven_request_id"


def _add_request_id_header(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id()
    if headers is not None and request_id != "-":
        headers.setdefault(_TASK_HEADER, request_id)


def _take_request_id_from_task(task: Any = None, **kwargs: Any) -> None:
    incoming = str(getattr(getattr(task, "request", None), _TASK_HEADER, None) or "")
    _request_id.set(incoming if _REQUEST_ID_PATTERN.match(incoming) else "-")


def _forget_task_request_id(**kwargs: Any) -> None:
    _request_id.set("-")


before_task_publish.connect(_add_request_id_header, dispatch_uid="haven-task-request-id")
task_prerun.connect(_take_request_id_from_task, dispatch_uid="haven-task-request-id")
task_postrun.connect(_forget_task_request_id, dispatch_uid="haven-task-request-id")


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``school`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        record.school = current_schema()
        return True


def logging_config(*, level: str, json_format: bool) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.observability.ContextFilter"}},
        "formatters": {
            "plain": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(school)s] "
                "%(message)s"
            },
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(school)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_format else "plain",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
    }


# --- Sentry -----------------------------------------------------------------------------------

# Request fields that are safe to report: which page failed, never what was sent to it.
_REQUEST_KEYS_KEPT = frozenset({"method", "url"})


def _is_graphql_error(hint: dict[str, Any] | None) -> bool:
    exc_info = (hint or {}).get("exc_info")
    if not exc_info or len(exc_info) < 2:
        return False
    from graphql import GraphQLError

    return isinstance(exc_info[1], GraphQLError)


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """``before_send``: tag the school, strip everything that could hold pupil data.

    An exception keeps its type and stack but not its message: a message is built at run time
    from whatever the code had in hand (a pupil's name, submitted text, a row PostgreSQL
    quotes), and the type and the line it was raised at say what failed. GraphQL errors as
    such are dropped: the API reports an unexpected one as the exception behind it, and the
    others are the client's (a missing field), whose message quotes the submitted input.
    """
    if _is_graphql_error(hint):
        return None
    tags = event.setdefault("tags", {})
    tags["school"] = current_schema()
    tags["request_id"] = current_request_id()
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {
            key: value for key, value in request.items() if key in _REQUEST_KEYS_KEPT
        }
        if "url" in event["request"]:
            event["request"]["url"] = str(event["request"]["url"]).split("?", 1)[0]
    event.pop("user", None)
    event.pop("extra", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # A log call's arguments may be anything; its message template is code.
        event["logentry"] = {"message": logentry.get("message", "")}
    for exception in (event.get("exception") or {}).get("values") or []:
        if "value" in exception:
            exception["value"] = REDACTED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrub_breadcrumb(breadcrumb)
    return event


def scrub_breadcrumb(
    breadcrumb: dict[str, Any], hint: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``before_breadcrumb``: SQL parameters, HTTP payloads and log arguments never become
    breadcrumbs; a log line is kept as its message template."""
    breadcrumb.pop("data", None)
    record = (hint or {}).get("log_record")
    if isinstance(record, logging.LogRecord):
        breadcrumb["message"] = str(record.msg)
    return breadcrumb


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **extra: Any) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration
    from sentry_sdk.integrations.strawberry import StrawberryIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            RedisIntegration(),
            # The GraphQL view is the sync one (see DESIGN: the schema lives on the thread).
            StrawberryIntegration(async_execution=False),
        ],
        # Safeguarding records must never leave the platform inside an error report:
        # send_default_pii stays at its default (off; the option itself is deprecated), and
        # scrub_event removes what integrations still attach.
        max_request_body_size="never",
        include_local_variables=False,
        # The SDK types events as TypedDicts; the scrubbers treat them as the dicts they are.
        before_send=cast(Any, scrub_event),
        before_send_transaction=cast(Any, scrub_event),
        before_breadcrumb=cast(Any, scrub_breadcrumb),
        **extra,
    )
