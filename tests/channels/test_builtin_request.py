"""BuiltinRequest's own behaviour against the sandbox emulator (the contract it shares with
AiohttpRequest: test_request_contract.py; odd servers and TLS: test_builtin_request_servers.py)."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest

from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from sandbox import BotApiEmulator, FaultSpec

TOKEN = "123456:TEST"
CITIZEN = 5001


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


async def test_a_request_dropped_after_arrival_is_a_network_error_and_not_sent_again(
    emu: BotApiEmulator, bot: Bot
) -> None:
    # The emulator reads the request, then closes the connection without answering.
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=0.1))

    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CITIZEN, "xin chào")

    assert not isinstance(raised.value, TimedOut)
    assert [c.method for c in emu.calls].count("sendMessage") == 1


async def test_the_token_reaches_neither_the_log_nor_an_error(
    emu: BotApiEmulator, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    await bot.send_message(CITIZEN, "một")
    emu.inject_fault(FaultSpec(method="sendMessage", status=500))
    errors = []
    for url in (emu.base_url, f"http://127.0.0.1:{closed_port}/bot"):
        bot._base_url = f"{url}{TOKEN}"
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(CITIZEN, "hai")
        errors.append(str(raised.value))

    assert f"127.0.0.1:{closed_port}" in errors[1]
    assert not any(TOKEN in error for error in errors)
    assert caplog.records
    assert not any(TOKEN in record.getMessage() for record in caplog.records)


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


def test_a_bad_pool_size_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BuiltinRequest(connection_pool_size=0)


async def test_an_unsupported_url_scheme_is_a_network_error() -> None:
    async with BuiltinRequest() as request:
        with pytest.raises(NetworkError, match="unsupported URL scheme 'ftp'"):
            await request.post(f"ftp://127.0.0.1/bot{TOKEN}/getMe")


def test_sends_on_uvloop_the_loop_the_bot_runs_on() -> None:
    """`homthu run` uses uvloop, whose transports are not asyncio.Transport subclasses."""
    uvloop = pytest.importorskip("uvloop")

    async def scenario() -> list[str]:
        emulator = BotApiEmulator(token=TOKEN)
        await emulator.start(host="127.0.0.1", port=0)
        emulator.send_text(CITIZEN, "/start")
        bot = await open_bot(emulator)
        try:
            for n in range(3):  # the second and third reuse the kept-alive connection
                await bot.send_message(CITIZEN, f"Tin số {n + 1}")
        finally:
            await bot.shutdown()
            texts = [str(m.get("text", "")) for m in emulator.bot_messages(CITIZEN)]
            await emulator.stop()
        return texts

    assert uvloop.run(scenario()) == ["Tin số 1", "Tin số 2", "Tin số 3"]
