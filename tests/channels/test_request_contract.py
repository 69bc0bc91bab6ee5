"""The contract every homthu `BaseRequest` keeps: a real PTB `Bot` on each, against the emulator.

`AiohttpRequest` and `BuiltinRequest` pass the same suite; what only one of them does is tested
in its own file (test_aiohttp_request.py, test_builtin_request*.py).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest

from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from sandbox import BotApiEmulator, FaultSpec

TOKEN = "123456:TEST"
CITIZEN = 5001
MakeRequest = Callable[..., BaseRequest]


@pytest.fixture(params=[AiohttpRequest, BuiltinRequest], ids=["aiohttp", "builtin"])
def make_request(request: pytest.FixtureRequest) -> MakeRequest:
    made: MakeRequest = request.param
    return made


async def open_bot(
    emu: BotApiEmulator, make_request: MakeRequest, base_url: str | None = None, **settings: Any
) -> Bot:
    bot = Bot(
        TOKEN,
        base_url=base_url or emu.base_url,
        base_file_url=emu.base_file_url,
        request=make_request(**settings),
    )
    await bot.initialize()
    return bot


@pytest.fixture
async def bot(emu: BotApiEmulator, make_request: MakeRequest) -> AsyncIterator[Bot]:
    telegram_bot = await open_bot(emu, make_request)
    yield telegram_bot
    await telegram_bot.shutdown()


async def test_get_me(emu: BotApiEmulator, bot: Bot, make_request: MakeRequest) -> None:
    me = await bot.get_me()

    assert me.is_bot
    assert me.id == 123456
    assert isinstance(bot.request, make_request)  # type: ignore[arg-type]
    assert [c.method for c in emu.calls].count("getMe") == 2  # initialize() and ours


async def test_html_message_with_inline_buttons(emu: BotApiEmulator, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Trả lời", callback_data="m:answer:7")]])

    sent = await bot.send_message(
        CITIZEN, "<b>Đường</b> thôn 3 &amp; ngập", parse_mode=ParseMode.HTML, reply_markup=markup
    )

    shown = emu.bot_messages(CITIZEN)[-1]
    assert shown["message_id"] == sent.message_id
    assert shown["text"] == "Đường thôn 3 & ngập"
    assert shown["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:answer:7"
    [call] = [c for c in emu.calls if c.method == "sendMessage"]
    assert call.params["parse_mode"] == "HTML"


async def test_document_upload_arrives_byte_for_byte(emu: BotApiEmulator, bot: Bot) -> None:
    content = bytes(range(256)) * 40

    sent = await bot.send_document(
        CITIZEN, document=content, filename="don-gop-y.pdf", caption="Tệp đính kèm"
    )

    shown = emu.bot_messages(CITIZEN)[-1]
    assert shown["document"]["file_name"] == "don-gop-y.pdf"
    assert shown["document"]["file_size"] == len(content)
    assert shown["caption"] == "Tệp đính kèm"
    assert sent.document is not None
    # The download (a GET through the same request object) returns the same bytes.
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_photo_resent_by_file_id(emu: BotApiEmulator, bot: Bot) -> None:
    photo = emu.send_photo(CITIZEN)["photo"][-1]

    await bot.send_photo(CITIZEN, photo["file_id"], caption="Ảnh")

    shown = emu.bot_messages(CITIZEN)[-1]
    assert shown["photo"][-1]["file_unique_id"] == photo["file_unique_id"]
    assert shown["caption"] == "Ảnh"


async def test_long_poll_outlasts_the_read_timeout_and_returns_an_injected_update(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    # PTB adds the poll timeout to the read timeout: a 2 s poll must survive a 0.5 s read timeout.
    bot = await open_bot(emu, make_request, read_timeout=0.5)
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


async def test_a_held_request_times_out_and_the_next_call_goes_through(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=3.0))
    bot = await open_bot(emu, make_request, read_timeout=0.3)
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(CITIZEN, "xin chào")

        assert (await bot.get_me()).is_bot
    finally:
        await bot.shutdown()


async def test_a_per_call_read_timeout_overrides_the_default(emu: BotApiEmulator, bot: Bot) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", delay=1.0))

    with pytest.raises(TimedOut):
        await bot.send_message(CITIZEN, "xin chào", read_timeout=0.2)


async def test_a_full_pool_times_out_without_sending(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    emu.inject_fault(FaultSpec(method="sendMessage", delay=1.0))
    bot = await open_bot(emu, make_request, connection_pool_size=1, pool_timeout=0.2)
    try:
        slow = asyncio.create_task(bot.send_message(CITIZEN, "một"))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(CITIZEN, "hai")
        await slow
        assert [m["text"] for m in emu.bot_messages(CITIZEN)] == ["một"]
    finally:
        await bot.shutdown()


async def test_a_refused_connection_is_a_network_error_that_does_not_show_the_token(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    bot = await open_bot(emu, make_request)
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        bot._base_url = f"http://127.0.0.1:{closed_port}/bot{TOKEN}"  # nothing listens there

        with pytest.raises(NetworkError) as raised:
            await bot.get_me()

        assert not isinstance(raised.value, TimedOut)
        assert f"127.0.0.1:{closed_port}" in str(raised.value)
        assert TOKEN not in str(raised.value)
    finally:
        await bot.shutdown()


async def test_requests_go_through_an_http_proxy(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    # The emulator stands in for the proxy: it receives the absolute URL of an unreachable host.
    bot = await open_bot(
        emu,
        make_request,
        base_url="http://api.telegram.invalid/bot",
        proxy=f"http://u:p%40ss@{emu_host(emu)}",
    )
    try:
        assert (await bot.get_me()).is_bot
    finally:
        await bot.shutdown()


def emu_host(emu: BotApiEmulator) -> str:
    return emu.base_url.split("//", 1)[1].split("/", 1)[0]


def test_socks_proxies_are_refused_clearly(make_request: MakeRequest) -> None:
    with pytest.raises(ValueError, match="does not support socks5 proxies"):
        make_request(proxy="socks5://127.0.0.1:1080")


async def test_a_request_before_initialize_or_after_shutdown_is_refused(
    emu: BotApiEmulator, make_request: MakeRequest
) -> None:
    request = make_request()
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
