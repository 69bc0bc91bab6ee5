"""BuiltinRequest against small servers that behave oddly: framing, closes, stalls, TLS."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.http11_connection import Http11Connection, NotSent
from bot.channels.telegram_builtin_request import BuiltinRequest

PATH = "/bot123456:TEST/getMe"
ANSWER = {"ok": True, "result": {"id": 123456, "is_bot": True, "first_name": "Hòm thư"}}
ANSWER_BYTES = json.dumps(ANSWER, ensure_ascii=False).encode()


@dataclass
class Served:
    """A test server's address and what it saw."""

    url: str
    client_ports: list[int] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def connections(self) -> int:
        return len(set(self.client_ports))


Handler = Callable[[web.Request, Served], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def http_server(
    handler: Handler,
    keepalive_timeout: float = 75.0,
    ssl_context: ssl.SSLContext | None = None,
    host: str = "127.0.0.1",
) -> AsyncIterator[Served]:
    served = Served("")

    async def handle(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        served.client_ports.append(request.transport.get_extra_info("peername")[1])
        return await handler(request, served)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, keepalive_timeout=keepalive_timeout)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = runner.addresses[0][1]
    served.url = f"{'https' if ssl_context else 'http'}://{host}:{port}{PATH}"
    try:
        yield served
    finally:
        served.release.set()  # let stalled handlers end, so cleanup does not wait for them
        await runner.cleanup()


Conversation = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(conversation: Conversation) -> AsyncIterator[Served]:
    """A TCP server that speaks whatever `conversation` writes."""
    served = Served("")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served.client_ports.append(writer.get_extra_info("peername")[1])
        try:
            await conversation(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    served.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}{PATH}"
    try:
        yield served
    finally:
        served.release.set()
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's head and body (Content-Length), as the server received it."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head + await reader.readexactly(length)


@pytest.fixture
async def request_() -> AsyncIterator[BuiltinRequest]:
    async with BuiltinRequest(read_timeout=2.0) as request:
        yield request


async def json_answer(request: web.Request, served: Served) -> web.StreamResponse:
    return web.json_response(ANSWER)


async def test_connections_are_kept_alive_and_reused(request_: BuiltinRequest) -> None:
    async with http_server(json_answer) as server:
        for _ in range(5):
            assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 1


async def test_a_chunked_answer_arriving_in_pieces_is_put_together(
    request_: BuiltinRequest,
) -> None:
    async def chunked(request: web.Request, served: Served) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(ANSWER_BYTES), 7):
            await response.write(ANSWER_BYTES[start : start + 7])
            await asyncio.sleep(0.01)
        await response.write_eof()
        return response

    async with http_server(chunked) as server:
        assert await request_.post(server.url) == ANSWER["result"]
        assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 1  # a chunked answer ends cleanly: the connection is kept


async def test_connection_close_is_honoured(request_: BuiltinRequest) -> None:
    async def closing(request: web.Request, served: Served) -> web.StreamResponse:
        return web.json_response(ANSWER, headers={"Connection": "close"})

    async with http_server(closing) as server:
        assert await request_.post(server.url) == ANSWER["result"]
        assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 2


async def test_an_idle_connection_the_server_closed_is_replaced(request_: BuiltinRequest) -> None:
    async with http_server(json_answer, keepalive_timeout=0.1) as server:
        assert await request_.post(server.url) == ANSWER["result"]
        await asyncio.sleep(0.4)  # the server drops the idle keep-alive connection

        assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 2
    assert len(server.client_ports) == 2  # replaced before sending: the server saw each once


async def test_a_server_that_stalls_mid_answer_times_out(request_: BuiltinRequest) -> None:
    async def stalling(request: web.Request, served: Served) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(len(ANSWER_BYTES))})
        await response.prepare(request)
        await response.write(ANSWER_BYTES[:10])
        await served.release.wait()
        return response

    async with http_server(stalling) as server:
        with pytest.raises(TimedOut, match="no response byte within the read timeout"):
            await request_.post(server.url, read_timeout=0.3)


