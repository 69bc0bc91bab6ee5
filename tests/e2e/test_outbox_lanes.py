"""A bulk backlog in the outbox never keeps a person who writes now waiting (issue 5).

The bot runs with its production pacing against an emulator that enforces Telegram's limits, so
the order of sends is the dispatcher's real choice, not an artefact of an idle outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Config, OutboxConfig
from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound
from bot.sandbox_chat import SandboxChat
from bot.storage.outbox_store import enqueue
from tests.e2e.conftest import World, running_world, submit_case

BACKLOG = 2_000
BACKLOG_BASE = 500_000
WELCOME = "Hòm thư góp ý số"


@pytest.fixture
async def paced_world(tmp_path: Path) -> AsyncIterator[World]:
    """Production pacing (25 msg/s, 1/s per chat) under Telegram-like limits in the emulator."""

    def production_pacing(config: Config) -> Config:
        return replace(config, outbox=OutboxConfig(flush_seconds=0.5))

    async with running_world(
        tmp_path, configure=production_pacing, telegram_flood_limits=True
    ) as world:
        yield world


async def queue_broadcast(world: World, count: int = BACKLOG) -> None:
    """`count` bulk notices to people who started the bot, as a broadcast queues them."""
    chats = [ChatRef("telegram", str(BACKLOG_BASE + n)) for n in range(count)]
    for chat in chats:
        world.emu.add_user(int(chat.chat_id), "Người dân", started=True)
    async with world.app.db.transaction() as tx:
        notices = [
            Outbound(chat=c, text=f"Thông báo số {n}", lane=Lane.BULK) for n, c in enumerate(chats)
        ]
        await enqueue(tx, notices, datetime.now(UTC))
    world.app.dispatcher.wake()


def backlog_sent(world: World) -> Callable[[], int]:
    """How many backlog notices the emulator has accepted so far."""

    def count() -> int:
        return sum(
            call.ok and call.method == "sendMessage" and int(call.params["chat_id"]) >= BACKLOG_BASE
            for call in world.emu.calls
        )

    return count


async def test_a_new_citizens_start_is_answered_ahead_of_a_broadcast_backlog(
    paced_world: World,
) -> None:
    await queue_broadcast(paced_world)
    sent = backlog_sent(paced_world)
    await paced_world.emu.wait_until(lambda: sent() >= 25, timeout=10)

    before = sent()
    paced_world.citizen.say("/start")
    await paced_world.citizen.wait_for(WELCOME, timeout=5)

    # Answered within a round or two of sends, not after the 2,000 notices ahead of it.
    assert sent() - before < 60
    assert sent() < BACKLOG // 10
    assert paced_world.emu.stats["429"] == 0


async def test_a_citizen_with_a_notice_still_queued_gets_it_first_then_the_answer(
    paced_world: World,
) -> None:
    await queue_broadcast(paced_world)
    sent = backlog_sent(paced_world)
    await paced_world.emu.wait_until(lambda: sent() >= 25, timeout=10)
    # Someone far back in the broadcast queue writes before their notice went out.
    late = SandboxChat(paced_world.emu, BACKLOG_BASE + BACKLOG - 1, "Người dân")
    assert late.texts() == []

    late.say("/start")
    await late.wait_for(WELCOME, timeout=5)

    texts = late.texts()
    assert texts[0] == f"Thông báo số {BACKLOG - 1}"
    assert WELCOME in texts[1]
    assert sent() < BACKLOG // 10


async def test_a_submission_answers_the_citizen_as_interactive_and_members_as_notices(
    world: World,
) -> None:
    [before] = await world.app.db.read("SELECT COALESCE(MAX(id), 0) AS id FROM outbox")
    await submit_case(world.citizen)
    assert await world.app.dispatcher.drain(10)

    rows = await world.app.db.read("SELECT chat_id, lane FROM outbox WHERE id > ?", (before["id"],))
    lanes: dict[str, set[int]] = {}
    for row in rows:
        lanes.setdefault(str(row["chat_id"]), set()).add(int(row["lane"]))
    citizen = str(world.citizen.user_id)
    # Every step of the dialog and the receipt went in the interactive lane; the members who
    # were told about the new case got notices.
    assert lanes.pop(citizen) == {Lane.INTERACTIVE}
    notified = {str(m.user_id) for m in world.members()} & set(lanes)
    assert notified
    assert all(lanes[chat] == {Lane.NOTICE} for chat in notified)
