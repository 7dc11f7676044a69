"""API clients: creating and revoking them, and recognising, limiting and auditing their calls.

A token looks like ``haven_<key id>_<secret>``. The key id finds the row; the SHA-256 digest
of the whole token, compared in constant time, proves it. The secret has 256 bits from
``secrets``, so a plain digest (no slow password hash) is enough: there is nothing to guess.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import get_usage

from safeguarding.models import ApiClient, ApiScope, Staff
from safeguarding.services.audit import audit_record
from safeguarding.services.errors import ServiceError
from safeguarding.services.settings_rules import admin_refusal_error

TOKEN_PREFIX = "haven"  # noqa: S105 - a label, not a secret
NAME_MAX_LENGTH = ApiClient._meta.get_field("name").max_length or 100
DEFAULT_RATE_LIMIT = "600/m"


@dataclass(frozen=True)
class ApiClientCreated:
    api_client: ApiClient
    # Shown once to the admin who created it; never stored.
    token: str


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(
    actor: Staff, request: HttpRequest | None, *, changes_key_access: bool = False
) -> None:
    refusal = admin_refusal_error(
        actor,
        request,
        changes_key_access=changes_key_access,
        forbidden_message="Only a school admin can manage API clients.",
    )
    if refusal is not None:
        raise ServiceError([refusal])


def api_client_create(
    *,
    actor: Staff,
    name: str,
    scopes: Iterable[str],
    request: HttpRequest | None,
    expires_at: datetime.datetime | None = None,
) -> ApiClientCreated:
    """A token can read and write records by its scopes, so creating one needs what granting
    key access needs: a key-holding admin, second factor passed, password entered recently.
    ``expires_at`` (None: never) is when the token stops working; it also stops working once
    its creator is no longer an active admin."""
    _require_admin(actor, request, changes_key_access=True)
    name = name.strip()
    if not name:
        raise ServiceError.one("name", "required", "Give the client a name.")
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError.one(
            "name",
            "too_long",
            f"A name has at most {NAME_MAX_LENGTH} characters.",
        )
    wanted = list(dict.fromkeys(scopes))
    unknown = [scope for scope in wanted if scope not in ApiScope.values]
    if unknown:
        raise ServiceError.one("scopes", "unknown", f"Unknown scope: {', '.join(unknown)}.")
    if not wanted:
        raise ServiceError.one("scopes", "required", "Choose at least one scope.")
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = timezone.make_aware(expires_at)
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError.one("expiresAt", "in_the_past", "Choose an expiry in the future.")
    if ApiClient.objects.filter(name__iexact=name, revoked_at__isnull=True).exists():
        raise ServiceError.one("name", "taken", f"An API client called '{name}' already exists.")
    key_id = secrets.token_hex(8)
    token = f"{TOKEN_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    try:
        with transaction.atomic():
            api_client = ApiClient.objects.create(
                name=name,
                scopes=sorted(wanted),
                key_id=key_id,
                token_hash=_token_digest(token),
                created_by=actor,
                expires_at=expires_at,
            )
            audit_record(
                action="api_client.create",
                actor=actor,
                request=request,
                target=api_client,
                detail={
                    "name": name,
                    "scopes": api_client.scopes,
                    "expiresAt": expires_at.isoformat() if expires_at else None,
                },
            )
    except IntegrityError as error:
        # Another admin created the same name at the same moment.
        raise ServiceError.one(
            "name", "taken", f"An API client called '{name}' already exists."
        ) from error
    return ApiClientCreated(api_client=api_client, token=token)


@transaction.atomic
def api_client_revoke(
    *, actor: Staff, api_client_id: int, request: HttpRequest | None
) -> ApiClient:
    """Revoke a live client; its token stops working at once. Missing and forbidden (not an
    admin) give the same answer."""
    not_found = ServiceError.one("id", "not_found", "No such API client.")
    refusal = admin_refusal_error(actor, request)
    if refusal is not None and refusal.code != "second_factor_required":
        raise not_found
    if refusal is not None:
        raise ServiceError([refusal])
    api_client = (
        ApiClient.objects.select_for_update()
        .filter(pk=api_client_id, revoked_at__isnull=True)
        .first()
    )
    if api_client is None:
        raise not_found
    _revoke(api_client, actor=actor, request=request, detail={"name": api_client.name})
    return api_client


def _revoke(
    api_client: ApiClient, *, actor: Staff, request: HttpRequest | None, detail: dict[str, str]
) -> None:
    """Revoke a client locked by the caller, with its audit row."""
    api_client.revoked_at = timezone.now()
    api_client.save(update_fields=["revoked_at"])
    audit_record(
        action="api_client.revoke", actor=actor, request=request, target=api_client, detail=detail
    )


def api_clients_revoke_for_creator(
    *, creator: Staff, actor: Staff, reason: str, request: HttpRequest | None = None
) -> list[ApiClient]:
    """Revoke every live client ``creator`` made (e.g. as they are deactivated), each with its
    audit row. Runs inside the caller's transaction, so the two happen together or not at all.
    """
    revoked = list(
        ApiClient.objects.select_for_update().filter(created_by=creator, revoked_at__isnull=True)
    )
    for api_client in revoked:
        _revoke(
            api_client,
            actor=actor,
            request=request,
            detail={"name": api_client.name, "reason": reason},
        )
    return revoked


def api_client_authenticate(*, token: str) -> ApiClient | None:
    """The live client this token belongs to (at the current school), or None.

    Live: not revoked, not past its expiry, and made by someone who is still an active school
    admin. The last is checked here as well as revoked at deactivation, so it holds however
    the creator loses their account or their admin rights.
    """
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not key_id or not secret:
        return None
    api_client = (
        ApiClient.objects.select_related("created_by")
        .filter(key_id=key_id, revoked_at__isnull=True)
        .first()
    )
    if api_client is None:
        return None
    if not hmac.compare_digest(_token_digest(token), api_client.token_hash):
        return None
    creator = api_client.created_by
    if api_client.is_expired or creator is None:
        return None
    if not (creator.is_active and creator.is_school_admin):
        return None
    return api_client


def api_client_rate_limit(*, api_client: ApiClient, request: HttpRequest) -> int | None:
    """Count this call against the client's rate; the seconds to wait when over it, else None.

    A fixed window per client in the shared cache (Redis), so every web process counts
    together; the cache key carries the school's schema.
    """
    usage = get_usage(
        request,
        group="haven.api_client",
        key=lambda group, request: api_client.key_id,
        rate=getattr(settings, "HAVEN_API_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


@transaction.atomic
def api_client_record_call(
    *, api_client: ApiClient, request: HttpRequest, operation: str = ""
) -> None:
    """Every accepted call is audited under the client's name and marks it as used."""
    now = timezone.now()
    ApiClient.objects.filter(pk=api_client.pk).update(last_used_at=now)
    api_client.last_used_at = now
    audit_record(
        action="api_client.call",
        actor_label=api_client.name,
        request=request,
        target=api_client,
        detail={"operation": operation[:100]} if operation else {},
    )


def api_client_has_scope(api_client: ApiClient | None, scope: ApiScope) -> bool:
    return api_client is not None and api_client.is_active and scope.value in api_client.scopes
