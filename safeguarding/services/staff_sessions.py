"""Signed-in sessions: starting, ending, and the idle and absolute limits.

Every signed-in session has a ``StaffSession`` row whose id sits in the session. A session
without its row is signed out on its next request, so deleting rows ends sessions at once
whatever the session store does; the store's entry is deleted as well so the cookie is dead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.models import Staff, StaffSession
from safeguarding.selectors.school_settings import (
    idle_limit_of,
    session_absolute_limit,
    session_idle_minutes_subquery,
)
from safeguarding.services.audit import audit_record
from tenants.network import client_address

SESSION_ID_KEY = "haven_staff_session"
# Last-seen is written at most this often: idle limits are whole minutes.
_TOUCH_INTERVAL = timedelta(seconds=30)


def _session_store_delete(session_key: str) -> None:
    engine: Any = import_module(settings.SESSION_ENGINE)
    engine.SessionStore().delete(session_key)


def staff_session_start(*, request: HttpRequest, staff: Staff) -> StaffSession:
    """Index the session that ``django.contrib.auth.login`` just gave ``staff``."""
    now = timezone.now()
    session_key = request.session.session_key
    assert session_key is not None, "call after login(), which saves a fresh session"
    staff_session = StaffSession.objects.create(
        staff=staff,
        session_key=session_key,
        created_at=now,
        last_seen_at=now,
        ip_address=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
    request.session[SESSION_ID_KEY] = str(staff_session.pk)
    return staff_session


def staff_signed_in_index(
    sender: type[Staff], request: HttpRequest, user: Staff, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver: index the new session unless the login path already did."""
    if request is None or request.session.get(SESSION_ID_KEY):
        return
    staff_session_start(request=request, staff=user)


def staff_session_current(request: HttpRequest) -> StaffSession | None:
    """The session's index row, with the school's idle limit setting as ``idle_minutes``."""
    session_id = request.session.get(SESSION_ID_KEY)
    user = getattr(request, "user", None)
    if not session_id or user is None or not user.is_authenticated:
        return None
    return (
        StaffSession.objects.filter(pk=session_id, staff_id=user.pk)
        .annotate(idle_minutes=session_idle_minutes_subquery())
        .first()
    )


def staff_session_key_sync(*, request: HttpRequest) -> None:
    """Point the index at the session's current key after something cycled it (e.g.
    ``update_session_auth_hash`` after a password change)."""
    session_id = request.session.get(SESSION_ID_KEY)
    session_key = request.session.session_key
    if session_id and session_key:
        StaffSession.objects.filter(pk=session_id).exclude(session_key=session_key).update(
            session_key=session_key
        )


def staff_session_rekey(*, request: HttpRequest) -> None:
    """Give the session a new key (after a privilege change such as passing the second
    factor) and keep the index pointing at it."""
    request.session.cycle_key()
    staff_session_key_sync(request=request)


def _end(
    staff_sessions: Iterable[StaffSession],
    *,
    action: str,
    reason: str,
    actor: Staff | None,
    request: HttpRequest | None,
) -> int:
    ended = 0
    for staff_session in staff_sessions:
        audit_record(
            action=action,
            actor=actor,
            actor_label="" if actor is not None else "Haven",
            request=request,
            target=staff_session.staff,
            detail={"reason": reason, "session": str(staff_session.pk)},
        )
        staff_session.delete()
        _session_store_delete(staff_session.session_key)
        ended += 1
    return ended


def staff_session_end(*, actor: Staff, request: HttpRequest, session_id: str) -> bool:
    """End one of ``actor``'s own sessions. False when there is no such session of theirs."""
    try:
        uuid.UUID(session_id)
    except ValueError:
        return False
    with transaction.atomic():
        staff_session = (
            StaffSession.objects.select_for_update().filter(pk=session_id, staff=actor).first()
        )
        if staff_session is None:
            return False
        is_current = staff_session.session_key == request.session.session_key
        _end([staff_session], action="session.ended", reason="ended", actor=actor, request=request)
    if is_current:
        auth_logout(request)
    return True


def staff_sessions_end_all(
    *,
    staff: Staff,
    reason: str,
    actor: Staff | None = None,
    request: HttpRequest | None = None,
    keep_session_key: str | None = None,
) -> int:
    """End every session of ``staff`` (but ``keep_session_key``); returns how many ended."""
    with transaction.atomic():
        sessions = StaffSession.objects.select_for_update().filter(staff=staff)
        if keep_session_key is not None:
            sessions = sessions.exclude(session_key=keep_session_key)
        return _end(
            list(sessions), action="session.ended", reason=reason, actor=actor, request=request
        )


def staff_session_enforce(*, request: HttpRequest) -> None:
    """Sign out a session that was ended elsewhere or went past its idle or absolute limit;
    otherwise record that it was just used."""
    if getattr(connection, "schema_name", None) == settings.PUBLIC_SCHEMA_NAME:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    staff_session = staff_session_current(request)
    now = timezone.now()
    if staff_session is None:
        # Ended from another device, by disabling the account, or never indexed.
        auth_logout(request)
        return
    reason = None
    if now - staff_session.created_at >= session_absolute_limit():
        reason = "absolute_limit"
    elif now - staff_session.last_seen_at >= idle_limit_of(staff_session.idle_minutes):  # type: ignore[attr-defined]
        reason = "idle_limit"
    if reason is not None:
        with transaction.atomic():
            _end(
                [staff_session],
                action="session.expired",
                reason=reason,
                actor=staff_session.staff,
                request=request,
            )
        auth_logout(request)
        return
    if staff_session.session_key != request.session.session_key:
        staff_session_key_sync(request=request)
    if now - staff_session.last_seen_at >= _TOUCH_INTERVAL:
        StaffSession.objects.filter(pk=staff_session.pk).update(last_seen_at=now)


def staff_deactivated_sessions_end(sender: type[Staff], instance: Staff, **kwargs: Any) -> None:
    """``post_save`` receiver: an account that is no longer active loses every session at
    once, whichever code path disabled it."""
    if instance.is_active or kwargs.get("raw"):
        return
    if StaffSession.objects.filter(staff=instance).exists():
        staff_sessions_end_all(staff=instance, reason="account_disabled")
