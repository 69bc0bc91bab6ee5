"""Drains the outbox: paced per chat and overall, in order within a chat, retrying until delivered.

Two clocks, on purpose. Stored instants (when a row is next due) come from the injected `Clock`,
so tests and restarts control what is due. Pacing (token buckets, flood-control pauses, sleeps)
uses the event loop's monotonic time: Telegram counts real seconds, and a wall clock that jumps
(NTP, a test's fake clock) must neither burst nor stall sending.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from typing import Any

from bot.domain.errors import ChatUnreachable, PermanentFailure, RetryLater, TransientFailure
from bot.domain.model import ChatRef
from bot.domain.outbound import REPLACES, Lane, NewMail, Outbound, OutboxItem
from bot.domain.ports import Clock, MessageSender, OutboxQueue
from bot.services.outbox_heads import HeldHeads
from bot.services.token_bucket import TokenBucket

log = logging.getLogger(__name__)

# The safety net: read the outbox table at least this often, whatever the dispatcher was told.
_POLL_SECONDS = 1.0
# One launch in this many takes the oldest due chat head whatever its lane, so lower lanes keep at
# least that share of the overall rate even while interactive replies never stop (no starvation).
_OLDEST_EVERY = 5
# A read of the outbox table holds this many due chat heads (or `limit` if more), for the rounds
# that follow: a backlog costs one read per this many sends, not one per round.
_READ_AHEAD = 32
# Deliveries are recorded together, in one transaction, once the oldest waited this long (or
# this many wait; a message about a case at once): a kill -9 in between sends them again after
# the restart (at least once).
_RECORD_AFTER = 0.02
_RECORD_BATCH = 64
_RECORD_TRIES = 3  # single records failing in a row, after a failed batch, before giving up
# Backoff exponents beyond this are capped by max_backoff anyway; keeps 2**n small.
_MAX_EXPONENT = 30

OnUnreachable = Callable[[Outbound], Awaitable[None]]


@dataclass(frozen=True)
class _Delivery:
    """A message the channel accepted, waiting to be recorded as sent."""

    item: OutboxItem
    message_id: str
    at: datetime


class OutboxDispatcher:
    """Sends due outbox messages through each channel's sender; nothing is ever dropped.

    Every row is sent from `HeldHeads`, the chat chains held in memory. Rows a transaction queued
    behind nothing pending (or behind rows held here) arrive through `committed` and are held at
    once: they go out without reading the outbox. The outbox table stays the source of truth and
    is read for chat heads nobody holds (a backlog, retries, rows left by a crash) only when some
    may be due: a chat known to have rows there is free to send, mail was committed elsewhere
    (`wake`), the next stored row falls due, and at least every `_POLL_SECONDS`. A held chat is
    never read from the table, so no row goes out twice. Deliveries are recorded as sent in one
    transaction per `_RECORD_AFTER` seconds; meanwhile their chats go on sending what is held
    (a replacing row finds the message id of the row it replaces in memory), but are not read
    from the table, where their delivered rows are still pending.
    """

    def __init__(
        self,
        store: OutboxQueue,
        senders: Mapping[str, MessageSender],
        clock: Clock,
        *,
        global_rate: float = 25.0,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 3,
        max_in_flight: int = 8,
        max_backoff: float = 300.0,
        on_unreachable: OnUnreachable | None = None,
        oldest_every: int = _OLDEST_EVERY,
    ) -> None:
        if global_rate <= 0 or per_chat_rate <= 0 or per_chat_burst < 1 or max_in_flight < 1:
            raise ValueError("outbox rates, burst and max_in_flight must be positive")
        if oldest_every < 1:
            raise ValueError("oldest_every must be at least 1")
        self._store = store
        self._senders = dict(senders)
        self._clock = clock
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        self._per_chat_burst = float(per_chat_burst)
        self._max_in_flight = max_in_flight
        self._max_backoff = max_backoff
        self._on_unreachable = on_unreachable
        self._oldest_every = oldest_every
        self._since_oldest = 0  # launches by lane since the last oldest-first one
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._global: TokenBucket | None = None
        self._chat_buckets: dict[ChatRef, TokenBucket] = {}
        # A chat is in flight from its launch until its send is over.
        self._in_flight: dict[ChatRef, asyncio.Task[str | None]] = {}
        self._sending: set[asyncio.Task[Any]] = set()  # stop() abandons these
        self._delivered: list[_Delivery] = []  # sent, not yet recorded
        self._record_at = 0.0  # loop time by which `_delivered` is recorded
        # Per chat, how many of its deliveries wait to be recorded; per row, its message's id.
        self._unrecorded: dict[ChatRef, int] = {}
        self._unrecorded_ids: dict[int, tuple[ChatRef, str]] = {}
        # Chats with a delivery that could not be recorded: their later deliveries are not
        # recorded either (all are sent again, in order), until the chat is read from the table.
        self._unrecordable: set[ChatRef] = set()
        self._paused_until = 0.0
        self._deadline: float | None = None
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

    def start(self) -> None:
        """Start the sending loop on the running event loop."""
        if self._task is not None:
            raise RuntimeError("outbox dispatcher already started")
        now = _loop_time()
        self._deadline = None
        self._stale = True
        # A small global burst absorbs scheduling jitter yet keeps any one second well under
        # Telegram's ~30 messages overall.
        self._global = TokenBucket(self._global_rate, max(1.0, self._global_rate / 10), now)
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    def wake(self) -> None:
        """New mail was committed (not told through `committed`): read the outbox now."""
        self._stale = True
        # Its rows may queue behind any chat held here: those chats are read again once sent.
        self._tainted.update(self._held.chats())
        self._tainted.update(self._in_flight)
        self._tainted.update(self._unrecorded)
        self._wakeup.set()

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
        self._wakeup.set()

    async def stop(self, flush_seconds: float) -> None:
        """Keep sending what is due for up to `flush_seconds`, then stop; the rest stays pending."""
        if self._task is None:
            return
        self._deadline = _loop_time() + max(0.0, flush_seconds)
        self._wakeup.set()
        try:
            await self._task
        finally:
            self._task = None
            # Sends still running at the deadline are abandoned: their rows stay pending and are
            # sent again after a restart (delivery is at least once).
            for send in list(self._sending):
                send.cancel()
            if self._in_flight:
                await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
            await self._record_deliveries(at_once=True)

    # `timeout` rather than asyncio.timeout(): running out is an answer (False), not an error.
    async def drain(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until the outbox is empty (True), or give up (False) at `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if await self._store.pending_count() == 0 and not self._in_flight:
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            if not self._in_flight:
                # Nothing in flight and the next due row is beyond the timeout: don't wait for it.
                next_due = await self._store.next_due_at()
                horizon = self._clock.now() + timedelta(seconds=remaining)
                if next_due is not None and next_due > horizon:
                    return False
            await asyncio.sleep(min(0.01, remaining))

    async def _run(self) -> None:
        while True:
            self._wakeup.clear()
            if self._deadline is not None and _loop_time() >= self._deadline:
                return  # launching now would only start sends that stop() must abandon
            try:
                # Stopping: recorded at once, so the flush knows when nothing is left.
                await self._record_deliveries(at_once=self._deadline is not None)
                delay = await self._dispatch_ready()
            except Exception:
                log.exception("outbox dispatcher round failed; retrying")
                self._stale = True
                delay = _POLL_SECONDS
            if delay is None:
                return
            if self._deadline is not None:
                delay = min(delay, max(0.0, self._deadline - _loop_time()))
            if delay > 0:
                # A timer that only sets the event: cheaper than asyncio.timeout each round.
                timer = asyncio.get_running_loop().call_later(delay, self._wakeup.set)
                try:
                    await self._wakeup.wait()
                finally:
                    timer.cancel()

    async def _dispatch_ready(self) -> float | None:
        """Launch what may be sent now; return seconds to wait, or None when the flush is done."""
        assert self._global is not None
        loop_now = _loop_time()
        if loop_now < self._paused_until:
            return self._paused_until - loop_now
        free = self._max_in_flight - len(self._in_flight)
        if free <= 0:
            return _POLL_SECONDS  # a finishing send wakes the loop
        tokens = self._global.available(loop_now)
        if tokens < 1.0:
            return self._global.wait(loop_now)
        blocked, chat_wait = self._blocked_chats(loop_now)
        now = self._clock.now()
        items = await self._select(now, min(free, int(tokens)), blocked)
        launched_at = _loop_time()
        for item in items:
            self._launch(item, launched_at)
        if items:
            return 0.0
        if self._deadline is not None and not self._in_flight:
            if not await self._store.due(now, 1):
                return None  # stopping and nothing left that is due
        delay = _POLL_SECONDS
        if chat_wait is not None:
            delay = min(delay, chat_wait)
        if self._delivered:
            delay = min(delay, max(0.0, self._record_at - loop_now))
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

    async def _select(self, now: datetime, limit: int, blocked: set[ChatRef]) -> list[OutboxItem]:
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

    def _must_read(self, now: datetime) -> bool:
        """Whether any chat may have due heads in the table (not only the known ones)."""
        if not self._stale:
            self._stale = (
                _loop_time() - self._read_at >= _POLL_SECONDS  # the safety net
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

    def _blocked_chats(self, now: float) -> tuple[set[ChatRef], float | None]:
        """Chats that may not send now (in flight or out of tokens), and the soonest unblock."""
        blocked = set(self._in_flight)
        soonest: float | None = None
        for chat, bucket in list(self._chat_buckets.items()):
            if chat in blocked:
                continue
            if bucket.is_full(now):
                del self._chat_buckets[chat]
                continue
            wait = bucket.wait(now)
            if wait > 0:
                blocked.add(chat)
                soonest = wait if soonest is None else min(soonest, wait)
        return blocked, soonest

    def _launch(self, item: OutboxItem, now: float) -> None:
        assert self._global is not None
        chat = item.message.chat
        self._held.take(chat)
        self._global.take(now)
        bucket = self._chat_buckets.get(chat)
        if bucket is None:
            bucket = TokenBucket(self._per_chat_rate, self._per_chat_burst, now)
            self._chat_buckets[chat] = bucket
        bucket.take(now)
        task = asyncio.create_task(self._deliver(item), name=f"outbox-{item.id}")
        self._in_flight[chat] = task
        task.add_done_callback(partial(self._finished, item))

    def _finished(self, item: OutboxItem, task: asyncio.Task[str | None]) -> None:
        chat = item.message.chat
        bucket = self._chat_buckets.get(chat)
        if bucket is not None:
            # Telegram counts a message when it arrives, not when we start sending it: pacing a
            # chat from the end of its previous send keeps us under 1 msg/s even when sends
            # take uneven time.
            bucket.restart_from(_loop_time())
        self._in_flight.pop(chat, None)
        message_id = None if task.cancelled() or task.exception() else task.result()
        if message_id is None:
            self._not_recorded(chat)
        else:
            if item.message.link_role is not None and item.message.case_id is not None:
                # A reply to it must find its case (message_links): no waiting for company.
                self._record_at = 0.0
            elif not self._delivered:
                self._record_at = _loop_time() + _RECORD_AFTER
            self._delivered.append(_Delivery(item, message_id, self._clock.now()))
            self._unrecorded[chat] = self._unrecorded.get(chat, 0) + 1
            self._unrecorded_ids[item.id] = (chat, message_id)
            self._settle(chat)
        self._wakeup.set()  # the chat's next message may be due now

    def _not_recorded(self, chat: ChatRef) -> None:
        """A row of the chat is still pending (a retry, a delivery not written down) or failed:
        the chat's later rows wait in the table, behind it."""
        self._held.drop(chat)
        self._tainted.add(chat)
        self._settle(chat)

    def _settle(self, chat: ChatRef) -> None:
        """Once nothing of a tainted chat is held, in flight or unrecorded, read it from the
        table (not before: its delivered rows are pending there until they are recorded)."""
        if chat not in self._tainted or chat in self._held or chat in self._in_flight:
            return
        if chat in self._unrecorded:
            self._record_at = 0.0  # only its records keep its next rows waiting: record now
        else:
            self._tainted.discard(chat)
            self._unrecordable.discard(chat)
            self._stored[chat] = None

    async def _record_deliveries(self, *, at_once: bool = False) -> None:
        """Record the deliveries waiting since `_record_at` (or `_RECORD_BATCH` of them) in one
        transaction; one by one if that fails, so one bad row cannot keep the others unrecorded."""
        if not self._delivered:
            return
        if not at_once and len(self._delivered) < _RECORD_BATCH and _loop_time() < self._record_at:
            return
        batch, self._delivered = self._delivered, []
        failed = self._unrecordable
        marks = [(d.item, d.message_id, d.at) for d in batch if d.item.message.chat not in failed]
        if not await self._record(self._store.mark_sent_many(marks), quiet=True):
            failures = 0  # in a row
            for mark in marks:
                chat = mark[0].message.chat
                if chat in failed:
                    continue
                # After a few failures in a row the database is at fault, not a row: leave the
                # rest unrecorded (sent again) rather than log a failure for each.
                if failures < _RECORD_TRIES and await self._record(
                    self._store.mark_sent_many([mark])
                ):
                    failures = 0
                else:
                    failures += 1
                    failed.add(chat)
        for delivery in batch:
            chat = delivery.item.message.chat
            self._unrecorded_ids.pop(delivery.item.id, None)
            left = self._unrecorded[chat] - 1
            if left:
                self._unrecorded[chat] = left
            else:
                del self._unrecorded[chat]
            if chat in failed:
                # Its rows stay pending: sent again from the table (at least once), in order.
                self._not_recorded(chat)
            else:
                self._settle(chat)

    async def _deliver(self, item: OutboxItem) -> str | None:
        """Send one item: the channel's message id to record, or None once a failure is recorded.

        Raises only CancelledError, when stop() abandons the send."""
        sender = self._senders.get(item.message.chat.channel)
        if sender is None:
            log.error(
                "outbox %d: no sender for channel %r; kept for later",
                item.id,
                item.message.chat.channel,
            )
            await self._record(self._retry(item, "no sender for channel"))
            return None
        task = asyncio.current_task()
        assert task is not None
        self._sending.add(task)
        try:
            return await self._send_or_edit(sender, item)
        except asyncio.CancelledError:
            log.info("outbox %d: send abandoned at shutdown; stays pending", item.id)
            raise
        except Exception as exc:
            self._sending.discard(task)  # recording the failure is not abandoned
            await self._failed(item, exc)
            return None
        finally:
            self._sending.discard(task)

    async def _failed(self, item: OutboxItem, error: Exception) -> None:
        """Record why a send failed: retry later, or give up for good."""
        if isinstance(error, RetryLater):
            seconds = max(0.0, error.seconds)
            log.warning("outbox %d: flood control, pausing all sends for %.1f s", item.id, seconds)
            self._paused_until = max(self._paused_until, _loop_time() + seconds)
            retry_at = self._clock.now() + timedelta(seconds=seconds)
            await self._record(
                self._store.reschedule(item.id, retry_at, f"retry after {seconds} s")
            )
        elif isinstance(error, ChatUnreachable):
            await self._record(self._unreachable(item, error))
        elif isinstance(error, PermanentFailure):
            log.warning(
                "outbox %d (case %s): rejected by the channel, not retried: %s",
                item.id,
                item.message.case_id,
                type(error).__name__,
            )
            await self._record(self._store.mark_failed(item.id, f"permanent: {error}"))
        elif isinstance(error, TransientFailure):
            log.warning(
                "outbox %d (case %s): send failed (%s), will retry",
                item.id,
                item.message.case_id,
                type(error).__name__,
            )
            await self._record(self._retry(item, f"transient: {error}"))
        else:
            # A sender bug, not a channel verdict: keep the message and retry it like a transient.
            log.error(
                "outbox %d (case %s): sender raised unexpectedly, will retry",
                item.id,
                item.message.case_id,
                exc_info=error,
            )
            await self._record(self._retry(item, f"{type(error).__name__}: {error}"))

    async def _send_or_edit(self, sender: MessageSender, item: OutboxItem) -> str:
        """Edit the message of the row this one replaces if there is one, else send anew."""
        replaces = item.message.extra.get(REPLACES)
        if replaces is not None:
            # The chat's earlier row was sent or given up on first (per-chat order); sent, it
            # may not be recorded yet.
            unrecorded = self._unrecorded_ids.get(int(replaces))
            if unrecorded is not None and unrecorded[0] == item.message.chat:
                target: str | None = unrecorded[1]
            else:
                target = await self._store.sent_message_id(int(replaces), item.message.chat)
            if target is not None:
                try:
                    return await sender.edit(item.message, target)
                except PermanentFailure as exc:
                    log.info(
                        "outbox %d: cannot edit the message of row %s (%s); sending a new one",
                        item.id,
                        replaces,
                        type(exc).__name__,
                    )
        return await sender.send(item.message)

    async def _record(self, outcome: Awaitable[None], *, quiet: bool = False) -> bool:
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

    async def _retry(self, item: OutboxItem, error: str) -> None:
        exponent = min(item.attempts, _MAX_EXPONENT)
        delay = min(float(2**exponent), self._max_backoff)
        delay += random.uniform(0.0, delay / 10)  # spreads retries of many chats apart
        await self._store.reschedule(item.id, self._clock.now() + timedelta(seconds=delay), error)

    async def _unreachable(self, item: OutboxItem, exc: ChatUnreachable) -> None:
        log.info("outbox %d (case %s): chat unreachable", item.id, item.message.case_id)
        await self._store.mark_failed(item.id, f"unreachable: {exc}")
        if self._on_unreachable is None:
            return
        try:
            await self._on_unreachable(item.message)
        except Exception:
            log.exception("outbox %d: unreachable-chat callback failed", item.id)


def _loop_time() -> float:
    return asyncio.get_running_loop().time()
