"""A paced outbox waits for its next token instead of spinning, on the loop the bot runs on.

uvloop rounds a timer's delay to whole milliseconds: a wait for a token 0.3 ms away used to wake
at once, thousands of times a second, burning a core while the outbox was paced.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.outbound import Outbound
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore, enqueue
from tests.services.test_outbox_dispatcher import RecordingSender, chat

MESSAGES = 40
RATE = 200.0  # the demo's pacing: a token every 5 ms, so most waits are a fraction of one


class RoundCountingDispatcher(OutboxDispatcher):
    """The real dispatcher, counting its rounds (each wake-up runs one)."""

    rounds = 0

    async def _dispatch_ready(self) -> float | None:
        self.rounds += 1
        return await super()._dispatch_ready()


async def paced_drain(path: Path) -> tuple[int, list[str | None]]:
    db = await Database.open(path)
    sender = RecordingSender()
    dispatcher = RoundCountingDispatcher(
        OutboxStore(db), {"telegram": sender}, SystemClock(),
        global_rate=RATE, per_chat_rate=1_000.0, per_chat_burst=100,
    )  # fmt: skip
    try:
        async with db.transaction() as tx:
            messages = [Outbound(chat=chat(1000 + n), text=f"tin {n}") for n in range(MESSAGES)]
            await enqueue(tx, messages, datetime.now(UTC))
        dispatcher.start()
        assert await dispatcher.drain(timeout=10.0)
    finally:
        await dispatcher.stop(flush_seconds=0)
        await db.close()
    return dispatcher.rounds, [text for _, text in sender.sent]


def test_a_paced_outbox_sleeps_between_tokens_on_uvloop(tmp_path: Path) -> None:
    uvloop = pytest.importorskip("uvloop")
    rounds, sent = uvloop.run(paced_drain(tmp_path / "homthu.sqlite3"))
    assert sorted(sent, key=lambda t: int(str(t).split()[1])) == [
        f"tin {n}" for n in range(MESSAGES)
    ]
    # About one round per token and one per finished send; spinning made it thousands.
    assert rounds < 10 * MESSAGES, f"{rounds} rounds for {MESSAGES} paced messages"


def test_the_same_on_the_standard_loop(tmp_path: Path) -> None:
    rounds, sent = asyncio.run(paced_drain(tmp_path / "homthu.sqlite3"))
    assert len(sent) == MESSAGES
    assert rounds < 10 * MESSAGES, f"{rounds} rounds for {MESSAGES} paced messages"
