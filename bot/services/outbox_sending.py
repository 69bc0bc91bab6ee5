"""Sending one outbox row through its channel's sender; a failed send is retried or given up.

A send the channel accepted returns its message id, recorded later with others
(bot/services/outbox_records.py); a failure is written to the store at once: retried with
backoff, after a flood-control pause of every send, or failed for good.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

from bot.domain.errors import ChatUnreachable, PermanentFailure, RetryLater, TransientFailure
from bot.domain.outbound import REPLACES, Outbound, OutboxItem
from bot.domain.ports import Clock, MessageSender, OutboxQueue
from bot.services.outbox_pacing import OutboxPacing
from bot.services.outbox_records import UnrecordedDeliveries, record_outcome

log = logging.getLogger(__name__)

# Backoff exponents beyond this are capped by max_backoff anyway; keeps 2**n small.
_MAX_EXPONENT = 30

OnUnreachable = Callable[[Outbound], Awaitable[None]]


class OutboxSending:
    """Sends rows one at a time through each channel's sender, and records why one failed."""

    def __init__(
        self,
        store: OutboxQueue,
        senders: Mapping[str, MessageSender],
        clock: Clock,
        pacing: OutboxPacing,
        unrecorded: UnrecordedDeliveries,
        *,
        max_backoff: float,
        on_unreachable: OnUnreachable | None,
    ) -> None:
        self._store = store
        self._senders = dict(senders)
        self._clock = clock
        self._pacing = pacing
        self._unrecorded = unrecorded
        self._max_backoff = max_backoff
        self._on_unreachable = on_unreachable
        self._sending: set[asyncio.Task[Any]] = set()  # abandon() cancels these

    def abandon(self) -> None:
        """Cancel the sends still running: their rows stay pending and are sent again after a
        restart (delivery is at least once)."""
        for send in list(self._sending):
            send.cancel()

    async def deliver(self, item: OutboxItem) -> str | None:
        """Send one item: the channel's message id to record, or None once a failure is recorded.

        Raises only CancelledError, when stop() abandons the send."""
        sender = self._senders.get(item.message.chat.channel)
        if sender is None:
            log.error(
                "outbox %d: no sender for channel %r; kept for later",
                item.id,
                item.message.chat.channel,
            )
            await record_outcome(self._retry(item, "no sender for channel"))
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
            self._pacing.pause(seconds)
            retry_at = self._clock.now() + timedelta(seconds=seconds)
            await record_outcome(
                self._store.reschedule(item.id, retry_at, f"retry after {seconds} s")
            )
        elif isinstance(error, ChatUnreachable):
            await record_outcome(self._unreachable(item, error))
        elif isinstance(error, PermanentFailure):
            log.warning(
                "outbox %d (case %s): rejected by the channel, not retried: %s",
                item.id,
                item.message.case_id,
                type(error).__name__,
            )
            await record_outcome(self._store.mark_failed(item.id, f"permanent: {error}"))
        elif isinstance(error, TransientFailure):
            log.warning(
                "outbox %d (case %s): send failed (%s), will retry",
                item.id,
                item.message.case_id,
                type(error).__name__,
            )
            await record_outcome(self._retry(item, f"transient: {error}"))
        else:
            # A sender bug, not a channel verdict: keep the message and retry it like a transient.
            log.error(
                "outbox %d (case %s): sender raised unexpectedly, will retry",
                item.id,
                item.message.case_id,
                exc_info=error,
            )
            await record_outcome(self._retry(item, f"{type(error).__name__}: {error}"))

    async def _send_or_edit(self, sender: MessageSender, item: OutboxItem) -> str:
        """Edit the message of the row this one replaces if there is one, else send anew."""
        replaces = item.message.extra.get(REPLACES)
        if replaces is not None:
            # The chat's earlier row was sent or given up on first (per-chat order); sent, it
            # may not be recorded yet.
            target = self._unrecorded.message_id(int(replaces), item.message.chat)
            if target is None:
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
