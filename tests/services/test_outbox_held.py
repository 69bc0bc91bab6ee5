"""Mail committed through the unit of work goes out from memory: fast, once, in order, paced.

A real SQLite outbox, `SqliteStorage` telling the dispatcher what each transaction committed (as
bot/app.py wires it), and the recording sender of test_outbox_dispatcher. `ReadCountingStore` is
our own store, counting how often the dispatcher reads the table.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import StorageError, TransientFailure
from bot.domain.model import ChatRef
from bot.domain.outbound import REPLACES, Lane, Outbound, OutboxItem
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.services.outbox_heads import MAX_HELD
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore
from bot.storage.unit_of_work import SqliteStorage
from tests.services.test_outbox_dispatcher import (
    FAST,
    RecordingSender,
    chat,
    outbox_rows,
    queue,
    sent_after_restart,
    sent_ids,
)


class ReadCountingStore(OutboxStore):
    """The real store, counting reads of due heads and the batches of recorded deliveries."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.reads = 0
        self.batches: list[int] = []

    async def due(
        self,
        now: datetime,
        limit: int,
        exclude_chats: Collection[ChatRef] = (),
        *,
        oldest_first: bool = False,
    ) -> list[OutboxItem]:
        self.reads += 1
        return await super().due(now, limit, exclude_chats, oldest_first=oldest_first)

    async def chain_of(
        self, chat: ChatRef, now: datetime, limit: int
    ) -> tuple[list[OutboxItem], datetime] | None:
        self.reads += 1
        return await super().chain_of(chat, now, limit)

    async def mark_sent_many(self, sent: Any) -> None:
        self.batches.append(len(sent))
        await super().mark_sent_many(sent)


@pytest.fixture
def store(db: Database) -> ReadCountingStore:
    return ReadCountingStore(db)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def storage(db: Database) -> SqliteStorage:
    return SqliteStorage(db)


@pytest.fixture
async def start_dispatcher(
    store: ReadCountingStore, sender: RecordingSender, storage: SqliteStorage
) -> AsyncIterator[Callable[..., OutboxDispatcher]]:
    """Start a dispatcher told of every commit through `storage`; stopped before the db closes."""
    started: list[OutboxDispatcher] = []

    def build(**options: Any) -> OutboxDispatcher:
        dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **options)
        storage.on_outbox = dispatcher.committed
        dispatcher.start()
        started.append(dispatcher)
        return dispatcher

    yield build
    for dispatcher in started:
        await dispatcher.stop(flush_seconds=0)


async def commit(storage: SqliteStorage, *messages: Outbound) -> list[int]:
    """One turn's transaction queueing `messages`."""
    async with storage.transaction() as uow:
        return await uow.enqueue(messages, datetime.now(UTC))


async def settle() -> None:
    """Let the dispatcher finish its first look at the outbox and fall asleep."""
    await asyncio.sleep(0.05)