async def test_a_slow_trickle_is_not_cut_while_each_byte_comes_in_time(
    request_: BuiltinRequest,
) -> None:
    async def trickling(request: web.Request, served: Served) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(len(ANSWER_BYTES))})
        await response.prepare(request)
        for start in range(0, len(ANSWER_BYTES), len(ANSWER_BYTES) // 6 + 1):
            await asyncio.sleep(0.15)
            await response.write(ANSWER_BYTES[start : start + len(ANSWER_BYTES) // 6 + 1])
        return response

    async with http_server(trickling) as server:
        # About 1 s in all, but never 0.4 s without a byte.
        assert await request_.post(server.url, read_timeout=0.4) == ANSWER["result"]


async def test_an_answer_read_until_the_server_closes(request_: BuiltinRequest) -> None:
    async def http10(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + ANSWER_BYTES)
        await writer.drain()

    async with raw_server(http10) as server:
        assert await request_.post(server.url) == ANSWER["result"]
        assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 2


async def test_stray_bytes_after_an_answer_are_never_read_as_the_next_one(
    request_: BuiltinRequest,
) -> None:
    async def chatty(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(ANSWER_BYTES)}\r\n\r\n"
            stray = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
            writer.write(head.encode() + ANSWER_BYTES + stray)
            await writer.drain()

    async with raw_server(chatty) as server:
        assert await request_.post(server.url) == ANSWER["result"]
        assert await request_.post(server.url) == ANSWER["result"]

    assert server.connections == 2


async def test_a_server_that_does_not_speak_http_is_a_network_error(
    request_: BuiltinRequest,
) -> None:
    async def ssh(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.1)

    async with raw_server(ssh) as server:
        with pytest.raises(NetworkError, match="malformed HTTP response") as raised:
            await request_.post(server.url)

    assert not isinstance(raised.value, TimedOut)


async def test_a_server_that_stops_reading_makes_the_write_time_out(
    request_: BuiltinRequest,
) -> None:
    async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await served_release.wait()

    served_release = asyncio.Event()
    huge = RequestData([RequestParameter("text", "x" * 16_000_000, ())])
    async with raw_server(deaf) as server:
        try:
            with pytest.raises(TimedOut, match="writing the request took too long"):
                await request_.post(server.url, huge, write_timeout=0.3)
        finally:
            served_release.set()


async def test_requests_carry_host_json_and_no_compression(request_: BuiltinRequest) -> None:
    seen: list[bytes] = []

    async def recording(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        await writer.drain()

    data = RequestData(
        [RequestParameter("chat_id", 5001, ()), RequestParameter("text", "Góp ý", ())]
    )
    async with raw_server(recording) as server:
        status, body = await request_.do_request(server.url, "POST", data)

    assert (status, body) == (204, b"")
    head, _, sent = seen[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == f"POST {PATH} HTTP/1.1"
    assert f"Host: 127.0.0.1:{server.url.split(':')[2].split('/')[0]}" in lines
    assert "Accept-Encoding: identity" in lines
    assert "Content-Type: application/json" in lines
    assert json.loads(sent) == {"chat_id": "5001", "text": "Góp ý"}  # PTB's form values


# TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for DNS:localhost, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate: tuple[Path, Path], names: list[str | None]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)

    def note(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = note
    return context


async def test_https_checks_the_certificate_sends_sni_and_keeps_alive(
    certificate: tuple[Path, Path],
) -> None:
    names: list[str | None] = []
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    async with (
        BuiltinRequest(ssl_context=trusting) as request,
        http_server(
            json_answer, ssl_context=server_context(certificate, names), host="localhost"
        ) as server,
    ):
        assert await request.post(server.url) == ANSWER["result"]
        assert await request.post(server.url) == ANSWER["result"]

    assert names == ["localhost"]  # one TLS handshake, with the host name
    assert server.connections == 1


async def test_https_refuses_a_certificate_for_another_host(
    certificate: tuple[Path, Path],
) -> None:
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    async with (
        BuiltinRequest(ssl_context=trusting) as request,
        # The certificate names localhost; the URL says 127.0.0.1.
        http_server(json_answer, ssl_context=server_context(certificate, [])) as server,
    ):
        with pytest.raises(NetworkError, match="certificate verify failed"):
            await request.post(server.url)


async def test_https_refuses_an_untrusted_certificate(certificate: tuple[Path, Path]) -> None:
    async with (
        BuiltinRequest() as request,  # the system's trust store
        http_server(
            json_answer, ssl_context=server_context(certificate, []), host="localhost"
        ) as server,
    ):
        with pytest.raises(NetworkError, match="certificate verify failed"):
            await request.post(server.url)


async def test_a_connection_the_server_closed_refuses_to_send_rather_than_lose_it() -> None:
    # What lets the pool send again safely: a request is never written to a closed connection.
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        return

    async with raw_server(hang_up) as server:
        port = int(server.url.split(":")[2].split("/")[0])
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(Http11Connection, "127.0.0.1", port)
        await asyncio.wait_for(connection.lost, 2)

        with pytest.raises(NotSent):
            await connection.exchange(b"POST / HTTP/1.1\r\n\r\n", 1.0, 1.0)

    assert not connection.reusable
