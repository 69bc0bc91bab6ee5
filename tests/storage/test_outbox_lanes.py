"""Outbox lanes on a real SQLite file: interactive before notices before bulk, chats in order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound
from bot.storage.database import Database, to_db_time
from bot.storage.outbox_store import OutboxStore, enqueue

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
ALICE = ChatRef("telegram", "1001")
BOB = ChatRef("telegram", "1002")
CAROL = ChatRef("telegram", "1003")

# The dispatcher's query, spelled out so the plan of exactly this SQL is checked.
HEADS = (
    "SELECT o.id FROM outbox AS o WHERE o.status = 'pending'"
    " AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.status = 'pending'"
    " AND earlier.channel = o.channel AND earlier.chat_id = o.chat_id"
    " AND earlier.id < o.id) AND o.next_attempt_at <= ?"
)


def bulk(chat: ChatRef, text: str) -> Outbound:
    return Outbound(chat=chat, text=text, lane=Lane.BULK)


def reply(chat: ChatRef, text: str) -> Outbound:
    return Outbound(chat=chat, text=text, lane=Lane.INTERACTIVE)


def notice(chat: ChatRef, text: str) -> Outbound:
    return Outbound(chat=chat, text=text, lane=Lane.NOTICE)


@pytest.fixture
def store(db: Database) -> OutboxStore:
    return OutboxStore(db)


async def queue(db: Database, *messages: Outbound) -> None:
    async with db.transaction() as tx:
        await enqueue(tx, messages, NOW)


async def due_texts(store: OutboxStore, limit: int = 10, **options: bool) -> list[str | None]:
    return [item.message.text for item in await store.due(NOW, limit, **options)]


async def send_head_of(store: OutboxStore, chat: ChatRef) -> str | None:
    """Deliver `chat`'s due head, as the dispatcher would; its text."""
    [item] = [i for i in await store.due(NOW, 100) if i.message.chat == chat]
    await store.mark_sent(item, "1", NOW)
    return item.message.text


async def test_a_reply_is_due_before_an_older_bulk_backlog(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, *(bulk(ChatRef("telegram", str(5000 + n)), f"b{n}") for n in range(20)))
    await queue(db, reply(ALICE, "welcome"))

    assert (await due_texts(store, limit=3)) == ["welcome", "b0", "b1"]


async def test_notices_go_after_replies_and_before_bulk(db: Database, store: OutboxStore) -> None:
    await queue(db, bulk(ALICE, "bulk"), notice(BOB, "notice"), reply(CAROL, "reply"))

    assert await due_texts(store) == ["reply", "notice", "bulk"]


async def test_a_message_without_a_lane_is_a_notice(db: Database, store: OutboxStore) -> None:
    await queue(db, bulk(ALICE, "bulk"), Outbound(chat=BOB, text="plain"), reply(CAROL, "reply"))

    assert await due_texts(store) == ["reply", "plain", "bulk"]


async def test_rows_queued_before_lanes_existed_are_notices(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, bulk(ALICE, "bulk"))
    async with db.transaction() as tx:  # an insert that names no lane, as an older writer's
        await tx.execute(
            "INSERT INTO outbox (channel, chat_id, payload, next_attempt_at, created_at)"
            " VALUES ('telegram', '1002', ?, ?, ?)",
            (Outbound(chat=BOB, text="old").to_json(), to_db_time(NOW), to_db_time(NOW)),
        )
    await queue(db, reply(CAROL, "reply"))

    assert await due_texts(store) == ["reply", "old", "bulk"]


async def test_a_reply_behind_a_bulk_message_of_its_chat_keeps_the_chat_in_order(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, bulk(BOB, "bob bulk"), bulk(ALICE, "alice bulk 1"), bulk(ALICE, "alice bulk 2"))
    await queue(db, reply(ALICE, "alice reply"))

    # Alice's whole queue is lifted ahead of Bob's bulk, and still goes in the order queued.
    assert await due_texts(store, limit=1) == ["alice bulk 1"]
    assert [await send_head_of(store, ALICE) for _ in range(3)] == [
        "alice bulk 1",
        "alice bulk 2",
        "alice reply",
    ]
    assert await due_texts(store) == ["bob bulk"]


async def test_messages_queued_together_take_the_best_lane_queued_after_them(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, bulk(BOB, "bob bulk"))
    await queue(db, bulk(ALICE, "pack"), reply(ALICE, "done"), bulk(ALICE, "late pack"))

    assert await due_texts(store) == ["pack", "bob bulk"]
    await send_head_of(store, ALICE)
    assert await due_texts(store) == ["done", "bob bulk"]
    await send_head_of(store, ALICE)
    # Nothing better waits behind the last one: it is bulk again, after the older bulk.
    assert await due_texts(store) == ["bob bulk", "late pack"]


async def test_oldest_first_ignores_lanes(db: Database, store: OutboxStore) -> None:
    await queue(db, bulk(ALICE, "bulk"), notice(BOB, "notice"), reply(CAROL, "reply"))

    assert await due_texts(store, oldest_first=True) == ["bulk", "notice", "reply"]


async def test_heads_by_lane_are_walked_by_index_without_sorting(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, *(bulk(ChatRef("telegram", str(n % 3)), str(n)) for n in range(9)))

    for order, index in (("o.lane, o.id", "outbox_pending_lane"), ("o.id", "outbox_pending_order")):
        plan = await db.read(
            f"EXPLAIN QUERY PLAN {HEADS} ORDER BY {order} LIMIT ?", (to_db_time(NOW), 8)
        )
        steps = " | ".join(str(row["detail"]) for row in plan)
        assert index in steps
        assert "outbox_pending_chat" in steps
        assert "TEMP B-TREE" not in steps


async def test_lifting_a_chat_reads_only_that_chats_pending_rows(db: Database) -> None:
    plan = await db.read(
        "EXPLAIN QUERY PLAN UPDATE outbox SET lane = ? WHERE status = 'pending'"
        " AND channel = ? AND chat_id = ? AND lane > ?",
        (0, "telegram", "1001", 0),
    )

    assert "USING INDEX outbox_pending_chat" in " | ".join(str(row["detail"]) for row in plan)
