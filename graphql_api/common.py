"""Building blocks shared by the API's areas: errors, pages, the asking person."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from typing import Generic, Protocol, TypeVar

import strawberry
from graphql import GraphQLError

from graphql_api.context import Info
from safeguarding.permissions import Actor

MAX_PAGE_SIZE = 50

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Pages(Protocol[R_co]):
    """Anything a page can be sliced from: a queryset, a list, a selector's row source."""

    def __getitem__(self, page: slice, /) -> Iterable[R_co]: ...


def actor_of(info: Info) -> Actor | None:
    """The asking person, built once per request (their unread alerts are read once)."""
    context = info.context
    cached = getattr(context, "_haven_actor", None)
    if cached is not None:
        assert isinstance(cached, Actor)
        return cached
    staff = context.staff
    if staff is None:
        return None
    actor = Actor(staff, key_access=context.key_access, session=context.session_assurance)
    context._haven_actor = actor  # type: ignore[attr-defined]
    return actor


@strawberry.type(description="Where a page ends and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[T]):  # noqa: UP046 - strawberry resolves Generic type variables
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque position of this item.")


@strawberry.type(description="A page of items (at most 50).")
class Connection(Generic[T]):  # noqa: UP046 - as Edge
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Paging details.")


def _cursor(offset: int) -> str:
    return base64.b64encode(f"o:{offset}".encode()).decode()


#: Further than any list of a school reaches; a larger offset is not a cursor we gave out (and
#: PostgreSQL's OFFSET is a bigint, so an unbounded one would fail in the database).
MAX_CURSOR_OFFSET = 10**9
_CURSOR_TEXT = re.compile(r"o:(0|[1-9][0-9]{0,9})")


class InvalidCursorError(GraphQLError):
    """A cursor this API never gave out: a typed error (``invalid_cursor``), never a masked
    server error and never silently the first page again (a client would loop for ever)."""

    def __init__(self) -> None:
        super().__init__(
            "This cursor is not valid: start again from the first page.",
            extensions={"code": "invalid_cursor"},
        )


def _offset(cursor: str | None) -> int:
    """The offset after the row a cursor names; raises InvalidCursorError for anything else."""
    if not cursor:
        return 0
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (ValueError, UnicodeError):
        raise InvalidCursorError from None
    match = _CURSOR_TEXT.fullmatch(text)
    if match is None or int(match.group(1)) >= MAX_CURSOR_OFFSET:
        raise InvalidCursorError
    return int(match.group(1)) + 1


def page_slice(  # noqa: UP047 - matches the Generic types above
    queryset: Pages[T], *, first: int | None, after: str | None, max_size: int
) -> tuple[list[tuple[str, T]], PageInfo]:
    """One page of at most ``max_size`` rows with their cursors (fetches one extra row to see
    whether more follow), for connections typed by hand."""
    size = max(0, min(first if first is not None else max_size, max_size))
    start = _offset(after)
    rows = list(queryset[start : start + size + 1])
    has_next = len(rows) > size
    items = [(_cursor(start + i), row) for i, row in enumerate(rows[:size])]
    return items, PageInfo(has_next_page=has_next, end_cursor=items[-1][0] if items else None)


def paginate(  # noqa: UP047 - matches the Generic types above
    queryset: Pages[R],
    *,
    first: int | None,
    after: str | None,
    build: Callable[[R], T],
) -> Connection[T]:
    """One page, never more than MAX_PAGE_SIZE items; fetches one extra row to see if more."""
    size = max(0, min(first if first is not None else MAX_PAGE_SIZE, MAX_PAGE_SIZE))
    start = _offset(after)
    rows = list(queryset[start : start + size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    edges = [Edge(node=build(row), cursor=_cursor(start + i)) for i, row in enumerate(rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )
