"""Which chat heads the outbox sends next: from the chains held in memory, reading the table only
when some of its rows may be due.

Every row is sent from `HeldHeads`. Rows a transaction queued behind nothing pending (or behind
rows held here) are held as they commit and go out without a read. The outbox table stays the
source of truth and is read for chat heads nobody holds (a backlog, retries, rows left by a crash)
only when some may be due: a chat known to have rows there is free to send, mail was committed
elsewhere (`wake`), the next stored row falls due, and at least every `POLL_SECONDS`. A held chat
is never read from the table, so no row goes out twice; nor is a chat in flight or with
deliveries not yet recorded, whose delivered rows are still pending there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from itertools import islice

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, NewMail, OutboxItem
from bot.domain.ports import OutboxQueue
from bot.services.outbox_heads import HeldHeads
from bot.services.outbox_records import UnrecordedDeliveries

# The safety net: read the outbox table at least this often, whatever the dispatcher was told.
POLL_SECONDS = 1.0
# One launch in this many takes the oldest due chat head whatever its lane, so lower lanes keep at
# least that share of the overall rate even while interactive replies never stop (no starvation).
OLDEST_EVERY = 5
# A read of the outbox table holds this many due chat heads (or `limit` if more), for the rounds
# that follow: a backlog costs one read per this many sends, not one per round.
_READ_AHEAD = 32


class HeadSelection:
    """The chats' next rows, held or read from the table; up to `limit` of them at a time."""

    def __init__(
        self,
        store: OutboxQueue,
        in_flight: Mapping[ChatRef, object],
        unrecorded: UnrecordedDeliveries,
        oldest_every: int,
    ) -> None:
        self._store = store
        self._in_flight = in_flight  # the dispatcher's: a chat is in flight until its send is over
        self._deliveries = unrecorded
        self._unrecorded = unrecorded.per_chat
        self._oldest_every = oldest_every
        self._since_oldest = 0  # launches by lane since the last oldest-first one
        self._held = HeldHeads()
        # Held chats whose later rows (if any) wait in the table: read once their chain is sent.
        self._tainted: set[ChatRef] = set()
        # Chats not held that may have rows in the table: when their head is due (None: unknown).
        self._stored: dict[ChatRef, datetime | None] = {}
        self._stale = True  # any chat may have due rows in the table: read it
        self._read_at = 0.0  # loop time of the last read of due heads
        self._next_due: datetime | None = None  # the next row in the table falls due then
        self._next_due_known = False
        # After a read that could not return every due head: those it did not return rank after
        # this (lane, id), and after this id oldest first. None: it returned them all.
        self._beyond: tuple[int, int] | None = None
        self._beyond_oldest: int | None = None

    def read_again(self) -> None:
        """Any chat may have due rows in the table: read it at the next round."""
        self._stale = True

    def wake(self) -> None:
        """New mail was committed (not told through `committed`): read the outbox now."""
        self._stale = True
        # Its rows may queue behind any chat held here: those chats are read again once sent.
        self._tainted.update(self._held.chats())
        self._tainted.update(self._in_flight)
        self._tainted.update(self._unrecorded)

    def committed(self, mail: NewMail) -> None:
        """A transaction committed `mail`: hold what may go without a read, read for the rest."""
        for chat, rows in mail.heads.items():
            if not self._held.hold(chat, rows):
                self._stored[chat] = None  # no room: read from the table
        for chat, rows in mail.behind.items():
            # Behind rows held, in flight or sent but not yet recorded, from the head of an
            # untainted chain: they follow those in memory too. Behind anything else, only the
            # table knows what goes first.
            known = chat in self._held or chat in self._in_flight or chat in self._unrecorded
            if not known or chat in self._tainted or not self._held.hold(chat, rows):
                self._held.lift(chat, rows[0].lane)
                if known:
                    self._tainted.add(chat)
                else:
                    self._stored.setdefault(chat, None)

    def take(self, chat: ChatRef) -> None:
        """The chat's head is launched: its chain moves on."""
        self._held.take(chat)

    async def select(self, now: datetime, limit: int, blocked: set[ChatRef]) -> list[OutboxItem]:
        """Up to `limit` chat heads: by lane (interactive first), every n-th the oldest of all."""
        oldest_count = min(limit, (self._since_oldest + limit) // self._oldest_every)
        if self._must_read(now) or self._read_further(limit, oldest_count, blocked):
            await self._read(now, limit, blocked)
        else:
            await self._read_chats(now, limit, blocked)
        oldest = self._held.oldest(blocked, oldest_count) if oldest_count else []
        taken = blocked | {item.message.chat for item in oldest}
        by_lane = self._held.by_lane(taken, limit - len(oldest))
        launched = len(oldest) + len(by_lane)
        self._since_oldest = max(
            0, self._since_oldest + launched - len(oldest) * self._oldest_every
        )
        return oldest + by_lane

    async def until_due(self, now: datetime, blocked: set[ChatRef], delay: float) -> float:
        """`delay`, or less if a row in the table falls due sooner."""
        if not self._next_due_known and not self._stale and self._beyond is None:
            # The last read saw every due head in the table outside what was excluded then.
            self._next_due = await self._store.next_due_at(
                exclude_chats=blocked.union(self._held.chats(), self._unrecorded)
            )
            self._next_due_known = True
        soonest = min((due for due in self._stored.values() if due is not None), default=None)
        for due in (self._next_due, soonest):
            if due is not None:
                delay = min(delay, max(0.0, (due - now).total_seconds()))
        return delay

    def not_recorded(self, chat: ChatRef) -> None:
        """A row of the chat is still pending (a retry, a delivery not written down) or failed:
        the chat's later rows wait in the table, behind it."""
        self._held.drop(chat)
        self._tainted.add(chat)
        self.settle(chat)

    def settle(self, chat: ChatRef) -> None:
        """Once nothing of a tainted chat is held, in flight or unrecorded, read it from the
        table (not before: its delivered rows are pending there until they are recorded)."""
        if chat not in self._tainted or chat in self._held or chat in self._in_flight:
            return
        if chat in self._unrecorded:
            self._deliveries.record_now()  # only its records keep its next rows waiting
        else:
            self._tainted.discard(chat)
            self._deliveries.unrecordable.discard(chat)
            self._stored[chat] = None

    def _must_read(self, now: datetime) -> bool:
        """Whether any chat may have due heads in the table (not only the known ones)."""
        if not self._stale:
            self._stale = (
                _loop_time() - self._read_at >= POLL_SECONDS  # the safety net
                or (self._next_due is not None and now >= self._next_due)
            )
        return self._stale

    def _read_further(self, limit: int, oldest_count: int, blocked: set[ChatRef]) -> bool:
        """Whether heads the last read left in the table may go before what is held."""
        if self._beyond is not None:
            best = self._held.by_lane(blocked, limit)
            if len(best) < limit or (best[-1].lane, best[-1].id) > self._beyond:
                return True
        if self._beyond_oldest is not None and oldest_count:
            oldest = self._held.oldest(blocked, oldest_count)
            if len(oldest) < oldest_count or oldest[-1].id > self._beyond_oldest:
                return True
        return False

    async def _read(self, now: datetime, limit: int, blocked: set[ChatRef]) -> None:
        """Hold the table's best and oldest due heads of chats not blocked, a few rounds' worth.

        Held chats are excluded too (and those whose delivered rows are not recorded yet): the
        query walks their heads (one indexed step each) but does not decode them, and `ahead`
        rows then means `ahead` heads nobody holds, so under load (hundreds of held chats) a
        read is seen to be complete and is not repeated."""
        self._stale = False  # anything happening during the read makes it stale again
        self._read_at = _loop_time()
        self._next_due_known = False
        covered = [
            chat
            for chat, due in self._stored.items()
            if chat not in blocked and (due is None or due <= now)
        ]
        ahead = max(limit, _READ_AHEAD)
        blocked = blocked.union(self._held.chats(), self._unrecorded)
        rows = await self._store.due(now, ahead, blocked)
        self._beyond = (rows[-1].lane, rows[-1].id) if len(rows) == ahead else None
        self._beyond_oldest = None
        if self._beyond is None:
            for chat in covered:  # every due head of theirs is in `rows` now
                self._stored.pop(chat, None)
        elif self._beyond[0] == max(Lane):
            # Every lane was walked to its end but the last: what is left is newer than this.
            self._beyond_oldest = self._beyond[1]
        else:
            oldest = await self._store.due(now, ahead, blocked, oldest_first=True)
            if len(oldest) == ahead:
                self._beyond_oldest = oldest[-1].id
            rows += oldest
        for item in rows:
            chat = item.message.chat
            # A chat held while the read waited for the database heads its chain there now.
            if chat in self._held or chat in self._in_flight or chat in self._unrecorded:
                continue
            self._hold_read(chat, item)

    async def _read_chats(self, now: datetime, limit: int, blocked: set[ChatRef]) -> None:
        """Hold the due heads of chats known to have rows in the table, free to send now."""
        free = (
            chat
            for chat, due in self._stored.items()
            if (due is None or due <= now) and chat not in blocked and chat not in self._held
        )
        chats = list(islice(free, limit))
        for chat in chats:
            # A few rows at a time: a chat with a backlog in the table (mail that found no room
            # in memory) costs one read per `_READ_AHEAD` rows, not one per row.
            found = await self._store.chain_of(chat, now, _READ_AHEAD)
            if chat in self._held or chat in self._in_flight or chat in self._unrecorded:
                continue  # held while the read waited for the database
            if found is None:
                self._stored.pop(chat, None)
            elif found[1] > now:
                self._stored[chat] = found[1]
            else:
                self._hold_read(chat, *found[0])

    def _hold_read(self, chat: ChatRef, *chain: OutboxItem) -> None:
        """Hold a chat's next rows read from the table; what follows them is read once they
        are sent."""
        self._held.hold(chat, list(chain), beyond_capacity=True)  # a read's worth at a time
        self._tainted.add(chat)
        self._stored.pop(chat, None)


def _loop_time() -> float:
    return asyncio.get_running_loop().time()
