"""One HTTP/1.1 keep-alive client connection on an asyncio Protocol: one request at a time.

Small on purpose, for the Bot API's short JSON answers: the request goes out as one prepared
byte string; the response is parsed as it arrives (status line, headers, then a Content-Length,
chunked or read-until-close body) and handed over whole. No bytes are kept beyond the response:
anything the server sends past it, or while no request is waiting, makes the connection
unusable rather than buffered. The read timeout starts once the request is written and restarts
on every byte received, so a long poll is never cut while the server answers within it.
"""

from __future__ import annotations

import asyncio
from typing import cast

_MAX_HEAD = 64 * 1024  # status line and headers; the Bot API sends a few hundred bytes

# What the parser waits for.
_HEAD, _LENGTH, _CHUNK_SIZE, _CHUNK_DATA, _TRAILERS, _UNTIL_CLOSE, _IDLE = range(7)


class HttpTransportError(Exception):
    """The exchange failed; the server may or may not have received the request."""


class HttpTimeout(HttpTransportError):
    """Connecting, writing the request or waiting for the next response byte took too long."""


class NotSent(HttpTransportError):
    """The connection was closed before the request was written: the server never saw it."""


class Http11Connection(asyncio.Protocol):
    """A client connection that sends requests and parses responses, one exchange at a time."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.lost = self._loop.create_future()  # resolved in connection_lost
        self._buffer = bytearray()
        self._response: asyncio.Future[tuple[int, bytes]] | None = None
        self._mode = _IDLE
        self._status = 0
        self._body = bytearray()
        self._remaining = 0
        self._keep_alive = True
        self._no_body = False
        self._read_timeout: float | None = None
        self._last_read = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._writable: asyncio.Future[None] | None = None
        self._paused = False

    @property
    def reusable(self) -> bool:
        """Whether another request may follow on this connection."""
        transport = self._transport
        return (
            self._keep_alive
            and not self.closed
            and self._mode == _IDLE
            and transport is not None
            and not transport.is_closing()
        )

    async def exchange(
        self,
        request: bytes,
        write_timeout: float | None,
        read_timeout: float | None,
        no_body: bool = False,
    ) -> tuple[int, bytes]:
        """Write `request` and return the response's status and body (`no_body`: a HEAD)."""
        transport = self._transport
        if self.closed or transport is None or transport.is_closing():
            raise NotSent("the connection was closed before the request was written")
        response: asyncio.Future[tuple[int, bytes]] = self._loop.create_future()
        self._response = response
        self._mode = _HEAD
        self._keep_alive = True
        self._no_body = no_body
        self._read_timeout = read_timeout
        transport.write(request)
        try:
            if self._paused:
                await self._drained(write_timeout)
            if read_timeout is not None:
                self._last_read = self._loop.time()
                self._timer = self._loop.call_at(self._last_read + read_timeout, self._check_read)
            return await response
        except BaseException:
            if response.done() and not response.cancelled():
                response.exception()  # seen: the error raised here is the one that counts
            self.abort()  # a half-done exchange leaves the connection in an unknown state
            raise
        finally:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._response = None

    def close(self) -> None:
        """Close the connection politely (after what is already written)."""
        self.closed = True
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        """Drop the connection at once."""
        self.closed = True
        if self._transport is not None:
            self._transport.abort()

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport (asyncio sets TCP_NODELAY on TCP sockets itself)."""
        # uvloop's TCP transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        """Parse what arrived; bytes nobody asked for end the connection."""
        response = self._response
        if response is None or response.done():
            self.abort()
            return
        self._last_read = self._loop.time()
        self._buffer += data
        try:
            self._parse()
        except (ValueError, IndexError) as exc:
            self._fail(HttpTransportError(f"malformed HTTP response: {exc}"))
            self.abort()

    def eof_received(self) -> bool:
        """The server closed its side: a read-until-close body ends here, anything else fails."""
        self.closed = True
        response = self._response
        if response is not None and not response.done():
            if self._mode == _UNTIL_CLOSE:
                self._body += self._buffer
                self._buffer.clear()
                self._finish()
            else:
                self._fail(HttpTransportError("the server closed the connection mid-response"))
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        """Fail what waits on this connection."""
        self.closed = True
        reason = f"the connection was lost: {exc}" if exc else "the connection was closed"
        self._fail(HttpTransportError(reason))
        writable, self._writable = self._writable, None
        if writable is not None and not writable.done():
            writable.set_exception(HttpTransportError(reason))
        if not self.lost.done():
            self.lost.set_result(None)

    def pause_writing(self) -> None:
        """The transport's write buffer is full."""
        self._paused = True

    def resume_writing(self) -> None:
        """The transport's write buffer drained."""
        self._paused = False
        writable, self._writable = self._writable, None
        if writable is not None and not writable.done():
            writable.set_result(None)

    # internals

    async def _drained(self, write_timeout: float | None) -> None:
        self._writable = self._loop.create_future()
        try:
            async with asyncio.timeout(write_timeout):
                await self._writable
        except TimeoutError:
            raise HttpTimeout("writing the request took too long") from None

    def _check_read(self) -> None:
        """The read timer fired: time out, or wait on if a byte came meanwhile."""
        self._timer = None
        response, timeout = self._response, self._read_timeout
        if response is None or response.done() or timeout is None:
            return
        deadline = self._last_read + timeout
        if self._loop.time() >= deadline:
            response.set_exception(HttpTimeout("no response byte within the read timeout"))
        else:
            self._timer = self._loop.call_at(deadline, self._check_read)

    def _fail(self, error: HttpTransportError) -> None:
        response = self._response
        if response is not None and not response.done():
            response.set_exception(error)

    def _finish(self) -> None:
        response = self._response
        self._mode = _IDLE
        if self._buffer:
            # More than one response's worth: never parse it as the next request's answer.
            self._keep_alive = False
        body, self._body = bytes(self._body), bytearray()
        if response is not None and not response.done():
            response.set_result((self._status, body))

    def _parse(self) -> None:
        buffer = self._buffer
        while True:
            mode = self._mode
            if mode == _HEAD:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise ValueError("response head too large")
                    return
                head = bytes(buffer[:end])
                del buffer[: end + 4]
                self._start_body(head)
            elif mode == _LENGTH:
                size = self._remaining
                if len(buffer) < size:
                    return
                self._body = buffer[:size]
                del buffer[:size]
                self._finish()
                return
            elif mode == _CHUNK_SIZE:
                end = buffer.find(b"\r\n")
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise ValueError("chunk size line too long")
                    return
                size = int(bytes(buffer[:end]).split(b";", 1)[0].strip(), 16)
                del buffer[: end + 2]
                if size < 0:
                    raise ValueError("negative chunk size")
                self._remaining = size
                self._mode = _CHUNK_DATA if size else _TRAILERS
            elif mode == _CHUNK_DATA:
                size = self._remaining
                if len(buffer) < size + 2:
                    return
                if buffer[size : size + 2] != b"\r\n":
                    raise ValueError("chunk not followed by CRLF")
                self._body += buffer[:size]
                del buffer[: size + 2]
                self._mode = _CHUNK_SIZE
            elif mode == _TRAILERS:
                end = buffer.find(b"\r\n")
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise ValueError("trailers too large")
                    return
                del buffer[: end + 2]
                if end == 0:
                    self._finish()
                    return
            elif mode == _UNTIL_CLOSE:
                self._body += buffer
                buffer.clear()
                return
            else:  # _IDLE: the response is complete and nothing more was expected
                return

    def _start_body(self, head: bytes) -> None:
        """Read the status line and the headers that decide how the body is framed."""
        lines = head.split(b"\r\n")
        version, status_code = lines[0].split(b" ", 2)[:2]
        if not version.startswith(b"HTTP/1."):
            raise ValueError(f"not an HTTP/1.x status line: {lines[0][:40]!r}")
        status = int(status_code)
        length: int | None = None
        coding = b""
        connection = b""
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon:
                raise ValueError(f"header line without a colon: {line[:40]!r}")
            name = name.strip().lower()
            if name == b"content-length":
                found = int(value)
                if found < 0 or (length is not None and found != length):
                    raise ValueError("bad or conflicting Content-Length")
                length = found
            elif name == b"transfer-encoding":
                coding = value.strip().lower()
            elif name == b"connection":
                connection = value.lower()
            elif name == b"content-encoding" and value.strip().lower() != b"identity":
                # Asked for with "Accept-Encoding: identity"; never hand PTB compressed bytes.
                raise ValueError(f"unrequested Content-Encoding {value.strip()[:20]!r}")
        if 100 <= status < 200:
            return  # an interim response (100 Continue): the real one follows
        self._status = status
        if version == b"HTTP/1.0":
            self._keep_alive = b"keep-alive" in connection
        else:
            self._keep_alive = b"close" not in connection
        if self._no_body or status in (204, 304):
            self._finish()
        elif coding:
            if coding.rsplit(b",", 1)[-1].strip() == b"chunked":
                self._mode = _CHUNK_SIZE
            else:
                self._mode, self._keep_alive = _UNTIL_CLOSE, False
        elif length is not None:
            self._remaining = length
            if length:
                self._mode = _LENGTH
            else:
                self._finish()
        else:
            self._mode, self._keep_alive = _UNTIL_CLOSE, False
