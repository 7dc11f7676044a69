"""What the API writes to the log and to error reports when an operation fails.

strawberry logs every error as it stands, before masking: a request that misses a required
field logs the whole submitted input ("found: {'text': ...}"), and an exception raised in a
resolver is logged with its message, which is built from whatever the code had in hand. For a
safeguarding record that is a child's disclosure in the log. So the API logs one line per error
with what an operator needs to find it (an error code, the operation's name, the field path,
the exception's type and where it was raised) and never a message or a value; an unexpected
exception is reported to Sentry as the exception itself, whose message the Sentry scrubber
removes (config.observability).
"""

from __future__ import annotations

import logging
import re
import traceback

import sentry_sdk
import strawberry
from graphql import GraphQLError
from sentry_sdk.integrations.logging import ignore_logger
from strawberry.types import ExecutionContext

logger = logging.getLogger("haven.graphql")
# This logger's lines are not events of their own: an unexpected error is captured directly
# (with its stack), and client errors are not bugs.
ignore_logger(logger.name)

# An operation name is whatever the client sent as ``operationName``: it is logged only if it
# has the shape of a GraphQL name, so it cannot carry text into the log.
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}\Z")

# Codes as GraphQL servers commonly report them (Apollo's names), derived from where the error
# came from, never from its message.
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
BAD_REQUEST = "BAD_REQUEST"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def error_code(error: GraphQLError) -> str:
    """The kind of failure, from the error's origin."""
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        return INTERNAL_SERVER_ERROR
    declared = (error.extensions or {}).get("code")
    if isinstance(declared, str) and _NAME.match(declared):
        return declared
    # graphql-core's own messages: these prefixes are fixed text of the library.
    if error.message.startswith("Syntax Error"):
        return PARSE_FAILED
    if error.message.startswith("Variable '$"):
        return BAD_USER_INPUT
    if original is not None:
        return BAD_REQUEST
    return VALIDATION_FAILED


def operation_label(execution_context: ExecutionContext | None) -> str:
    name = None
    if execution_context is not None:
        try:
            name = execution_context.operation_name
        except Exception:  # a document that failed to parse has no operations to name
            name = None
    return name if name and _NAME.match(name) else "-"


def _path(error: GraphQLError) -> str:
    # Field names and aliases (GraphQL names) and list indices: never values.
    return ".".join(str(part) for part in error.path or ()) or "-"


def error_log(error: GraphQLError, execution_context: ExecutionContext | None) -> None:
    """One log line for one error, without the error's message or the submitted values."""
    code = error_code(error)
    operation = operation_label(execution_context)
    original = error.original_error
    if code != INTERNAL_SERVER_ERROR or original is None:
        logger.info("GraphQL error %s in operation %s at %s", code, operation, _path(error))
        return
    event_id = sentry_sdk.capture_exception(original)
    # The stack's frames (file, line, code) without the exception's message.
    frames = "".join(traceback.format_tb(original.__traceback__)).rstrip()
    logger.error(
        "GraphQL error %s (%s) in operation %s at %s, error report %s\n%s",
        code,
        type(original).__qualname__,
        operation,
        _path(error),
        event_id or "-",
        frames,
    )


class HavenSchema(strawberry.Schema):
    """strawberry's schema, logging each error by code and operation only."""

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        for error in errors:
            error_log(error, execution_context)
