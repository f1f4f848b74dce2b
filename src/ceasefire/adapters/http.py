"""Fetching URLs safely with httpx.

Every hop of a redirect chain is resolved first and refused when any address is loopback, private,
link-local, multicast or otherwise not public (unless settings allow it); the connection then goes
to the address that was checked, so a second DNS answer cannot slip a private address in.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from ceasefire.config import Settings
from ceasefire.domain import DropReason
from ceasefire.errors import IngestError

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a version of a resource, to ask for it only when it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class NotModified:
    """The server answered 304: the resource is the version the validators describe."""

    url: str


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise IngestError(DropReason.NETWORK, f"cannot resolve host {host!r}: {exc}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class HttpFetcher:
    """A small, careful HTTP client. Use as a context manager or call :meth:`close`."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.http_timeout),
            follow_redirects=False,
            trust_env=False,
            transport=transport,
            headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
        )

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def _target(self, url: str) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
        """The URL to connect to (the checked address), the Host header and TLS name."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise IngestError(DropReason.MALFORMED, f"not a valid URL {url!r}: {exc}") from exc
        if parsed.scheme not in ("http", "https"):
            raise IngestError(
                DropReason.UNSUPPORTED, f"only http and https URLs are fetched: {url}"
            )
        host = parsed.host
        if not host:
            raise IngestError(DropReason.MALFORMED, f"the URL has no host: {url}")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = resolve(host, port)
        if not addresses:
            raise IngestError(DropReason.NETWORK, f"no address for host {host!r}")
        if not self.settings.allow_private_addresses:
            refused = [a for a in addresses if not is_public(a)]
            if refused:
                raise IngestError(
                    DropReason.REFUSED_ADDRESS,
                    f"refused to fetch {url}: {host} resolves to the non-public address "
                    f"{refused[0]} (set CEASEFIRE_ALLOW_PRIVATE_ADDRESSES=true to allow)",
                )
        address = addresses[0]
        ip_host = f"[{address}]" if address.version == 6 else str(address)
        netloc = f"{ip_host}:{parsed.port}" if parsed.port else ip_host
        target = parsed.copy_with(netloc=netloc.encode("ascii"))
        host_header = host if not parsed.port else f"{host}:{parsed.port}"
        return target, {"Host": host_header}, {"sni_hostname": host}

    def fetch(self, url: str) -> Fetched:
        """GET ``url``. Raises :class:`IngestError` with a specific reason on any failure."""
        fetched = self._get(url, {})
        if isinstance(fetched, NotModified):  # cannot happen: nothing was conditional
            raise IngestError(DropReason.HTTP_STATUS, f"unexpected 304 from {fetched.url}")
        return fetched

    def fetch_if_changed(self, url: str, validators: Validators | None) -> Fetched | NotModified:
        """A conditional GET (If-None-Match, If-Modified-Since): :class:`NotModified` when the
        server says the resource is unchanged. Raises :class:`IngestError` like :meth:`fetch`."""
        return self._get(url, validators.headers() if validators else {})

    def _get(self, url: str, conditions: dict[str, str]) -> Fetched | NotModified:
        deadline = time.monotonic() + self.settings.http_timeout * 3
        current = url
        for _hop in range(self.settings.http_max_redirects + 1):
            target, headers, extensions = self._target(current)
            try:
                request = self.client.build_request(
                    "GET", target, headers={**headers, **conditions}, extensions=extensions
                )
                response = self.client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise IngestError(DropReason.TIMEOUT, f"timed out fetching {current}") from exc
            except httpx.HTTPError as exc:
                raise IngestError(DropReason.NETWORK, f"cannot fetch {current}: {exc}") from exc
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code == 304 and conditions:
                    return NotModified(current)
                if response.status_code >= 400:
                    raise IngestError(
                        DropReason.HTTP_STATUS,
                        f"HTTP {response.status_code} {response.reason_phrase} from {current}",
                    )
                body = self._read(response, current, deadline)
                return Fetched(
                    url=current,
                    status=response.status_code,
                    content_type=response.headers.get("content-type"),
                    charset=response.charset_encoding,
                    body=body,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
            finally:
                response.close()
        raise IngestError(
            DropReason.HTTP_STATUS,
            f"more than {self.settings.http_max_redirects} redirects starting from {url}",
        )

    def _read(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        limit = self.settings.http_max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise IngestError(
                DropReason.TOO_LARGE, f"{url} declares {int(declared):,} bytes, over {limit:,}"
            )
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in response.iter_bytes(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise IngestError(DropReason.TOO_LARGE, f"{url} sent more than {limit:,} bytes")
                if time.monotonic() > deadline:
                    raise IngestError(DropReason.TIMEOUT, f"timed out reading {url}")
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise IngestError(DropReason.TIMEOUT, f"timed out reading {url}") from exc
        except httpx.HTTPError as exc:
            raise IngestError(DropReason.NETWORK, f"connection lost reading {url}: {exc}") from exc
        return b"".join(chunks)
