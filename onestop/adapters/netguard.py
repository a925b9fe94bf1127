"""Outbound HTTP only to public addresses, checked after resolution and pinned (SSRF guard).

Why (issue 17, finding 3): a push subscription names a URL the server then POSTs to.
Checking the URL's host as a canonical IP literal is not enough — `2130706433`,
`0x7f000001`, `127.1`, `0177.0.0.1` are all 127.0.0.1 to the C resolver, `localhost.`
is localhost, a DNS name can point anywhere and change between check and use, and
IPv6 can wrap an IPv4 address (mapped, 6to4, NAT64). So:
- `host_refusal` refuses, before anything is stored, a host written in any
  non-canonical numeric notation, any spelling of localhost, and any literal
  address that is not public;
- `PinnedAdapter` resolves the host at send time, refuses unless *every* address is
  public, and connects to the checked address itself (TLS still verifies the name),
  for the first request and for every redirect;
- errors are reported as a short category, never the resolver's or socket's text,
  so a subscription cannot be used to probe ports.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(Exception):
    """The destination is not a public address (or could not be resolved)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """A globally routable unicast address (loopback too when the site itself runs locally)."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        if isinstance(ip, ipaddress.IPv6Address) and ip.teredo is not None:
            return False  # a tunnel endpoint we cannot reason about
        return is_public(inner, allow_loopback=allow_loopback)
    if isinstance(ip, ipaddress.IPv6Address) and ip in _NAT64_LOCAL:
        return False
    if ip.is_loopback:
        return allow_loopback
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or ip.is_link_local or ip.is_private:
        return False
    return ip.is_global


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """What the C resolver would make of a numeric host (`127.1`, `0x7f000001`, `0177.0.0.1`)."""
    if not re.fullmatch(r"[0-9a-fx.]+", host) or not re.search(r"[0-9]", host):
        return None
    if not re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def host_refusal(host: str | None, *, allow_loopback: bool = False) -> str | None:
    """Why this URL host may not be used (a stable code), or None when it may."""
    if not host:
        return "no_host"
    host = host.lower()
    if "%" in host:
        return "scoped_address"  # fe80::1%eth0
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        return None if is_public(literal, allow_loopback=allow_loopback) else "private_address"
    numeric = _numeric_ipv4(host.rstrip("."))
    if numeric is not None:
        return "non_canonical_address"  # no push service is named 2130706433
    name = host[:-1] if host.endswith(".") else host
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return "bad_host"
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        return "bad_host"
    if labels[-1] in ("localhost", "local", "internal", "localdomain", "home", "lan", "arpa"):
        return None if allow_loopback and labels[-1] == "localhost" else "private_name"
    if len(labels) < 2:
        return "private_name"  # a single label resolves through the local search domains
    return None


def resolve_public(host: str, port: int, *, allow_loopback: bool = False) -> IPAddress:
    """Resolve `host` and return the address to connect to; refuse unless every address is public."""
    refusal = host_refusal(host, allow_loopback=allow_loopback)
    if refusal:
        raise AddressRefused(refusal)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressRefused("unresolvable") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]
        try:
            addresses.append(ipaddress.ip_address(raw))
        except ValueError as exc:
            raise AddressRefused("unresolvable") from exc
    if not addresses:
        raise AddressRefused("unresolvable")
    if not all(is_public(a, allow_loopback=allow_loopback) for a in addresses):
        raise AddressRefused("private_address")
    return addresses[0]


class PinnedAdapter(HTTPAdapter):
    """A requests adapter that connects only to the checked address of each request's host."""

    def __init__(self, *, allow_loopback: bool = False, **kwargs: object) -> None:
        self.allow_loopback = allow_loopback
        self._pin = threading.local()
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        if parts.scheme not in ("http", "https") or parts.username or parts.password:
            raise AddressRefused("bad_url")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve_public(parts.hostname or "", port, allow_loopback=self.allow_loopback)
        self._pin.value = (parts.hostname, str(ip))
        request.headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        try:
            return super().send(request, **kwargs)  # type: ignore[arg-type]
        finally:
            self._pin.value = None

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # noqa: ANN001, ANN201
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        pin = getattr(self._pin, "value", None)
        if pin is None:
            raise AddressRefused("not_pinned")
        hostname, ip = pin
        host_params["host"] = ip
        if host_params.get("scheme") == "https":
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return host_params, pool_kwargs


def pinned_session(*, allow_loopback: bool = False) -> requests.Session:
    """A requests session for untrusted URLs: pinned public addresses, no proxies from the environment."""
    session = requests.Session()
    session.trust_env = False
    adapter = PinnedAdapter(allow_loopback=allow_loopback)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.max_redirects = 3
    return session
