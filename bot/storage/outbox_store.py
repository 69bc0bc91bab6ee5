"""The durable outbox: messages written with the change they report, drained by the dispatcher."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import islice

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, NewMail, Outbound, OutboxItem
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
           o.attempts, o.next_attempt_at, o.lane
    FROM outbox AS o
    WHERE o.status = 'pending'
      AND NOT EXISTS (
          SELECT 1 FROM outbox AS earlier
          WHERE earlier.status = 'pending' AND earlier.channel = o.channel
            AND earlier.chat_id = o.chat_id AND earlier.id < o.id)
"""


_INSERT = (
    "INSERT INTO outbox (channel, chat_id, payload, case_id, link_role, member_id,"
    " next_attempt_at, created_at, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


async def enqueue(
    tx: Tx, messages: Sequence[Outbound], now: datetime, mail: NewMail | None = None
) -> list[int]:
    """Queue messages, due at once, in the caller's transaction; returns their ids in order.

    The caller wakes the dispatcher, telling it what was queued through `mail` (see `NewMail`):
    one indexed probe per chat says whether the chat already had a pending row, and the lane
    of its last one. A message without a lane is a notice. A chat's earlier pending messages are
    lifted into the lane of a message queued behind them: they must go first anyway, and
    otherwise a citizen's reply would wait behind a whole bulk backlog because their chat had
    one bulk message queued. Lifting keeps a chat's pending lanes from getting better along its
    queue, so its last pending row has its worst lane: nothing to lift unless that one ranks
    below the new message (usually not: a reply follows a reply).
    """
    if not messages:
        return []
    stamp = to_db_time(now)
    lanes = _effective_lanes(messages)
    # Each chat's best lane here: its first message's, which the later ones lifted.
    lifts: dict[ChatRef, Lane] = {}
    for m, lane in zip(messages, lanes, strict=True):
        lifts.setdefault(m.chat, lane)
    # A chat heading its queue in this transaction already (an earlier call) stays a head chain.
    heads = mail.heads if mail is not None else {}
    worst = await _last_pending_lanes(tx, [chat for chat in lifts if chat not in heads])
    waiting = set(worst)
    lifted = [
        (lane, chat.channel, chat.chat_id, lane)
        for chat, lane in lifts.items()
        # a chat with no pending row has no row to lift
        if lane < (heads[chat][-1].lane if chat in heads else worst.get(chat, Lane.INTERACTIVE))
    ]
    if lifted:  # usually not
        await tx.execute_many(
            "UPDATE outbox SET lane = ? WHERE status = 'pending' AND channel = ? AND chat_id = ?"
            " AND lane > ?",
            lifted,
        )
    rows = [
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
    ]
    if len(rows) == 1:  # a turn's one reply, most often: its row id comes with the insert
        last = await tx.insert(_INSERT, rows[0])
    else:
        await tx.execute_many(_INSERT, rows)
        row = await tx.fetch_one("SELECT last_insert_rowid()")
        assert row is not None
        last = int(row[0])
    # One writer holds the transaction and `outbox.id` is a plain rowid (no AUTOINCREMENT):
    # each row took the next id after the table's largest, so the batch's ids are consecutive.
    ids = list(range(last - len(messages) + 1, last + 1))
    if mail is not None:
        _tell(mail, messages, lanes, ids, waiting)
    return ids


# Chats probed per statement: two parameters each, well under SQLite's oldest limit of 999.
_PROBE_CHUNK = 400


async def _last_pending_lanes(tx: Tx, chats: Sequence[ChatRef]) -> dict[ChatRef, Lane]:
    """The lane of the last pending row of each of `chats` that has one: one index probe each
    (outbox_pending_chat)."""
    found: dict[ChatRef, Lane] = {}
    if len(chats) == 1:  # a turn's replies go to one chat, most often: a plain cached statement
        row = await tx.fetch_one(
            "SELECT lane FROM outbox WHERE status = 'pending' AND channel = ? AND chat_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (chats[0].channel, chats[0].chat_id),
        )
        if row is not None:
            found[chats[0]] = Lane(row[0])
        return found
    for start in range(0, len(chats), _PROBE_CHUNK):
        chunk = chats[start : start + _PROBE_CHUNK]
        values = ", ".join("(?, ?)" for _ in chunk)
        rows = await tx.fetch(
            "SELECT v.column1, v.column2, (SELECT o.lane FROM outbox AS o WHERE o.status ="
            " 'pending' AND o.channel = v.column1 AND o.chat_id = v.column2 ORDER BY o.id DESC"
            f" LIMIT 1) FROM (VALUES {values}) AS v",
            [part for chat in chunk for part in (chat.channel, chat.chat_id)],
        )
        found.update((ChatRef(row[0], row[1]), Lane(row[2])) for row in rows if row[2] is not None)
    return found


def _tell(
    mail: NewMail,
    messages: Sequence[Outbound],
    lanes: Sequence[Lane],
    ids: Sequence[int],
    waiting: set[ChatRef],
) -> None:
    """Add the queued rows to `mail`: head chains for chats that had nothing pending."""
    for m, lane, item_id in zip(messages, lanes, ids, strict=True):
        rows = mail.behind if m.chat in waiting else mail.heads
        chain = rows.get(m.chat)
        if chain is None:
            rows[m.chat] = [OutboxItem(id=item_id, attempts=0, message=m, lane=lane)]
            continue
        if chain[-1].lane > lane:
            # Mirrors the lift above of this transaction's earlier rows of the chat.
            chain[:] = [replace(i, lane=lane) if i.lane > lane else i for i in chain]
        chain.append(OutboxItem(id=item_id, attempts=0, message=m, lane=lane))


def _effective_lanes(messages: Sequence[Outbound]) -> list[Lane]:
    """Each message's lane, lifted to the best lane of any message queued after it in its chat."""
    if len(messages) == 1:
        return [messages[0].lane if messages[0].lane is not None else Lane.NOTICE]
    best: dict[ChatRef, Lane] = {}
    lanes: list[Lane] = []
    for m in reversed(messages):
        lane = min(m.lane if m.lane is not None else Lane.NOTICE, best.get(m.chat, Lane.BULK))
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
        items: list[OutboxItem] = []
        for row in rows:
            chat = ChatRef(row["channel"], row["chat_id"])
            if chat not in excluded:  # decoded only once it is kept
                items.append(_item(chat, row))
                if len(items) == limit:
                    break
        return items

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

    async def chain_of(
        self, chat: ChatRef, now: datetime, limit: int
    ) -> tuple[list[OutboxItem], datetime] | None:
        """The chat's oldest pending row and when it is due; if due by `now`, with the rows that
        follow it, due too, up to `limit` in all. None if nothing of the chat is pending."""
        rows = await self._db.read(
            "SELECT id, channel, chat_id, payload, case_id, link_role, member_id, attempts,"
            " next_attempt_at, lane FROM outbox WHERE status = 'pending' AND channel = ?"
            " AND chat_id = ? ORDER BY id LIMIT ?",
            (chat.channel, chat.chat_id, limit),
        )
        if not rows:
            return None
        # `to_db_time`'s text is ISO 8601 in UTC: fromisoformat reads it 50 times faster.
        due = datetime.fromisoformat(rows[0]["next_attempt_at"])
        stamp = to_db_time(now)
        chain = [_item(chat, rows[0])]
        if due <= now:
            for row in islice(rows, 1, None):
                if row["next_attempt_at"] > stamp:  # sortable text: a row tried out of turn
                    break
                chain.append(_item(chat, row))
        return chain, due

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


def _item(chat: ChatRef, row: sqlite3.Row) -> OutboxItem:
    message = Outbound.from_row(
        chat, row["payload"], row["case_id"], row["link_role"], row["member_id"]
    )
    return OutboxItem(
        id=row["id"], attempts=row["attempts"], message=message, lane=Lane(row["lane"])
    )
