"""A python-telegram-bot `BaseRequest` on homthu's own small HTTP/1.1 client (`http11_pool`).

Nearly every Bot API call homthu makes is a short POST answered with a little JSON. aiohttp's
client spends most of its CPU on generality such a call never uses; writing the request bytes
and parsing the response on a bare asyncio Protocol costs well under half as much
(docs/OPERATIONS.md, "HTTP client and proxies"). `[telegram] http_client = "builtin"`, the
default, picks this class. It keeps `AiohttpRequest`'s contract:

- at most `connection_pool_size` requests at once; a request that finds the pool full waits at
  most `pool_timeout` and then fails with `TimedOut("Pool timeout: …")`, unsent;
- timeouts as in `HTTPXRequest` (5 s each, pool 1 s, uploads 20 s to write), per call
  overridable, `DEFAULT_NONE` meaning "this instance's default" and `None` "no limit".
  `read_timeout` starts once the request is written and restarts on every byte received, so a
  `getUpdates` long poll is never cut; `write_timeout` bounds a request the socket cannot take;
- http:// and https:// (certificates and host names checked by `ssl.create_default_context()`,
  the host name sent by SNI), Content-Length, chunked and read-until-close responses,
  `Connection: close` honoured, idle keep-alive connections closed by the server replaced
  (see `http11_pool` for when a request is sent again: only when it certainly never left);
- bodies: the parameters PTB's own clients url-encode (`RequestData.json_parameters`: strings,
  non-string values JSON-encoded), sent as a JSON object of those strings, which the Bot API
  reads exactly as the form (a JSON string is a parameter's text); about 25 µs cheaper a call;
- errors: any timeout becomes `TimedOut`, any other failure `NetworkError`, never with the URL
  (it holds the token); HTTP statuses are left to `BaseRequest`, which maps them.

What it does not do itself it hands to an inner `AiohttpRequest` built with the same settings:
uploads (multipart/form-data), and everything when a proxy is configured or, with `trust_env`,
when the environment names one for the URL's scheme, so proxy behaviour is exactly aiohttp's.
"""

from __future__ import annotations

import json
import logging
import ssl
import urllib.request
from asyncio import Semaphore
from functools import lru_cache
from urllib.parse import quote, urlsplit

from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.http11_connection import HttpTimeout, HttpTransportError
from bot.channels.http11_pool import ConnectionPool, Origin
from bot.channels.telegram_aiohttp_request import AiohttpRequest, acquire_slot, pick_timeout

_LOGGER = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_JSON_HEADERS = "Content-Type: application/json\r\nContent-Length: "


class BuiltinRequest(BaseRequest):
    """`BaseRequest` implementation on `ConnectionPool`, with `AiohttpRequest` for the rest."""

    __slots__ = (
        "_connect_timeout",
        "_env_proxies",
        "_fallback",
        "_media_write_timeout",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_proxied",
        "_read_timeout",
        "_slots",
        "_ssl_context",
        "_static_headers",
        "_trust_env",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
        trust_env: bool = False,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # Validates the pool size and the proxy URL, and serves uploads and proxied requests.
        self._fallback = AiohttpRequest(
            connection_pool_size,
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
            media_write_timeout,
            proxy,
            trust_env,
        )
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxied = proxy is not None
        self._trust_env = trust_env
        self._env_proxies: dict[Origin, bool] = {}
        self._ssl_context = ssl_context
        self._static_headers = f"User-Agent: {self.USER_AGENT}\r\nAccept-Encoding: identity\r\n"
        self._pool: ConnectionPool | None = None
        self._slots: Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (see `BaseRequest.read_timeout`)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the pool and the fallback (again, after a shutdown); a no-op while open."""
        await self._fallback.initialize()
        if self._pool is not None and not self._pool.closed:
            return
        self._env_proxies.clear()  # the environment is read afresh, as aiohttp does per session
        context = self._ssl_context or ssl.create_default_context()
        self._pool = ConnectionPool(context)
        # Created here, inside the loop that will use it, so a restart on a new loop works.
        self._slots = Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        """Close every connection and the fallback; a no-op when already closed."""
        pool, self._pool = self._pool, None
        await self._fallback.shutdown()
        if pool is None:
            _LOGGER.debug("This BuiltinRequest is already shut down. Returning.")
            return
        await pool.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return its HTTP status and body (see `BaseRequest.do_request`)."""
        pool, slots = self._pool, self._slots
        if pool is None or slots is None:
            raise RuntimeError("This BuiltinRequest is not initialized!")
        origin, target, host = _split(url)
        if (request_data is not None and request_data.contains_files) or self._via_proxy(origin):
            # The fallback's pool is as large as ours, so taking our place first keeps the
            # total at `connection_pool_size` and the fallback never waits for one of its own.
            await acquire_slot(slots, pick_timeout(pool_timeout, self._pool_timeout))
            try:
                return await self._fallback.do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout
                )
            finally:
                slots.release()

        head = f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n{self._static_headers}"
        # PTB's string-valued parameters (`json_parameters`, what its form encoding sends) as a
        # JSON object: Telegram reads a JSON string exactly as a form value, and json.dumps
        # costs a third of urlencode's per-byte quoting of Vietnamese text.
        fields = request_data.json_parameters if request_data is not None else None
        if fields:
            body = json.dumps(fields)  # ASCII: non-ASCII characters are \u-escaped
            request = f"{head}{_JSON_HEADERS}{len(body)}\r\n\r\n{body}".encode("ascii")
        elif method == "POST":
            request = f"{head}Content-Length: 0\r\n\r\n".encode("ascii")
        else:
            request = f"{head}\r\n".encode("ascii")

        await acquire_slot(slots, pick_timeout(pool_timeout, self._pool_timeout))
        try:
            return await pool.send(
                origin,
                request,
                connect_timeout=pick_timeout(connect_timeout, self._connect_timeout),
                write_timeout=pick_timeout(write_timeout, self._write_timeout),
                read_timeout=pick_timeout(read_timeout, self._read_timeout),
                no_body=method == "HEAD",
            )
        except HttpTimeout as err:
            raise TimedOut(f"Timed out: {err}") from err
        except HttpTransportError as err:
            raise NetworkError(f"builtin HTTP client: {err}") from err
        finally:
            slots.release()

    def _via_proxy(self, origin: Origin) -> bool:
        """Whether a configured or (with trust_env) environment proxy carries this origin."""
        if self._proxied:
            return True
        if not self._trust_env:
            return False
        proxied = self._env_proxies.get(origin)
        if proxied is None:
            # The same test aiohttp applies: a proxy for the scheme, and the host not bypassed.
            scheme, host, _ = origin
            proxied = scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(
                host
            )
            self._env_proxies[origin] = proxied
        return proxied


@lru_cache(maxsize=64)
def _split(url: str) -> tuple[Origin, str, str]:
    """(origin, request target, Host header) of an http(s) URL; the Bot API uses a handful."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        # Not the URL itself: it holds the token.
        raise NetworkError(f"builtin HTTP client: unsupported URL scheme {scheme!r}")
    host = parts.hostname
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise NetworkError("builtin HTTP client: invalid host name") from None
    port = parts.port or _DEFAULT_PORTS[scheme]
    # Every byte of the request head is ASCII, so encoding it can never fail (and show the URL).
    target = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_PATH_SAFE + "?")
    shown = f"[{host}]" if ":" in host else host
    if port != _DEFAULT_PORTS[scheme]:
        shown += f":{port}"
    return (scheme, host, port), target, shown
