"""The durable outbox: messages written with the change they report, drained by the dispatcher."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound, OutboxItem
from bot.storage.database import Database, Tx, from_db_time, to_db_time

# Stored errors are for the operator; a driver's description can be long.
_MAX_ERROR_LENGTH = 500

# Each chat's head: its oldest pending message. A later message never overtakes it, even while
# the head waits out a backoff, so per-chat order survives retries and restarts. Pending rows are
# walked through a partial index (0017's in (lane, id) order for the highest lane first, 0010's in
# id order for the oldest first; one probe per row for an earlier pending row of its chat), so a
# round costs about `limit` rows, not every pending row.
_HEADS = """
    SELECT o.id, o.channel, o.chat_id, o.payload, o.case_id, o.link_role, o.member_id,
           o.attempts, o.next_attempt_at
    FROM outbox AS o
    WHERE o.status = 'pending'
      AND NOT EXISTS (
          SELECT 1 FROM outbox AS earlier
          WHERE earlier.status = 'pending' AND earlier.channel = o.channel
            AND earlier.chat_id = o.chat_id AND earlier.id < o.id)
"""


async def enqueue(tx: Tx, messages: Sequence[Outbound], now: datetime) -> list[int]:
    """Queue messages, due at once, in the caller's transaction; returns their ids in order.

    The caller wakes the dispatcher. A message without a lane is a notice. A chat's earlier
    pending messages are lifted into the lane of a message queued behind them: they must go first
    anyway, and otherwise a citizen's reply would wait behind a whole bulk backlog because their
    chat had one bulk message queued.
    """
    if not messages:
        return []
    stamp = to_db_time(now)
    lanes = _effective_lanes(messages)
    lifts: dict[ChatRef, int] = {}
    for m, lane in zip(messages, lanes, strict=True):
        lifts[m.chat] = min(lane, lifts.get(m.chat, lane))
    await tx.execute_many(
        "UPDATE outbox SET lane = ? WHERE status = 'pending' AND channel = ? AND chat_id = ?"
        " AND lane > ?",
        [
            (lane, chat.channel, chat.chat_id, lane)
            for chat, lane in lifts.items()
            if lane < Lane.BULK  # nothing ranks below bulk: no row to lift
        ],
    )
    await tx.execute_many(
        "INSERT INTO outbox (channel, chat_id, payload, case_id, link_role, member_id,"
        " next_attempt_at, created_at, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                m.chat.channel,
                m.chat.chat_id,
                m.to_json(),
                m.case_id,
                m.link_role.value if m.link_role else None,
                m.member_id,
                stamp,
                stamp,
                lane,
            )
            for m, lane in zip(messages, lanes, strict=True)
        ],
    )
    # One writer holds the transaction and `outbox.id` is a plain rowid (no AUTOINCREMENT):
    # each row took the next id after the table's largest, so the batch's ids are consecutive.
    row = await tx.fetch_one("SELECT last_insert_rowid()")
    assert row is not None
    last = int(row[0])
    return list(range(last - len(messages) + 1, last + 1))


def _effective_lanes(messages: Sequence[Outbound]) -> list[int]:
    """Each message's lane, lifted to the best lane of any message queued after it in its chat."""
    best: dict[ChatRef, int] = {}
    lanes: list[int] = []
    for m in reversed(messages):
        lane = min(int(m.lane if m.lane is not None else Lane.NOTICE), best.get(m.chat, Lane.BULK))
        best[m.chat] = lane
        lanes.append(lane)
    return lanes[::-1]


class OutboxStore:
    """Reads due outbox rows and records what happened to each send."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def due(
        self,
        now: datetime,
        limit: int,
        exclude_chats: Collection[ChatRef] = (),
        *,
        oldest_first: bool = False,
    ) -> list[OutboxItem]:
        """Due chat heads (one per chat, not excluded): highest lane, then oldest; or just oldest."""
        if limit <= 0:
            return []
        order = "o.id" if oldest_first else "o.lane, o.id"
        # Each chat yields at most one head, so `len(exclude_chats)` extra rows are enough to
        # still fill `limit` after dropping the excluded ones (no SQL built from the set).
        rows = await self._db.read(
            f"{_HEADS} AND o.next_attempt_at <= ? ORDER BY {order} LIMIT ?",
            (to_db_time(now), limit + len(exclude_chats)),
        )
        excluded = set(exclude_chats)
        items = [_item(row) for row in rows]
        return [item for item in items if item.message.chat not in excluded][:limit]

    async def next_due_at(self, exclude_chats: Collection[ChatRef] = ()) -> datetime | None:
        """When the earliest chat head (outside `exclude_chats`) becomes due; None if none."""
        rows = await self._db.read(
            f"{_HEADS} ORDER BY o.next_attempt_at, o.id LIMIT ?",
            (1 + len(exclude_chats),),
        )
        excluded = set(exclude_chats)
        for row in rows:
            if ChatRef(row["channel"], row["chat_id"]) not in excluded:
                return from_db_time(row["next_attempt_at"])
        return None

    async def mark_sent(self, item: OutboxItem, channel_message_id: str, now: datetime) -> None:
        """Record the delivery and, for a message about a case, link the sent message to it."""
        await self.mark_sent_many([(item, channel_message_id, now)])

    async def mark_sent_many(self, sent: Sequence[tuple[OutboxItem, str, datetime]]) -> None:
        """Record many deliveries (with their case links) in one transaction: all or none."""
        if not sent:
            return
        links = [
            (
                item.message.chat.channel,
                item.message.chat.chat_id,
                channel_message_id,
                item.message.case_id,
                item.message.link_role.value,
            )
            for item, channel_message_id, _ in sent
            if item.message.case_id is not None and item.message.link_role is not None
        ]
        async with self._db.transaction() as tx:
            await tx.execute_many(
                "UPDATE outbox SET status = 'sent', sent_at = ?, sent_message_id = ? WHERE id = ?",
                [
                    (to_db_time(now), channel_message_id, item.id)
                    for item, channel_message_id, now in sent
                ],
            )
            if links:
                await tx.execute_many(
                    "INSERT OR REPLACE INTO message_links"
                    " (channel, chat_id, message_id, case_id, role) VALUES (?, ?, ?, ?, ?)",
                    links,
                )

    async def sent_message_id(self, item_id: int, chat: ChatRef) -> str | None:
        """The channel's id of the message outbox row `item_id` put in `chat`, if it was sent."""
        rows = await self._db.read(
            "SELECT sent_message_id FROM outbox WHERE id = ? AND channel = ? AND chat_id = ?"
            " AND status = 'sent'",
            (item_id, chat.channel, chat.chat_id),
        )
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    async def reschedule(self, item_id: int, at: datetime, error: str) -> None:
        """Count a failed attempt and try again at `at`."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
                " WHERE id = ? AND status = 'pending'",
                (to_db_time(at), error[:_MAX_ERROR_LENGTH], item_id),
            )

    async def mark_failed(self, item_id: int, error: str) -> None:
        """Give up on a message the channel will never accept (or whose chat is gone)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?"
                " WHERE id = ? AND status = 'pending'",
                (error[:_MAX_ERROR_LENGTH], item_id),
            )

    async def pending_count(self) -> int:
        """How many messages still wait to be sent."""
        rows = await self._db.read("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        return int(rows[0][0])


def _item(row: sqlite3.Row) -> OutboxItem:
    chat = ChatRef(row["channel"], row["chat_id"])
    message = Outbound.from_row(
        chat, row["payload"], row["case_id"], row["link_role"], row["member_id"]
    )
    return OutboxItem(id=row["id"], attempts=row["attempts"], message=message)
