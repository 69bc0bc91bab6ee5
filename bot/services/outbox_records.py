"""Writing down what became of outbox rows: deliveries are recorded as sent in batches.

Deliveries are recorded together, in one transaction, once the oldest waited `_RECORD_AFTER`
seconds (or `_RECORD_BATCH` wait; a message about a case at once): a kill -9 in between sends them
again after the restart (at least once). Meanwhile their chats go on sending what is held (a
replacing row finds the message id of the row it replaces here), but are not read from the
table, where their delivered rows are still pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.model import ChatRef
from bot.domain.outbound import OutboxItem
from bot.domain.ports import OutboxQueue

log = logging.getLogger(__name__)

_RECORD_AFTER = 0.02
_RECORD_BATCH = 64
_RECORD_TRIES = 3  # single records failing in a row, after a failed batch, before giving up

ChatHook = Callable[[ChatRef], None]


@dataclass(frozen=True)
class _Delivery:
    """A message the channel accepted, waiting to be recorded as sent."""

    item: OutboxItem
    message_id: str
    at: datetime


async def record_outcome(outcome: Awaitable[None], *, quiet: bool = False) -> bool:
    """Write an outcome to the store; shielded so a cancellation cannot cut a transaction."""
    try:
        await asyncio.shield(outcome)
    except Exception:
        if quiet:
            log.warning("recording outbox deliveries together failed; one by one now")
        else:
            log.exception("recording an outbox outcome failed; the row stays pending")
        return False
    return True


class UnrecordedDeliveries:
    """Messages sent but not yet recorded as sent: per chat how many, per row its message id."""

    def __init__(self, store: OutboxQueue) -> None:
        self._store = store
        self._delivered: list[_Delivery] = []  # sent, not yet recorded
        self.record_at = 0.0  # loop time by which `_delivered` is recorded
        # Per chat, how many of its deliveries wait to be recorded; per row, its message's id.
        self.per_chat: dict[ChatRef, int] = {}
        self._ids: dict[int, tuple[ChatRef, str]] = {}
        # Chats with a delivery that could not be recorded: their later deliveries are not
        # recorded either (all are sent again, in order), until the chat is read from the table.
        self.unrecordable: set[ChatRef] = set()

    @property
    def waiting(self) -> bool:
        """Whether any delivery waits to be recorded."""
        return bool(self._delivered)

    def record_now(self) -> None:
        """Record what waits at the next round, without waiting for company."""
        self.record_at = 0.0

    def add(self, item: OutboxItem, message_id: str, at: datetime, now: float) -> None:
        """The channel accepted `item` as `message_id` (at loop time `now`): record it soon."""
        if item.message.link_role is not None and item.message.case_id is not None:
            # A reply to it must find its case (message_links): no waiting for company.
            self.record_at = 0.0
        elif not self._delivered:
            self.record_at = now + _RECORD_AFTER
        self._delivered.append(_Delivery(item, message_id, at))
        chat = item.message.chat
        self.per_chat[chat] = self.per_chat.get(chat, 0) + 1
        self._ids[item.id] = (chat, message_id)

    def message_id(self, row_id: int, chat: ChatRef) -> str | None:
        """The message id row `row_id` of `chat` was sent as, if not recorded yet."""
        unrecorded = self._ids.get(row_id)
        if unrecorded is not None and unrecorded[0] == chat:
            return unrecorded[1]
        return None

    async def record(self, *, at_once: bool, recorded: ChatHook, not_recorded: ChatHook) -> None:
        """Record the deliveries waiting since `record_at` (or `_RECORD_BATCH` of them) in one
        transaction; one by one if that fails, so one bad row cannot keep the others unrecorded.

        Each delivery, once written down (or not), is told to `recorded` (or `not_recorded`)."""
        if not self._delivered:
            return
        if (
            not at_once
            and len(self._delivered) < _RECORD_BATCH
            and asyncio.get_running_loop().time() < self.record_at
        ):
            return
        batch, self._delivered = self._delivered, []
        failed = self.unrecordable
        marks = [(d.item, d.message_id, d.at) for d in batch if d.item.message.chat not in failed]
        if not await record_outcome(self._store.mark_sent_many(marks), quiet=True):
            failures = 0  # in a row
            for mark in marks:
                chat = mark[0].message.chat
                if chat in failed:
                    continue
                # After a few failures in a row the database is at fault, not a row: leave the
                # rest unrecorded (sent again) rather than log a failure for each.
                if failures < _RECORD_TRIES and await record_outcome(
                    self._store.mark_sent_many([mark])
                ):
                    failures = 0
                else:
                    failures += 1
                    failed.add(chat)
        for delivery in batch:
            chat = delivery.item.message.chat
            self._ids.pop(delivery.item.id, None)
            left = self.per_chat[chat] - 1
            if left:
                self.per_chat[chat] = left
            else:
                del self.per_chat[chat]
            if chat in failed:
                # Its rows stay pending: sent again from the table (at least once), in order.
                not_recorded(chat)
            else:
                recorded(chat)
