"""Webhook delivery as Telegram does it: in order per chat, bounded, re-delivered until accepted."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Conflict

from sandbox import BotApiEmulator

AN, BINH, CHI = 42, 43, 44

Behaviour = Callable[[dict[str, object]], Awaitable[int]]


def text_of(body: dict[str, object]) -> str:
    message = body.get("message")
    assert isinstance(message, dict)
    return str(message["text"])


def chat_of(body: dict[str, object]) -> int:
    message = body.get("message")
    assert isinstance(message, dict)
    return int(message["chat"]["id"])


class Hook:
    """A webhook endpoint whose answer each test decides; it records what it saw."""

    def __init__(self) -> None:
        self.behaviour: Behaviour = self.accept
        self.seen: list[dict[str, object]] = []
        self.accepted: list[dict[str, object]] = []
        self.active = 0
        self.most_active = 0
        self.url = ""
        self.runner: web.AppRunner | None = None

    async def accept(self, body: dict[str, object]) -> int:
        return 200

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.seen.append(body)
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            status = await self.behaviour(body)
        finally:
            self.active -= 1
        if 200 <= status < 300:
            self.accepted.append(body)
        return web.Response(status=status)

    async def serve(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    receiver = Hook()
    await receiver.serve()
    yield receiver
    await receiver.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_get_updates_is_refused_while_the_webhook_is_set(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    await bot.set_webhook(hook.url, secret_token="bi_mat")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)


async def test_webhook_info_shows_what_was_set(emu: BotApiEmulator, bot: Bot, hook: Hook) -> None:
    await bot.set_webhook(
        hook.url, secret_token="bi_mat", max_connections=5, allowed_updates=["message"]
    )
    info = await bot.get_webhook_info()
    assert info.url == hook.url
    assert info.max_connections == 5
    assert info.allowed_updates == ("message",)
    assert info.pending_update_count == 0


async def test_a_chat_gets_its_next_update_only_after_the_previous_one_is_accepted(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    release = asyncio.Event()

    async def hold_an_first(body: dict[str, object]) -> int:
        if text_of(body) == "An 1":
            await release.wait()
        return 200

    hook.behaviour = hold_an_first
    await bot.set_webhook(hook.url, secret_token="bi_mat")
    emu.send_text(AN, "An 1")
    emu.send_text(AN, "An 2")
    emu.send_text(BINH, "Bình 1")
    await emu.wait_until(lambda: len(hook.accepted) == 1)
    # Bình's update overtook An's held one; An's second waits behind An's first.
    assert [text_of(b) for b in hook.seen] == ["An 1", "Bình 1"]
    release.set()
    # The emulator forgets an update once it has read the 200 (a moment after the hook sent it).
    await emu.wait_until(lambda: len(hook.accepted) == 3 and emu.pending_updates() == 0)
    assert [text_of(b) for b in hook.accepted] == ["Bình 1", "An 1", "An 2"]


async def test_no_more_than_max_connections_deliveries_are_in_flight(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    async def slow(body: dict[str, object]) -> int:
        await asyncio.sleep(0.05)
        return 200

    hook.behaviour = slow
    await bot.set_webhook(hook.url, secret_token="bi_mat", max_connections=2)
    for user in range(100, 110):
        emu.send_text(user, "Xin chào")
    await emu.wait_until(lambda: len(hook.accepted) == 10)
    assert hook.most_active == 2


async def test_a_refused_update_is_delivered_again_and_then_kept_by_the_bot(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    answers = iter([503, 500, 200])

    async def refuse_twice(body: dict[str, object]) -> int:
        return next(answers)

    hook.behaviour = refuse_twice
    await bot.set_webhook(hook.url, secret_token="bi_mat")
    emu.send_text(AN, "Đèn đường hỏng")
    update_id = emu.state.next_update_id - 1
    # The emulator records a delivery once it has read the answer (a moment after the hook sent it).
    await emu.wait_until(lambda: len(hook.accepted) == 1 and len(emu.webhook_deliveries) == 3)
    assert [d.status for d in emu.webhook_deliveries] == [503, 500, 200]
    assert {d.update_id for d in emu.webhook_deliveries} == {update_id}
    assert emu.pending_updates() == 0


async def test_a_delivery_that_takes_too_long_counts_as_failed_and_comes_again(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    emu.webhook_timeout = 0.2
    first = True

    async def stall_once(body: dict[str, object]) -> int:
        nonlocal first
        if first:
            first = False
            await asyncio.sleep(1.0)
        return 200

    hook.behaviour = stall_once
    await bot.set_webhook(hook.url, secret_token="bi_mat")
    emu.send_text(AN, "Chậm")
    await emu.wait_until(lambda: any(d.accepted for d in emu.webhook_deliveries), timeout=5)
    assert [d.status for d in emu.webhook_deliveries][:2] == [0, 200]
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Read timeout expired"


async def test_updates_wait_while_the_bot_is_down_and_arrive_when_it_listens(
    emu: BotApiEmulator, bot: Bot
) -> None:
    port = free_port()
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="bi_mat")
    emu.send_text(AN, "Khi bot tắt")
    await emu.wait_until(lambda: len(emu.webhook_deliveries) >= 2)
    assert emu.pending_updates() == 1
    late = Hook()
    await late.serve(port)
    try:
        await emu.wait_until(lambda: len(late.accepted) == 1, timeout=5)
    finally:
        await late.close()
    assert text_of(late.accepted[0]) == "Khi bot tắt"
    assert emu.pending_updates() == 0
    assert all(d.status == 0 for d in emu.webhook_deliveries[:-1])


async def test_no_update_is_posted_after_the_webhook_is_deleted(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    await bot.set_webhook(hook.url, secret_token="bi_mat")
    emu.send_text(CHI, "trước")
    await emu.wait_until(lambda: len(hook.accepted) == 1)
    await bot.delete_webhook()
    emu.send_text(CHI, "sau")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["sau"]
    assert [chat_of(b) for b in hook.seen] == [CHI]
