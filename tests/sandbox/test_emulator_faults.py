"""Injected faults, blocked users, require_start and flood limits, as PTB sees them."""

import datetime as dt
import time

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from sandbox import BotApiEmulator, FaultSpec

USER = 42


async def test_429_fault_raises_retry_after(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.inject_fault(FaultSpec(method="sendMessage", status=429, retry_after=2, times=2))
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(USER, "x")
        assert caught.value.retry_after == dt.timedelta(seconds=2)
    await bot.send_message(USER, "x")
    assert emu.stats["sendMessage:429"] == 2
    assert len(emu.bot_messages(USER)) == 1


async def test_500_fault_raises_network_error(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.inject_fault(FaultSpec(method="*", status=500))
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(USER, "x")
    assert type(caught.value) is NetworkError
    assert emu.bot_messages(USER) == []


async def test_fault_for_one_chat_spares_the_others(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.send_text(7, "hi")
    emu.inject_fault(FaultSpec(method="sendMessage", status=403, chat_id=USER, times=None))
    await bot.send_message(7, "ok")
    for _ in range(2):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(USER, "x")


async def test_timeout_fault_raises_timed_out_and_sends_nothing(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    emu.inject_fault(FaultSpec(method="sendMessage", timeout=True))
    request = HTTPXRequest(httpx_kwargs={"trust_env": False}, read_timeout=0.3)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "x")
        # The held request does not stall the server for anyone else.
        started = time.monotonic()
        assert (await bot.get_me()).username == "homthu_bot"
        assert time.monotonic() - started < 0.5
    assert emu.bot_messages(USER) == []


async def test_latency_fault_delivers_after_the_client_gave_up(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    emu.inject_fault(FaultSpec(method="sendMessage", delay=0.5))
    request = HTTPXRequest(httpx_kwargs={"trust_env": False}, read_timeout=0.1)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "đến muộn")
    # Like Telegram: a timed-out send may still have been delivered.
    await emu.wait_for_bot_message(USER, contains="đến muộn", timeout=2.0)


async def test_blocked_user_gives_forbidden_until_unblocked(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    emu.unblock(USER)
    await bot.send_message(USER, "x")


async def test_bot_cannot_start_a_conversation(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(777, "x")
    emu.add_user(778, "Bình", started=False)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(778, "x")
    emu.require_start = False
    await bot.send_message(777, "x")
    assert len(emu.bot_messages(777)) == 1


async def test_per_chat_rate_limit_answers_429(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    emu.set_rate_limits(per_chat_per_second=1.0, burst=2)
    await bot.send_message(USER, "1")
    await bot.send_message(USER, "2")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "3")
    assert caught.value.retry_after == dt.timedelta(seconds=1)
    assert emu.stats["429"] == 1
    emu.set_rate_limits(None)
    await bot.send_message(USER, "3")


async def test_overall_rate_limit_spans_chats(emu: BotApiEmulator, bot: Bot) -> None:
    users = range(100, 106)
    for user in users:
        emu.send_text(user, "hi")
    emu.set_rate_limits(overall_per_second=3, per_chat_per_second=None)
    refused = 0
    for user in users:
        try:
            await bot.send_message(user, "thông báo")
        except RetryAfter:
            refused += 1
    assert refused == 3
    assert emu.stats["429"] == 3
