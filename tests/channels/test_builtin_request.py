"""BuiltinRequest: a real PTB bot on homthu's own HTTP/1.1 client against the sandbox emulator."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest

from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from sandbox import BotApiEmulator, FaultSpec

TOKEN = "123456:TEST-SECRET-TOKEN"
CITIZEN = 5001


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN)
    await emulator.start(host="127.0.0.1", port=0)
    emulator.send_text(CITIZEN, "/start")  # the user has written to the bot
    yield emulator
    await emulator.stop()


async def open_bot(
    emu: BotApiEmulator, base_url: str | None = None, request: BaseRequest | None = None
) -> Bot:
    bot = Bot(
        TOKEN,
        base_url=base_url or emu.base_url,
        base_file_url=emu.base_file_url,
        request=request or BuiltinRequest(),
    )
    await bot.initialize()
    return bot


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    telegram_bot = await open_bot(emu)
    yield telegram_bot
    await telegram_bot.shutdown()


async def test_get_me_through_the_builtin_client(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()

    assert me.is_bot and me.id == 123456
    assert isinstance(bot.request, BuiltinRequest)
    assert [c.method for c in emu.calls].count("getMe") == 2  # initialize() and ours


async def test_html_message_with_buttons_arrives_as_with_aiohttp(emu: BotApiEmulator) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Trả lời", callback_data="m:answer:7")]])
    text = '<b>Đường</b> thôn 3 &amp; ngập "sâu" 50% + 1'
    for request in (AiohttpRequest(), BuiltinRequest()):
        bot = await open_bot(emu, request=request)
        try:
            sent = await bot.send_message(
                CITIZEN,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                disable_notification=True,
            )
        finally:
            await bot.shutdown()
        shown = emu.bot_messages(CITIZEN)[-1]
        assert shown["message_id"] == sent.message_id
        assert shown["text"] == 'Đường thôn 3 & ngập "sâu" 50% + 1'

    by_aiohttp, by_builtin = [c.params for c in emu.calls if c.method == "sendMessage"]
    assert by_builtin == by_aiohttp  # JSON body, the same parameters as the form
    assert by_builtin["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:answer:7"
    assert by_builtin["chat_id"] == CITIZEN and by_builtin["disable_notification"] is True


async def test_many_calls_at_once_all_arrive_in_their_chats(emu: BotApiEmulator) -> None:
    citizens = [6000 + n for n in range(20)]
    for citizen in citizens:
        emu.send_text(citizen, "/start")
    bot = await open_bot(emu, request=BuiltinRequest(connection_pool_size=4))
    try:
        await asyncio.gather(*(bot.send_message(c, f"Phiếu của {c}") for c in citizens * 3))
    finally:
        await bot.shutdown()

    for citizen in citizens:
        assert [m["text"] for m in emu.bot_messages(citizen)] == [f"Phiếu của {citizen}"] * 3


async def test_an_upload_goes_through_aiohttp_and_the_download_comes_back(
    emu: BotApiEmulator, bot: Bot
) -> None:
    content = bytes(range(256)) * 400

    sent = await bot.send_document(
        CITIZEN, document=content, filename="don-gop-y.pdf", caption="Tệp đính kèm"
    )

    shown = emu.bot_messages(CITIZEN)[-1]
    assert shown["document"]["file_name"] == "don-gop-y.pdf"
    assert shown["document"]["file_size"] == len(content)
    assert shown["caption"] == "Tệp đính kèm"
    assert sent.document is not None
    file = await bot.get_file(sent.document.file_id)  # a GET on the builtin client
    assert bytes(await file.download_as_bytearray()) == content


async def test_long_poll_outlasts_the_read_timeout_and_returns_an_injected_update(
    emu: BotApiEmulator,
) -> None:
    # PTB adds the poll timeout to the read timeout: a 2 s poll must survive a 0.5 s read timeout.
    bot = await open_bot(emu, request=BuiltinRequest(read_timeout=0.5))
    try:
        pending = await bot.get_updates(timeout=0)
        offset = pending[-1].update_id + 1
        asyncio.get_running_loop().call_later(1.2, emu.send_text, CITIZEN, "đèn đường hỏng")

        updates = await bot.get_updates(offset=offset, timeout=2)

        assert [u.message.text for u in updates if u.message] == ["đèn đường hỏng"]
    finally:
        await bot.shutdown()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (
            FaultSpec(method="sendMessage", status=400, description="Bad Request: no text"),
            BadRequest,
        ),
        (FaultSpec(method="sendMessage", status=403), Forbidden),
        (FaultSpec(method="sendMessage", status=500), NetworkError),
    ],
    ids=["400", "403", "500"],
)
async def test_http_statuses_map_to_ptb_errors(
    emu: BotApiEmulator, bot: Bot, fault: FaultSpec, error: type[Exception]
) -> None:
    emu.inject_fault(fault)

    with pytest.raises(error) as raised:
        await bot.send_message(CITIZEN, "xin chào")

    assert type(raised.value) is error
    if fault.description:
        assert str(raised.value) == "No text"  # PTB drops "Bad Request: "


async def test_flood_control_is_retry_after_with_its_seconds(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", retry_after=3))

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(CITIZEN, "xin chào")

    assert raised.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]


async def test_a_held_request_times_out(emu: BotApiEmulator) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=3.0))
    bot = await open_bot(emu, request=BuiltinRequest(read_timeout=0.3))
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(CITIZEN, "xin chào")
        # The abandoned connection is not reused: the next call goes through.
        assert (await bot.get_me()).is_bot
    finally:
        await bot.shutdown()


async def test_a_per_call_read_timeout_overrides_the_default(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", delay=1.0))

    with pytest.raises(TimedOut):
        await bot.send_message(CITIZEN, "xin chào", read_timeout=0.2)


async def test_a_request_dropped_after_arrival_is_a_network_error_and_not_sent_again(
    emu: BotApiEmulator, bot: Bot
) -> None:
    # The emulator reads the request, then closes the connection without answering.
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=0.1))

    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CITIZEN, "xin chào")

    assert not isinstance(raised.value, TimedOut)
    assert [c.method for c in emu.calls].count("sendMessage") == 1


async def test_a_full_pool_times_out_without_sending(emu: BotApiEmulator) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", delay=1.0))
    request = BuiltinRequest(connection_pool_size=1, pool_timeout=0.2)
    bot = await open_bot(emu, request=request)
    try:
        slow = asyncio.create_task(bot.send_message(CITIZEN, "một"))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(CITIZEN, "hai")
        await slow
        assert [m["text"] for m in emu.bot_messages(CITIZEN)] == ["một"]
    finally:
        await bot.shutdown()


async def test_a_refused_connection_is_a_network_error_without_the_token(
    emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    request = BuiltinRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{closed_port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()

    assert not isinstance(raised.value, TimedOut)
    assert f"127.0.0.1:{closed_port}" in str(raised.value)
    assert "SECRET" not in str(raised.value)
    assert not any("SECRET" in record.getMessage() for record in caplog.records)


async def test_requests_go_through_a_configured_proxy(emu: BotApiEmulator) -> None:
    # The emulator stands in for the proxy: it receives the absolute URL of an unreachable host.
    request = BuiltinRequest(proxy=f"http://u:p%40ss@{emu_host(emu)}")
    bot = await open_bot(emu, base_url="http://api.telegram.invalid/bot", request=request)
    try:
        assert (await bot.get_me()).is_bot
    finally:
        await bot.shutdown()


async def test_with_trust_env_a_proxy_in_the_environment_is_used(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://{emu_host(emu)}")
    request = BuiltinRequest(trust_env=True)
    bot = await open_bot(emu, base_url="http://api.telegram.invalid/bot", request=request)
    try:
        assert (await bot.get_me()).is_bot
    finally:
        await bot.shutdown()


def emu_host(emu: BotApiEmulator) -> str:
    return emu.base_url.split("//", 1)[1].split("/", 1)[0]


def test_a_bad_pool_size_or_a_socks_proxy_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BuiltinRequest(connection_pool_size=0)
    with pytest.raises(ValueError, match="does not support socks5 proxies"):
        BuiltinRequest(proxy="socks5://127.0.0.1:1080")


async def test_a_request_before_initialize_or_after_shutdown_is_refused(
    emu: BotApiEmulator,
) -> None:
    request = BuiltinRequest()
    get_me = f"{emu.base_url}{TOKEN}/getMe"
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(get_me, "POST")
    async with request:
        status, _ = await request.do_request(get_me, "POST")
        assert status == 200
    await request.shutdown()  # a second shutdown is harmless
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(get_me, "POST")
    async with request:  # and it opens again
        status, _ = await request.do_request(get_me, "POST")
        assert status == 200


async def test_an_unsupported_url_scheme_is_a_network_error() -> None:
    async with BuiltinRequest() as request:
        with pytest.raises(NetworkError, match="unsupported URL scheme 'ftp'"):
            await request.post(f"ftp://127.0.0.1/bot{TOKEN}/getMe")
