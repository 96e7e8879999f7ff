"""Which addresses a webhook may be sent to: http(s), no credentials, and (unless
``WEBHOOKS_ALLOW_PRIVATE_URLS``) never the server's own network."""

from __future__ import annotations

import ipaddress
import socket
from typing import TypeAlias
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError

#: One address of a host as :func:`socket.getaddrinfo` gives it: ``(family, sockaddr)``.
Address: TypeAlias = tuple[
    socket.AddressFamily, tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes]
]


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one is judged as IPv4: ::ffff:127.0.0.1 (mapped),
        # 2002:7f00:1:: (6to4) and Teredo's client address.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and _is_internal(str(embedded)):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global  # shared address space (100.64/10) and the like
    )


def url_addresses(url: str) -> list[Address]:
    """Check a subscriber's URL and resolve its host: ``(family, sockaddr)`` for each address.

    Refused (``DomainError`` on field ``url``): a scheme other than http/https, credentials in
    the URL, a host that does not resolve and, unless ``WEBHOOKS_ALLOW_PRIVATE_URLS``, any
    address that is loopback, private, link-local, reserved, multicast or unspecified: a
    webhook must not become a way to make the server call its own network.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("Use an http:// or https:// address."), field="url")
    if parts.username or parts.password:
        raise DomainError(
            _("Leave credentials out of the address; deliveries are signed with the secret."),
            field="url",
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise DomainError(_("The port is not valid."), field="url") from exc
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DomainError(
            _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}, field="url"
        ) from exc
    addresses = [(family, sockaddr) for family, _type, _proto, _name, sockaddr in found]
    if not addresses:
        raise DomainError(
            _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}, field="url"
        )
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        for _family, sockaddr in addresses:
            address = str(sockaddr[0])  # the IP address, for AF_INET and AF_INET6 alike
            if _is_internal(address):
                raise DomainError(
                    _("%(host)s points to an internal address (%(address)s); use a public one.")
                    % {"host": parts.hostname, "address": address},
                    field="url",
                )
    return addresses
