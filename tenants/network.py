"""The client's address: one answer for the audit log, sign-in lockouts and rate limits.

Behind the ingress every connection comes from the proxy, so the peer's address
(``REMOTE_ADDR``) says nothing about who is on the other end. The proxy appends the address
it was connected from to ``X-Forwarded-For``; anything to the left of that was written by
the client and can be anything. So the header is read from the right, and only while the
address in hand is one of the configured trusted proxies (``HAVEN_TRUSTED_PROXIES``): the
first address that is not a trusted proxy is the client. With no trusted proxies (the
default) the header is ignored entirely and the peer is the client.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # settings import this module: it must not load Django's request machinery
    from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# A proxy chain longer than this is not a real deployment; stop reading rather than walk a
# header of thousands of entries.
MAX_HOPS = 16


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR ranges; raises ValueError for anything else, including a range that
    would trust every address (which would let any client choose its own address)."""
    networks = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        network = ipaddress.ip_network(text, strict=False)
        if network.prefixlen == 0:
            raise ValueError(f"{text!r} would trust every address; name the proxies' range")
        networks.append(network)
    return tuple(networks)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return trusted_networks(entries)


def _parse(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest | None) -> str | None:
    """The address of whoever sent the request, as far as it can be known."""
    if request is None:
        return None
    peer = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    networks = _networks(tuple(getattr(settings, "HAVEN_TRUSTED_PROXIES", ())))
    if not networks:
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()][-MAX_HOPS:]
    address = peer
    while hops and any(address in network for network in networks):
        previous = _parse(hops.pop())
        if previous is None:
            # The proxy wrote something that is no address: the proxy is all we know.
            break
        address = previous
    return str(address)
