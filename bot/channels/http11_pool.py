"""Keep-alive HTTP/1.1 connections per origin: opened on demand, reused last-in first-out.

A pooled connection that the server closed while it sat idle is noticed (asyncio reports the
close as soon as it arrives) and dropped before use; one idle longer than `idle_seconds` is
closed rather than trusted, as aiohttp does after 15 s, well inside the usual server keep-alive.
A request is sent again only when it certainly never left: on a fresh connection that turned
out closed before the request was written. Once written, a broken exchange is an error for the
caller (for homthu, the outbox's retry), never a silent second send.
"""

from __future__ import annotations

import asyncio
import ssl

from bot.channels.http11_connection import (
    Http11Connection,
    HttpTimeout,
    HttpTransportError,
    NotSent,
)

Origin = tuple[str, str, int]  # scheme, host, port
IDLE_SECONDS = 15.0
_CLOSE_WAIT = 1.0  # seconds shutdown waits for connections to finish closing


class ConnectionPool:
    """Open, lend and take back HTTP/1.1 connections; close them all on `close()`."""

    def __init__(self, ssl_context: ssl.SSLContext, idle_seconds: float = IDLE_SECONDS) -> None:
        self._ssl = ssl_context
        self._idle_seconds = idle_seconds
        self._idle: dict[Origin, list[Http11Connection]] = {}
        self._busy: set[Http11Connection] = set()
        self.closed = False

    async def send(
        self,
        origin: Origin,
        request: bytes,
        *,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
        no_body: bool = False,
    ) -> tuple[int, bytes]:
        """Send one request to `origin` and return the response's status and body."""
        connection = self._take_idle(origin)
        if connection is None:
            connection = await self._open(origin, connect_timeout)
        try:
            status, body = await self._exchange(
                connection, request, write_timeout, read_timeout, no_body
            )
        except NotSent:
            connection = await self._open(origin, connect_timeout)
            status, body = await self._exchange(
                connection, request, write_timeout, read_timeout, no_body
            )
        if connection.reusable and not self.closed:
            connection.idle_since = asyncio.get_running_loop().time()
            self._idle.setdefault(origin, []).append(connection)
        else:
            connection.close()
        return status, body

    async def close(self) -> None:
        """Close every connection, idle or busy (a busy request fails), and wait briefly."""
        self.closed = True
        connections = [c for idle in self._idle.values() for c in idle] + list(self._busy)
        self._idle.clear()
        for connection in connections:
            connection.close()
        pending = [c.lost for c in connections if not c.lost.done()]
        if pending:
            await asyncio.wait(pending, timeout=_CLOSE_WAIT)
        for connection in connections:
            if not connection.lost.done():
                connection.abort()  # e.g. a TLS peer that never answers close_notify

    async def _exchange(
        self,
        connection: Http11Connection,
        request: bytes,
        write_timeout: float | None,
        read_timeout: float | None,
        no_body: bool,
    ) -> tuple[int, bytes]:
        self._busy.add(connection)
        try:
            return await connection.exchange(request, write_timeout, read_timeout, no_body)
        finally:
            self._busy.discard(connection)

    def _take_idle(self, origin: Origin) -> Http11Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        oldest_kept = asyncio.get_running_loop().time() - self._idle_seconds
        while idle:
            connection = idle.pop()
            if connection.idle_since < oldest_kept:
                # Last in, first out: every connection below this one waited even longer.
                for stale in [connection, *idle]:
                    stale.close()
                idle.clear()
                return None
            if connection.reusable:
                return connection
            connection.close()  # the server closed it while it was idle
        return None

    async def _open(self, origin: Origin, connect_timeout: float | None) -> Http11Connection:
        scheme, host, port = origin
        tls = scheme == "https"
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(connect_timeout):
                _, connection = await loop.create_connection(
                    Http11Connection,
                    host,
                    port,
                    ssl=self._ssl if tls else None,
                    server_hostname=host if tls else None,
                )
        except TimeoutError:
            raise HttpTimeout(f"connecting to {host}:{port} took too long") from None
        except OSError as exc:  # ssl.SSLError (a bad certificate) is an OSError too
            raise HttpTransportError(f"cannot connect to {host}:{port}: {exc}") from exc
        if self.closed:
            connection.close()
            raise HttpTransportError("the connection pool is closed")
        return connection
