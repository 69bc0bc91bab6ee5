"""Drains the outbox: paced per chat and overall, in order within a chat, retrying until delivered.

Two clocks, on purpose. Stored instants (when a row is next due) come from the injected `Clock`,
so tests and restarts control what is due. Pacing (token buckets, flood-control pauses, sleeps)
uses the event loop's monotonic time: Telegram counts real seconds, and a wall clock that jumps
(NTP, a test's fake clock) must neither burst nor stall sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.domain.errors import ChatUnreachable, PermanentFailure, RetryLater, TransientFailure
from bot.domain.model import ChatRef
from bot.domain.outbound import REPLACES, Outbound, OutboxItem
from bot.domain.ports import Clock, MessageSender, OutboxQueue

log = logging.getLogger(__name__)

# The safety net: look at the outbox at least this often even if nobody calls wake().
_POLL_SECONDS = 1.0
# Backoff exponents beyond this are capped by max_backoff anyway; keeps 2**n small.
# One launch in this many takes the oldest due chat head whatever its lane, so lower lanes keep at
# least that share of the overall rate even while interactive replies never stop (no starvation).
_OLDEST_EVERY = 5
_MAX_EXPONENT = 30

OnUnreachable = Callable[[Outbound], Awaitable[None]]


class _TokenBucket:
    """`rate` tokens a second, holding at most `capacity`; one token per message."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self._rate = rate
        self._capacity = capacity
        self._tokens = capacity
        self._updated = now

    def _refill(self, now: float) -> None:
        if now <= self._updated:
            return
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now

    def available(self, now: float) -> float:
        """Whole or partial tokens in the bucket at `now`."""
        self._refill(now)
        return self._tokens

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 if one is already there)."""
        self._refill(now)
        return max(0.0, (1.0 - self._tokens) / self._rate)

    def take(self, now: float) -> None:
        """Spend one token (callers check `wait` first)."""
        self._refill(now)
        self._tokens -= 1.0

    def restart_from(self, now: float) -> None:
        """Earn nothing for the time up to `now` (while a send was in flight)."""
        self._updated = max(self._updated, now)

    def is_full(self, now: float) -> bool:
        """A full bucket holds no state worth keeping."""
        self._refill(now)
        return self._tokens >= self._capacity


class OutboxDispatcher:
    """Sends due outbox messages through each channel's sender; nothing is ever dropped."""

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
        self._global: _TokenBucket | None = None
        self._chat_buckets: dict[ChatRef, _TokenBucket] = {}
        self._in_flight: dict[ChatRef, asyncio.Task[None]] = {}
        self._sends: dict[int, asyncio.Task[str]] = {}
        self._paused_until = 0.0
        self._deadline: float | None = None

    def start(self) -> None:
        """Start the sending loop on the running event loop."""
        if self._task is not None:
            raise RuntimeError("outbox dispatcher already started")
        now = _loop_time()
        self._deadline = None
        # A small global burst absorbs scheduling jitter yet keeps any one second well under
        # Telegram's ~30 messages overall.
        self._global = _TokenBucket(self._global_rate, max(1.0, self._global_rate / 10), now)
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    def wake(self) -> None:
        """New mail was committed: look at the outbox now rather than at the next poll."""
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
            for send in list(self._sends.values()):
                send.cancel()
            if self._in_flight:
                await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

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
                delay = await self._dispatch_ready()
            except Exception:
                log.exception("outbox dispatcher round failed; retrying")
                delay = _POLL_SECONDS
            if delay is None:
                return
            if self._deadline is not None:
                delay = min(delay, max(0.0, self._deadline - _loop_time()))
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wakeup.wait()

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
        for item in items:
            self._launch(item, _loop_time())
        if items:
            return 0.0
        if self._deadline is not None and not self._in_flight:
            if not await self._store.due(now, 1):
                return None  # stopping and nothing left that is due
        delay = _POLL_SECONDS
        if chat_wait is not None:
            delay = min(delay, chat_wait)
        next_due = await self._store.next_due_at(exclude_chats=blocked)
        if next_due is not None:
            delay = min(delay, max(0.0, (next_due - now).total_seconds()))
        return delay

    async def _select(self, now: datetime, limit: int, blocked: set[ChatRef]) -> list[OutboxItem]:
        """Up to `limit` chat heads: by lane (interactive first), every n-th the oldest of all."""
        oldest_count = min(limit, (self._since_oldest + limit) // self._oldest_every)
        oldest: list[OutboxItem] = []
        if oldest_count:
            oldest = await self._store.due(now, oldest_count, blocked, oldest_first=True)
            blocked = blocked | {item.message.chat for item in oldest}
        by_lane = await self._store.due(now, limit - len(oldest), exclude_chats=blocked)
        launched = len(oldest) + len(by_lane)
        self._since_oldest = max(
            0, self._since_oldest + launched - len(oldest) * self._oldest_every
        )
        return oldest + by_lane

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
        self._global.take(now)
        bucket = self._chat_buckets.get(chat)
        if bucket is None:
            bucket = _TokenBucket(self._per_chat_rate, self._per_chat_burst, now)
            self._chat_buckets[chat] = bucket
        bucket.take(now)
        task = asyncio.create_task(self._deliver(item), name=f"outbox-{item.id}")
        self._in_flight[chat] = task
        task.add_done_callback(lambda _: self._finished(chat))

    def _finished(self, chat: ChatRef) -> None:
        self._in_flight.pop(chat, None)
        bucket = self._chat_buckets.get(chat)
        if bucket is not None:
            # Telegram counts a message when it arrives, not when we start sending it: pacing a
            # chat from the end of its previous send keeps us under 1 msg/s even when sends
            # take uneven time.
            bucket.restart_from(_loop_time())
        self._wakeup.set()  # the chat's next message may be due now

    async def _deliver(self, item: OutboxItem) -> None:
        """Send one item and record the outcome; never raises."""
        sender = self._senders.get(item.message.chat.channel)
        if sender is None:
            log.error(
                "outbox %d: no sender for channel %r; kept for later",
                item.id,
                item.message.chat.channel,
            )
            await self._record(self._retry(item, "no sender for channel"))
            return
        send = asyncio.create_task(self._send_or_edit(sender, item))
        self._sends[item.id] = send
        try:
            message_id = await send
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if send.cancelled() and current is not None and not current.cancelling():
                log.info("outbox %d: send abandoned at shutdown; stays pending", item.id)
                return
            raise
        except RetryLater as exc:
            seconds = max(0.0, exc.seconds)
            log.warning("outbox %d: flood control, pausing all sends for %.1f s", item.id, seconds)
            self._paused_until = max(self._paused_until, _loop_time() + seconds)
            retry_at = self._clock.now() + timedelta(seconds=seconds)
            await self._record(
                self._store.reschedule(item.id, retry_at, f"retry after {seconds} s")
            )
        except ChatUnreachable as exc:
            await self._record(self._unreachable(item, exc))
        except PermanentFailure as exc:
            log.warning(
                "outbox %d (case %s): rejected by the channel, not retried: %s",
                item.id,
                item.message.case_id,
                type(exc).__name__,
            )
            await self._record(self._store.mark_failed(item.id, f"permanent: {exc}"))
        except TransientFailure as exc:
            log.warning(
                "outbox %d (case %s): send failed (%s), will retry",
                item.id,
                item.message.case_id,
                type(exc).__name__,
            )
            await self._record(self._retry(item, f"transient: {exc}"))
        except Exception as exc:
            # A sender bug, not a channel verdict: keep the message and retry it like a transient.
            log.exception(
                "outbox %d (case %s): sender raised unexpectedly, will retry",
                item.id,
                item.message.case_id,
            )
            await self._record(self._retry(item, f"{type(exc).__name__}: {exc}"))
        else:
            await self._record(self._store.mark_sent(item, message_id, self._clock.now()))
        finally:
            self._sends.pop(item.id, None)

    async def _send_or_edit(self, sender: MessageSender, item: OutboxItem) -> str:
        """Edit the message of the row this one replaces if there is one, else send anew."""
        replaces = item.message.extra.get(REPLACES)
        if replaces is not None:
            # The chat's earlier row was sent or given up on first (per-chat order).
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

    async def _record(self, outcome: Awaitable[None]) -> None:
        """Write an outcome to the store; shielded so a cancellation cannot cut a transaction."""
        try:
            await asyncio.shield(outcome)
        except Exception:
            log.exception("recording an outbox outcome failed; the row stays pending")

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
