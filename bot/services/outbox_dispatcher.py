"""Drains the outbox: paced per chat and overall, in order within a chat, retrying until delivered.

Two clocks, on purpose. Stored instants (when a row is next due) come from the injected `Clock`,
so tests and restarts control what is due. Pacing (token buckets, flood-control pauses, sleeps)
uses the event loop's monotonic time: Telegram counts real seconds, and a wall clock that jumps
(NTP, a test's fake clock) must neither burst nor stall sending.

The round loop lives here. What goes next: `HeadSelection` (outbox_selection.py); how fast:
`OutboxPacing` (outbox_pacing.py); one send and its failure: `OutboxSending` (outbox_sending.py);
recording deliveries as sent: `UnrecordedDeliveries` (outbox_records.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from functools import partial

from bot.domain.model import ChatRef
from bot.domain.outbound import NewMail, OutboxItem
from bot.domain.ports import Clock, MessageSender, OutboxQueue
from bot.services.outbox_pacing import OutboxPacing
from bot.services.outbox_records import UnrecordedDeliveries
from bot.services.outbox_selection import OLDEST_EVERY, POLL_SECONDS, HeadSelection
from bot.services.outbox_sending import OnUnreachable, OutboxSending

# The shortest wait between rounds (see `_run`): event loops' timers count whole milliseconds.
MIN_TIMER_SECONDS = 0.001

__all__ = ["OnUnreachable", "OutboxDispatcher"]

log = logging.getLogger(__name__)


class OutboxDispatcher:
    """Sends due outbox messages through each channel's sender; nothing is ever dropped.

    Each round records the deliveries that waited long enough, then launches the chat heads
    `HeadSelection` picks (held in memory; the table is read only when rows may be due there), as
    many as the pacing and `max_in_flight` allow. A send's end wakes the next round.
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
        oldest_every: int = OLDEST_EVERY,
    ) -> None:
        if global_rate <= 0 or per_chat_rate <= 0 or per_chat_burst < 1 or max_in_flight < 1:
            raise ValueError("outbox rates, burst and max_in_flight must be positive")
        if oldest_every < 1:
            raise ValueError("oldest_every must be at least 1")
        self._store = store
        self._clock = clock
        self._max_in_flight = max_in_flight
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # A chat is in flight from its launch until its send is over.
        self._in_flight: dict[ChatRef, asyncio.Task[str | None]] = {}
        self._deadline: float | None = None
        self._pacing = OutboxPacing(global_rate, per_chat_rate, per_chat_burst)
        self._unrecorded = UnrecordedDeliveries(store)
        self._heads = HeadSelection(store, self._in_flight, self._unrecorded, oldest_every)
        self._sending = OutboxSending(
            store,
            senders,
            clock,
            self._pacing,
            self._unrecorded,
            max_backoff=max_backoff,
            on_unreachable=on_unreachable,
        )

    def start(self) -> None:
        """Start the sending loop on the running event loop."""
        if self._task is not None:
            raise RuntimeError("outbox dispatcher already started")
        now = _loop_time()
        self._deadline = None
        self._heads.read_again()
        self._pacing.start(now)
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    def wake(self) -> None:
        """New mail was committed (not told through `committed`): read the outbox now."""
        self._heads.wake()
        self._wakeup.set()

    def committed(self, mail: NewMail) -> None:
        """A transaction committed `mail`: hold what may go without a read, read for the rest."""
        self._heads.committed(mail)
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
            self._sending.abandon()
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
                self._heads.read_again()
                delay = POLL_SECONDS
            if delay is None:
                return
            if self._deadline is not None:
                delay = min(delay, max(0.0, self._deadline - _loop_time()))
            if delay > 0:
                # Never shorter than a timer can wait: uvloop rounds a delay to whole
                # milliseconds, so a wait for a token 0.3 ms away would wake at once, again and
                # again (thousands of empty rounds a second while the outbox is paced).
                delay = max(delay, MIN_TIMER_SECONDS)
                # A timer that only sets the event: cheaper than asyncio.timeout each round.
                timer = asyncio.get_running_loop().call_later(delay, self._wakeup.set)
                try:
                    await self._wakeup.wait()
                finally:
                    timer.cancel()

    async def _dispatch_ready(self) -> float | None:
        """Launch what may be sent now; return seconds to wait, or None when the flush is done."""
        pacing = self._pacing
        loop_now = _loop_time()
        if loop_now < pacing.paused_until:
            return pacing.paused_until - loop_now
        free = self._max_in_flight - len(self._in_flight)
        if free <= 0:
            return POLL_SECONDS  # a finishing send wakes the loop
        tokens = pacing.tokens(loop_now)
        if tokens < 1.0:
            return pacing.wait(loop_now)
        blocked, chat_wait = pacing.blocked_chats(self._in_flight, loop_now)
        now = self._clock.now()
        items = await self._heads.select(now, min(free, int(tokens)), blocked)
        launched_at = _loop_time()
        for item in items:
            self._launch(item, launched_at)
        if items:
            return 0.0
        if self._deadline is not None and not self._in_flight:
            if not await self._store.due(now, 1):
                return None  # stopping and nothing left that is due
        delay = POLL_SECONDS
        if chat_wait is not None:
            delay = min(delay, chat_wait)
        if self._unrecorded.waiting:
            delay = min(delay, max(0.0, self._unrecorded.record_at - loop_now))
        return await self._heads.until_due(now, blocked, delay)

    def _launch(self, item: OutboxItem, now: float) -> None:
        chat = item.message.chat
        self._heads.take(chat)
        self._pacing.take(chat, now)
        task = asyncio.create_task(self._sending.deliver(item), name=f"outbox-{item.id}")
        self._in_flight[chat] = task
        task.add_done_callback(partial(self._finished, item))

    def _finished(self, item: OutboxItem, task: asyncio.Task[str | None]) -> None:
        chat = item.message.chat
        self._pacing.sent(chat, _loop_time())
        self._in_flight.pop(chat, None)
        message_id = None if task.cancelled() or task.exception() else task.result()
        if message_id is None:
            self._heads.not_recorded(chat)
        else:
            self._unrecorded.add(item, message_id, self._clock.now(), _loop_time())
            self._heads.settle(chat)
        self._wakeup.set()  # the chat's next message may be due now

    async def _record_deliveries(self, *, at_once: bool = False) -> None:
        """Record the deliveries that waited long enough (all of them `at_once`)."""
        await self._unrecorded.record(
            at_once=at_once, recorded=self._heads.settle, not_recorded=self._heads.not_recorded
        )


def _loop_time() -> float:
    return asyncio.get_running_loop().time()
