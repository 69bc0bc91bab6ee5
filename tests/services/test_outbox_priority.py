"""The dispatcher's lanes on a real SQLite outbox: who goes first, and that nobody waits forever."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore, enqueue

# Paced, so that messages queue and the dispatcher has to choose; fast enough for a unit test.
PACED = {"global_rate": 400.0, "per_chat_rate": 50.0, "per_chat_burst": 1, "max_in_flight": 4}


class OrderSender:
    """Our MessageSender port, recording the order of sends and refusing overlap within a chat."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.active: set[str] = set()
        self.same_chat_overlap = False
        self.progress = asyncio.Condition()

    async def wait_sent(self, count: int) -> None:
        """Until `count` messages have been sent."""
        async with self.progress:
            await self.progress.wait_for(lambda: len(self.sent) >= count)

    async def send(self, message: Outbound) -> str:
        chat_id = message.chat.chat_id
        self.same_chat_overlap |= chat_id in self.active
        self.active.add(chat_id)
        try:
            await asyncio.sleep(0.001)
            self.sent.append(message.text or "")
            async with self.progress:
                self.progress.notify_all()
            return str(len(self.sent))
        finally:
            self.active.discard(chat_id)

    def positions(self, prefix: str) -> list[int]:
        return [n for n, text in enumerate(self.sent) if text.startswith(prefix)]


@pytest.fixture
def sender() -> OrderSender:
    return OrderSender()


@pytest.fixture
async def dispatcher(db: Database, sender: OrderSender) -> AsyncIterator[OutboxDispatcher]:
    running = OutboxDispatcher(OutboxStore(db), {"telegram": sender}, SystemClock(), **PACED)
    yield running
    await running.stop(flush_seconds=0)


def chat(n: int) -> ChatRef:
    return ChatRef("telegram", str(n))


async def queue(db: Database, *messages: Outbound) -> None:
    async with db.transaction() as tx:
        await enqueue(tx, messages, datetime.now(UTC))


def broadcast(count: int, base: int = 10_000) -> list[Outbound]:
    return [Outbound(chat=chat(base + n), text=f"bulk {n}", lane=Lane.BULK) for n in range(count)]


async def test_a_reply_queued_during_a_backlog_overtakes_it(
    db: Database, sender: OrderSender, dispatcher: OutboxDispatcher
) -> None:
    await queue(db, *broadcast(400))
    dispatcher.start()
    await asyncio.wait_for(sender.wait_sent(20), timeout=10)

    await queue(db, Outbound(chat=chat(1), text="reply", lane=Lane.INTERACTIVE))
    dispatcher.wake()

    assert await dispatcher.drain(timeout=10)
    [position] = sender.positions("reply")
    assert position < 80  # a few rounds after it was queued, not after 400 notices


async def test_notices_go_ahead_of_bulk_queued_before_them(
    db: Database, sender: OrderSender, dispatcher: OutboxDispatcher
) -> None:
    await queue(db, *broadcast(100))
    await queue(db, *(Outbound(chat=chat(n), text=f"notice {n}") for n in range(20)))
    dispatcher.start()

    assert await dispatcher.drain(timeout=10)
    # Most notices go first; every fifth send still takes the oldest, a bulk notice.
    assert max(sender.positions("notice")) < 35
    assert len(sender.sent) == 120


async def test_bulk_keeps_flowing_while_replies_never_stop(
    db: Database, sender: OrderSender, dispatcher: OutboxDispatcher
) -> None:
    await queue(db, *broadcast(20))
    dispatcher.start()
    replies = 0
    # People keep writing faster than the bot may send: the interactive lane is never empty.
    while len(sender.positions("bulk")) < 20 and replies < 5_000:
        await queue(
            db,
            *(
                Outbound(chat=chat(replies + n), text="reply", lane=Lane.INTERACTIVE)
                for n in range(50)
            ),
        )
        replies += 50
        dispatcher.wake()
        await asyncio.sleep(0.01)

    assert len(sender.positions("bulk")) == 20
    assert len(sender.positions("reply")) >= 3 * 20  # the replies did get most of the rate
    assert len(sender.positions("reply")) < replies  # and more of them were still waiting


async def test_each_chat_keeps_its_order_across_lanes(
    db: Database, sender: OrderSender, dispatcher: OutboxDispatcher
) -> None:
    await queue(db, *broadcast(300))
    await queue(
        db,
        Outbound(chat=chat(10_049), text="bulk 49 follow-up", lane=Lane.BULK),
        Outbound(chat=chat(7), text="notice to 7"),
    )
    await queue(db, Outbound(chat=chat(10_049), text="reply to 49", lane=Lane.INTERACTIVE))
    await queue(db, Outbound(chat=chat(7), text="reply to 7", lane=Lane.INTERACTIVE))
    dispatcher.start()

    assert await dispatcher.drain(timeout=10)
    assert not sender.same_chat_overlap
    chat_49 = [t for t in sender.sent if t.startswith(("bulk 49", "reply to 49"))]
    assert chat_49 == ["bulk 49", "bulk 49 follow-up", "reply to 49"]
    # The reply lifts its chat's earlier messages along with it, ahead of the backlog.
    # (Without it the follow-up and the reply would wait behind the other 299 bulk notices.)
    assert sender.sent.index("reply to 49") < 100
    assert sender.sent.index("notice to 7") < sender.sent.index("reply to 7") < 100