async def test_a_reply_goes_out_at_once_without_reading_the_outbox(
    store: ReadCountingStore,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(**FAST)
    await settle()
    reads = store.reads

    await commit(storage, Outbound(chat=chat(1), text="a1"), Outbound(chat=chat(1), text="a2"))

    assert await dispatcher.drain(timeout=0.5)  # well under the 1 s safety-net poll
    assert sender.texts_for("1") == ["a1", "a2"]
    assert store.reads == reads


async def test_a_reply_behind_a_stored_backlog_row_of_its_chat_waits_for_it(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    sender.delay = 0.02
    dispatcher = start_dispatcher(**FAST)
    await settle()
    # Queued without telling the dispatcher (as if left by a crash): only the table knows it.
    await queue(db, Outbound(chat=chat(1), text="backlog"))

    await commit(storage, Outbound(chat=chat(1), text="reply"), Outbound(chat=chat(2), text="b"))

    assert await dispatcher.drain(timeout=3)
    assert sender.texts_for("1") == ["backlog", "reply"]
    assert sender.texts_for("2") == ["b"]


async def test_a_reply_never_overtakes_a_row_of_its_chat_waiting_out_a_backoff(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    sender.fail("first", TransientFailure("timed out"))
    dispatcher = start_dispatcher(**FAST)
    await commit(storage, Outbound(chat=chat(1), text="first"))
    await asyncio.sleep(0.2)  # tried once, now in its backoff (about 1 s)

    await commit(storage, Outbound(chat=chat(1), text="second"))

    assert await dispatcher.drain(timeout=5)
    assert sender.texts_for("1") == ["first", "second"]
    assert [row[:2] for row in await outbox_rows(db)] == [("sent", 1), ("sent", 0)]


async def test_a_failed_fresh_send_is_retried_after_its_backoff_before_the_rest_of_its_chain(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    sender.fail("a1", TransientFailure("bad gateway"))
    dispatcher = start_dispatcher(**FAST)

    await commit(
        storage,
        Outbound(chat=chat(1), text="a1"),
        Outbound(chat=chat(1), text="a2"),
        Outbound(chat=chat(2), text="b1"),
    )

    assert await dispatcher.drain(timeout=5)
    assert sender.texts_for("1") == ["a1", "a2"]
    attempts = [at for at, text in sender.attempt_times if text == "a1"]
    assert len(attempts) == 2
    assert attempts[1] - attempts[0] >= 0.9  # the backoff of a first failure: 2**0 s and jitter
    assert [row[:2] for row in await outbox_rows(db)] == [("sent", 1), ("sent", 0), ("sent", 0)]


@pytest.mark.parametrize("seed", [5, 6, 7])
async def test_every_row_goes_out_once_in_order_while_commits_reads_and_retries_interleave(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
    seed: int,
) -> None:
    sender.delay = 0.001
    chats = [chat(100 + n) for n in range(12)]
    rng = random.Random(seed)
    for turn in rng.sample(range(60), 8):
        sender.fail(f"{chats[turn % 12].chat_id}:{turn}:0", TransientFailure("timed out"))
    dispatcher = start_dispatcher(max_in_flight=4, max_backoff=0.01, **FAST)
    expected: dict[str, list[str]] = {c.chat_id: [] for c in chats}

    for turn in range(60):
        picked = [chats[turn % 12], *rng.sample([c for c in chats if c != chats[turn % 12]], 2)]
        messages = [
            Outbound(chat=c, text=f"{c.chat_id}:{turn}:{k}") for c in picked for k in (0, 1)
        ]
        if turn % 7 == 0:
            await queue(db, *messages)  # a writer that only wakes the dispatcher: read back
            dispatcher.wake()
        else:
            await commit(storage, *messages)
        for m in messages:
            expected[m.chat.chat_id].append(m.text or "")
        await asyncio.sleep(rng.choice((0, 0, 0.002)))

    assert await dispatcher.drain(timeout=10)
    assert not sender.same_chat_overlap
    for c in chats:
        assert sender.texts_for(c.chat_id) == expected[c.chat_id]
    assert len(sender.sent) == 60 * 6
    assert len(sender.attempt_times) == 60 * 6 + 8  # each failed once, then went out


async def test_replies_to_one_chat_keep_its_pace(
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(global_rate=10_000.0, per_chat_rate=50.0, per_chat_burst=1)

    for i in range(11):
        await commit(storage, Outbound(chat=chat(1), text=str(i)))

    assert await dispatcher.drain(timeout=10)
    assert sender.texts_for("1") == [str(i) for i in range(11)]
    # Ten gaps of at least 1/50 s each (a lower bound: a slow machine only makes it longer).
    assert sender.sent_times[-1] - sender.sent_times[0] >= 10 / 50 * 0.9


async def test_replies_to_many_chats_keep_the_overall_pace(
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(global_rate=100.0, per_chat_rate=10_000.0, max_in_flight=8)

    await commit(storage, *(Outbound(chat=chat(n), text=str(n)) for n in range(40)))

    assert await dispatcher.drain(timeout=10)
    assert len(sender.sent) == 40
    assert sender.sent_times[-1] - sender.sent_times[0] >= (40 - 10) / 100 * 0.9


async def test_a_replacement_committed_while_the_first_is_in_flight_edits_it(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    secretary = chat(1004)
    sender.delay = 0.05
    dispatcher = start_dispatcher(**FAST)
    (first,) = await commit(storage, Outbound(chat=secretary, text="Tham dự (1)"))
    await asyncio.sleep(0.01)  # the first is being sent

    await commit(storage, Outbound(chat=secretary, text="Tham dự (2)", extra={REPLACES: first}))

    assert await dispatcher.drain(timeout=5)
    assert sender.sent == [("1004", "Tham dự (1)")]
    assert sender.edited == [("1004", "1", "Tham dự (2)")]
    assert await sent_ids(db) == [("sent", "1"), ("sent", "1")]


async def test_deliveries_finishing_together_are_recorded_together(
    store: ReadCountingStore,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    sender.delay = 0.02
    dispatcher = start_dispatcher(max_in_flight=8, **FAST)

    await commit(storage, *(Outbound(chat=chat(n), text=str(n)) for n in range(16)))

    assert await dispatcher.drain(timeout=5)
    assert sum(store.batches) == 16
    assert len(store.batches) < 16


async def test_a_chat_goes_on_sending_while_its_deliveries_wait_to_be_recorded(
    db: Database,
    store: ReadCountingStore,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(**FAST)

    await commit(storage, *(Outbound(chat=chat(1), text=f"a{n}") for n in range(10)))

    assert await dispatcher.drain(timeout=5)
    assert sender.texts_for("1") == [f"a{n}" for n in range(10)]
    assert not sender.same_chat_overlap
    # Recorded a few at a time (not one transaction per message, each before the next send).
    assert sum(store.batches) == 10
    assert len(store.batches) <= 3
    assert [status for status, _ in await sent_ids(db)] == ["sent"] * 10


class PoisonedRecordStore(ReadCountingStore):
    """The real store, failing to record deliveries of `poison` (with any others) twice."""

    def __init__(self, db: Database, poison: str) -> None:
        super().__init__(db)
        self.poison = poison
        self.failures = 2

    async def mark_sent_many(self, sent: Any) -> None:
        if self.failures and self.poison in (item.message.text for item, _, _ in sent):
            self.failures -= 1
            raise StorageError("disk I/O error")
        await super().mark_sent_many(sent)


async def test_a_delivery_that_cannot_be_recorded_keeps_no_other_unrecorded_and_is_resent(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
) -> None:
    store = PoisonedRecordStore(db, poison="b1")
    dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **FAST)
    storage.on_outbox = dispatcher.committed
    dispatcher.start()
    try:
        await commit(
            storage,
            *(Outbound(chat=chat(n), text=f"{name}1") for n, name in enumerate("abcd")),
            Outbound(chat=chat(1), text="b2"),
        )

        assert await dispatcher.drain(timeout=5)
    finally:
        await dispatcher.stop(flush_seconds=0)
    # At least once: the delivery not written down is sent again, and so is its chat's next
    # one, so that the chat still reads them in order.
    assert sender.texts_for("1") == ["b1", "b2", "b1", "b2"]
    assert [sender.texts_for(str(n)) for n in (0, 2, 3)] == [["a1"], ["c1"], ["d1"]]
    assert [status for status, _ in await sent_ids(db)] == ["sent"] * 5


class BrokenRecordStore(ReadCountingStore):
    """The real store, while `broken` failing to record any delivery (a disk gone bad)."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.broken = True
        self.failed: list[int] = []  # sizes of the refused calls

    async def mark_sent_many(self, sent: Any) -> None:
        if self.broken:
            self.failed.append(len(sent))
            raise StorageError("disk I/O error")
        await super().mark_sent_many(sent)


async def test_while_deliveries_cannot_be_recorded_few_tries_are_made_and_nothing_is_lost(
    db: Database,
    storage: SqliteStorage,
    sender: RecordingSender,
) -> None:
    store = BrokenRecordStore(db)
    dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **FAST)
    storage.on_outbox = dispatcher.committed
    dispatcher.start()
    try:
        await commit(storage, *(Outbound(chat=chat(n), text=f"m{n}") for n in range(20)))
        await asyncio.sleep(0.2)  # all sent at once; their records failed by now
        assert len(sender.sent) >= 20
        store.broken = False

        assert await dispatcher.drain(timeout=5)
    finally:
        await dispatcher.stop(flush_seconds=0)
    batches = sum(size > 1 for size in store.failed)
    assert batches >= 1
    assert len(store.failed) - batches <= 3 * batches  # not one failing transaction per row
    for n in range(20):
        assert set(sender.texts_for(str(n))) == {f"m{n}"}  # at least once, nothing else
    assert [status for status, _ in await sent_ids(db)] == ["sent"] * 20


async def test_mail_held_in_memory_at_stop_is_sent_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    first_db = await Database.open(path)
    try:
        first = RecordingSender()
        first.hanging = True
        storage = SqliteStorage(first_db)
        dispatcher = OutboxDispatcher(
            OutboxStore(first_db), {"telegram": first}, SystemClock(), **FAST
        )
        storage.on_outbox = dispatcher.committed
        dispatcher.start()
        await commit(storage, *(Outbound(chat=chat(1), text=f"a{i}") for i in range(3)))
        await asyncio.sleep(0.05)  # a0 hangs in flight, a1 and a2 are held in memory
        await dispatcher.stop(flush_seconds=0)
    finally:
        await first_db.close()

    assert await sent_after_restart(path) == [("1", "a0"), ("1", "a1"), ("1", "a2")]


# Lanes hold for mail sent from memory too (see test_outbox_priority for the table's side).

PACED = {"global_rate": 400.0, "per_chat_rate": 50.0, "per_chat_burst": 1, "max_in_flight": 4}


def broadcast(count: int) -> list[Outbound]:
    return [Outbound(chat=chat(10_000 + n), text=f"bulk {n}", lane=Lane.BULK) for n in range(count)]


def position(sender: RecordingSender, text: str) -> int:
    return [t for _, t in sender.sent].index(text)


async def test_a_reply_committed_during_a_held_broadcast_overtakes_it(
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(**PACED)
    await commit(storage, *broadcast(400))  # held in memory: under the limit
    await asyncio.sleep(0.1)  # a few dozen sent by now (400 a second)
    before = len(sender.sent)

    await commit(storage, Outbound(chat=chat(1), text="reply", lane=Lane.INTERACTIVE))

    assert await dispatcher.drain(timeout=10)
    assert position(sender, "reply") < before + 20  # a round or two later, not after them all
    assert len(sender.sent) == 401


async def test_a_broadcast_too_big_to_hold_goes_out_from_the_table_behind_replies(
    store: ReadCountingStore,
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(**PACED)
    await commit(storage, *broadcast(MAX_HELD + 100))
    await asyncio.sleep(0.1)  # a few dozen sent by now (400 a second)
    before = len(sender.sent)

    await commit(storage, Outbound(chat=chat(1), text="reply", lane=Lane.INTERACTIVE))

    assert await dispatcher.drain(timeout=20)
    assert position(sender, "reply") < before + 20  # a round or two later, not after them all
    assert sorted(t for _, t in sender.sent if t != "reply") == sorted(
        f"bulk {n}" for n in range(MAX_HELD + 100)
    )
    assert store.reads > 0


async def test_held_bulk_keeps_flowing_while_replies_never_stop(
    storage: SqliteStorage,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    dispatcher = start_dispatcher(**PACED)
    await commit(storage, *broadcast(20))
    replies = 0
    while sum(t.startswith("bulk") for _, t in sender.sent) < 20 and replies < 5_000:
        await commit(
            storage,
            *(
                Outbound(chat=chat(replies + n), text="reply", lane=Lane.INTERACTIVE)
                for n in range(50)
            ),
        )
        replies += 50
        await asyncio.sleep(0.01)

    assert sum(t.startswith("bulk") for _, t in sender.sent) == 20
    assert sum(t == "reply" for _, t in sender.sent) >= 3 * 20
    await dispatcher.stop(flush_seconds=0)
