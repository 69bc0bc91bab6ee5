"""Webhook mode: Telegram POSTs updates to the bot, which answers 200 only once they are kept."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from bot.channels.telegram_webhook import SECRET_HEADER, WebhookReceiver
from bot.config import Config
from tests.e2e.conftest import (
    World,
    code_of,
    fill_in_submission,
    running_world,
    submit_case,
)

SECRET = "bi-mat_cua-xa_My-Thanh_2026"
CONTENT = "Cống thoát nước ở thôn Đông bị tắc, nước tràn vào nhà dân."


def free_port() -> int:
    """A port nobody listens on right now (the bot's webhook server takes it next)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_mode(port: int) -> Callable[[Config], Config]:
    """A `configure` for running_world: the sandbox config switched to webhook mode."""

    def configure(config: Config) -> Config:
        telegram = replace(
            config.telegram,
            mode="webhook",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_port=port,
            webhook_secret=SECRET,
        )
        return replace(config, telegram=telegram)

    return configure


@pytest.fixture
async def webhook_world(tmp_path: Path) -> AsyncIterator[World]:
    """The e2e world, with Telegram pushing updates to the bot's webhook instead of polling."""
    async with running_world(tmp_path, configure=webhook_mode(free_port())) as running:
        yield running


def hook_url(world: World) -> str:
    receiver = world.app.poller
    assert isinstance(receiver, WebhookReceiver)
    return f"http://127.0.0.1:{receiver.port}"


async def post(world: World, body: bytes | io.BytesIO, headers: dict[str, str]) -> int:
    """POST `body` to the bot's webhook as anyone on the network could."""
    async with aiohttp.ClientSession(trust_env=False) as session:
        async with session.post(
            f"{hook_url(world)}/telegram",
            data=body,
            headers={"Content-Type": "application/json", **headers},
        ) as response:
            return response.status


def cases(world: World) -> list[str]:
    path = world.app.config.storage.path
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM cases ORDER BY id")]


async def test_a_citizen_submits_through_the_webhook_and_members_are_told(
    webhook_world: World,
) -> None:
    world = webhook_world
    code = await submit_case(world.citizen, texts=(CONTENT,))

    await world.lan.wait_for(code)
    await world.minh.wait_for(code)
    assert cases(world) == [code]
    assert world.emu.stats["getUpdates"] == 0  # nothing was polled
    (hook,) = [call for call in world.emu.calls if call.method == "setWebhook"]
    assert hook.params["secret_token"] == SECRET
    assert hook.params["allowed_updates"] == ["message", "callback_query"]
    assert hook.params["max_connections"] == 40
    assert all(delivery.accepted for delivery in world.emu.webhook_deliveries)


async def test_a_post_without_the_right_secret_is_refused_and_not_acted_on(
    webhook_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world = webhook_world
    caplog.set_level(logging.INFO)
    forged = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": 2001, "type": "private", "first_name": "Nguyễn"},
            "from": {"id": 2001, "is_bot": False, "first_name": "Nguyễn"},
            "text": "/gopy",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    body = json.dumps(forged).encode()

    assert await post(world, body, {}) == 401
    assert await post(world, body, {SECRET_HEADER: "doan-bua"}) == 403
    assert await post(world, body, {SECRET_HEADER: SECRET[:-1]}) == 403

    await world.citizen.settle(quiet=0.3)
    assert world.citizen.inbox() == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "secret token" in logged
    for private in ("2001", "Nguyễn", "/gopy", SECRET, "doan-bua"):
        assert private not in logged


async def test_the_same_update_delivered_twice_is_handled_once(webhook_world: World) -> None:
    world = webhook_world
    await fill_in_submission(world.citizen, (CONTENT,))
    world.citizen.press("Gửi")
    # Telegram's copy of the press, as it will POST it (taken before the emulator delivers it).
    press = copy.deepcopy(world.emu.state.updates[world.emu.state.next_update_id - 1])
    code = code_of(await world.citizen.wait_for("Mã tra cứu"))
    await world.lan.wait_for(code)
    seen = len(world.citizen.inbox())

    # Telegram did not hear the 200 (a proxy timeout, say) and delivers the press again.
    again = json.dumps(press).encode()
    assert await post(world, again, {SECRET_HEADER: SECRET}) == 200

    await world.citizen.settle(quiet=0.3)
    assert cases(world) == [code]
    assert world.citizen.inbox()[seen:] == []  # no second receipt, no complaint
    assert sum(code in text for text in world.lan.texts()) == 1


async def test_malformed_and_oversized_bodies_are_refused_and_the_bot_carries_on(
    webhook_world: World,
) -> None:
    world = webhook_world
    secret = {SECRET_HEADER: SECRET}

    assert await post(world, b"{not json", secret) == 400
    assert await post(world, b'["an", "array"]', secret) == 400
    assert await post(world, b'{"update_id": "one"}', secret) == 400
    assert await post(world, b'{"update_id": 5, "message": {"text": 7}}', secret) == 400
    assert await post(world, io.BytesIO(b"x" * (2 * 1024 * 1024)), secret) == 413

    code = await submit_case(world.citizen)
    assert cases(world) == [code]


async def test_the_health_endpoint_answers_for_the_reverse_proxy(webhook_world: World) -> None:
    async with aiohttp.ClientSession(trust_env=False) as session:
        async with session.get(f"{hook_url(webhook_world)}/healthz") as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok"}


async def test_a_graceful_stop_keeps_the_webhook_so_nothing_sent_meanwhile_is_lost(
    tmp_path: Path,
) -> None:
    port = free_port()
    async with running_world(tmp_path, configure=webhook_mode(port)) as world:
        await world.app.stop()
        assert world.emu.stats["deleteWebhook"] == 0
        assert world.emu.state.webhook is not None

        world.citizen.say("/trogiup")  # sent while the bot is down: Telegram holds it
        await world.emu.wait_until(lambda: len(world.emu.webhook_deliveries) > 0)
        assert world.emu.pending_updates() == 1

        from bot.app import start

        world.app = await start(world.app.config)
        await world.citizen.wait_for("/gopy")
        assert world.emu.pending_updates() == 0


async def test_a_press_delivered_again_while_still_being_saved_makes_one_case(
    webhook_world: World,
) -> None:
    world = webhook_world
    await fill_in_submission(world.citizen, (CONTENT,))
    # Telegram gives up on a slow answer and POSTs the same update again while the first
    # delivery still waits for the database; the second must wait its turn, then do nothing.
    world.emu.webhook_timeout = 0.3
    outsider = sqlite3.connect(world.app.config.storage.path, isolation_level=None, timeout=30)
    try:
        outsider.execute("BEGIN IMMEDIATE")  # a backup holding the write lock, say
        world.citizen.press("Gửi")
        press = world.emu.state.next_update_id - 1
        await world.emu.wait_until(
            lambda: sum(d.update_id == press for d in world.emu.webhook_deliveries) >= 2
        )
    finally:
        outsider.execute("ROLLBACK")
        outsider.close()

    code = code_of(await world.citizen.wait_for("Mã tra cứu", timeout=15))
    await world.emu.wait_until(lambda: world.emu.pending_updates() == 0, timeout=15)
    await world.citizen.settle(quiet=0.5)
    statuses = [d.status for d in world.emu.webhook_deliveries if d.update_id == press]
    assert statuses[0] == 0 and statuses[-1] == 200  # timed out first, accepted at last
    assert cases(world) == [code]
    assert sum("Mã tra cứu" in text for text in world.citizen.texts()) == 1


async def test_a_press_is_answered_in_the_webhook_reply_once_it_is_kept(
    webhook_world: World,
) -> None:
    world = webhook_world
    citizen = world.citizen
    citizen.say("/gopy")
    await citizen.wait_for("dữ liệu cá nhân")
    citizen.press("Đồng ý")
    press = world.emu.state.next_update_id - 1
    query_id = world.emu.state.updates[press]["callback_query"]["id"]
    await citizen.wait_for("Bước 1/5")
    await world.emu.wait_until(lambda: world.emu.callback_answer(query_id) is not None)

    assert world.emu.callback_answer(query_id) == {}  # the spinner stopped, nothing shown
    (answer,) = [c for c in world.emu.calls if c.params.get("callback_query_id") == query_id]
    assert answer.webhook_reply and answer.ok  # carried by the 200, no request of its own
    assert [d.status for d in world.emu.webhook_deliveries if d.update_id == press] == [200]
