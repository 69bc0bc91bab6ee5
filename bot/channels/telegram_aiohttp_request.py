"""A python-telegram-bot `BaseRequest` on aiohttp: the same contract as PTB's `HTTPXRequest`.

PTB's default client, httpx, costs about 2.8 ms of CPU per Bot API call against the sandbox on
loopback, an aiohttp session about 0.8 ms (docs: ptb-notes §5); with an echo-sized bot that is
most of the work per update. This class is a drop-in replacement (`[telegram] http_client =
"aiohttp"`; "httpx" picks PTB's own client), and carries what homthu's default, the builtin
client (`telegram_builtin_request`), hands on: uploads and proxied requests.

- one `aiohttp.ClientSession` per instance, opened in `initialize()` and closed in `shutdown()`;
- at most `connection_pool_size` requests at once; a request that finds the pool full waits at
  most `pool_timeout` and then fails with `TimedOut("Pool timeout: …")`, unsent, as with httpx;
- timeouts as in `HTTPXRequest` (5 s each, pool 1 s, uploads 20 s to write), per call
  overridable, `DEFAULT_NONE` meaning "this instance's default" and `None` meaning "no limit".
  `read_timeout` starts once the request is written and restarts on every byte received, so a
  `getUpdates` long poll (PTB passes poll timeout + read timeout) is never cut. aiohttp has no
  per-write timeout: a POST's whole exchange is bounded instead by connect + write + read;
- an http:// or https:// proxy (credentials in the URL are sent as Proxy-Authorization);
  socks proxies need `HTTPXRequest` and are refused with a ValueError;
- bodies encoded as PTB's httpx client does: url-encoded form fields, or multipart/form-data
  when there are files, non-string values JSON-encoded (`RequestData.json_parameters`);
- errors: any timeout becomes `TimedOut`, any other aiohttp error `NetworkError`; HTTP
  statuses are left to `BaseRequest`, which maps them (400 BadRequest, 403 Forbidden, …).
"""

from __future__ import annotations

import asyncio
import logging
from base64 import b64encode

import aiohttp
import yarl
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_LOGGER = logging.getLogger(__name__)

_FORM = "application/x-www-form-urlencoded"
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* "
    "sent to Telegram. Consider adjusting the connection pool size or the pool timeout."
)


class AiohttpRequest(BaseRequest):
    """`BaseRequest` implementation backed by one `aiohttp.ClientSession`."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_proxy",
        "_proxy_headers",
        "_read_timeout",
        "_session",
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
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy, self._proxy_headers = _parse_proxy(proxy)
        self._trust_env = trust_env
        self._session: aiohttp.ClientSession | None = None
        self._pool: asyncio.Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds (see `BaseRequest.read_timeout`)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown); a no-op while it is open."""
        if self._session is not None and not self._session.closed:
            return
        connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
        self._session = aiohttp.ClientSession(
            connector=connector,
            trust_env=self._trust_env,
            cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets no cookies
            headers={"User-Agent": self.USER_AGENT},
            timeout=aiohttp.ClientTimeout(total=None),
        )
        # Created here, inside the loop that will use it, so a restart on a new loop works.
        self._pool = asyncio.Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        """Close the session and its connections; a no-op when already closed."""
        session, self._session = self._session, None
        if session is None or session.closed:
            _LOGGER.debug("This AiohttpRequest is already shut down. Returning.")
            return
        await session.close()

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
        session, pool = self._session, self._pool
        if session is None or session.closed or pool is None:
            raise RuntimeError("This AiohttpRequest is not initialized!")

        body, headers, has_files = _encode(request_data)
        read = pick_timeout(read_timeout, self._read_timeout)
        connect = pick_timeout(connect_timeout, self._connect_timeout)
        write = pick_timeout(
            write_timeout, self._media_write_timeout if has_files else self._write_timeout
        )
        # aiohttp cannot time a stalled write on its own; bound the whole exchange instead.
        # Not for downloads (GET), whose body may be large: there sock_read guards each gap.
        total = None
        if body is not None and None not in (connect, write, read):
            total = (connect or 0) + (write or 0) + (read or 0)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)

        await acquire_slot(pool, pick_timeout(pool_timeout, self._pool_timeout))
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxy,
                proxy_headers=self._proxy_headers,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's ServerTimeoutError is a TimeoutError too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # The class name helps when the message is empty, as httpx's adapter does.
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        finally:
            pool.release()


async def acquire_slot(pool: asyncio.Semaphore, wait: float | None) -> None:
    """Take one of the pool's places, waiting at most `wait` seconds; `TimedOut` if none frees."""
    if not pool.locked() or wait is None:
        await pool.acquire()
        return
    try:
        async with asyncio.timeout(wait):
            await pool.acquire()
    except TimeoutError:
        raise TimedOut(POOL_TIMEOUT_MESSAGE) from None


def pick_timeout(value: ODVInput[float], default: float | None) -> float | None:
    """A per-call timeout, or the instance's default when the caller passed DEFAULT_NONE."""
    if isinstance(value, DefaultValue):
        return default
    return value


def _encode(
    request_data: RequestData | None,
) -> tuple[bytes | aiohttp.FormData | None, dict[str, str] | None, bool]:
    """The body as PTB's httpx client sends it, its headers, and whether it uploads files."""
    if request_data is None:
        return None, None, False
    files = request_data.multipart_data
    if files:
        form = aiohttp.FormData(quote_fields=False, charset="utf-8")
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, (filename, content, mimetype) in files.items():
            form.add_field(name, content, filename=filename, content_type=mimetype)
        return form, None, True
    if not request_data.parameters:
        return None, None, False
    body = request_data.url_encoded_parameters().encode("ascii")
    return body, {"Content-Type": _FORM}, False


def _parse_proxy(proxy: str | None) -> tuple[yarl.URL | None, dict[str, str] | None]:
    """An http(s) proxy URL, split into the address and its credentials."""
    if proxy is None:
        return None, None
    url = yarl.URL(proxy)
    if url.scheme.startswith("socks"):
        raise ValueError(
            f"AiohttpRequest does not support {url.scheme} proxies; use an http:// or https:// "
            'proxy, or http_client = "httpx" with python-telegram-bot[socks]'
        )
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"proxy must be an http:// or https:// URL, got {url.scheme}://")
    if url.user is None:
        return url, None
    # Sent as a header: aiohttp 3.14 deprecates BasicAuth objects.
    pair = f"{url.user}:{url.password or ''}".encode()
    return url.with_user(None), {"Proxy-Authorization": f"Basic {b64encode(pair).decode()}"}
