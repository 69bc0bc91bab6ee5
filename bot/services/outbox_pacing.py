"""How fast the outbox may send: token buckets overall and per chat, and flood-control pauses.

Every instant here is the event loop's monotonic time, not the injected `Clock`: Telegram counts
real seconds, and a wall clock that jumps (NTP, a test's fake clock) must neither burst nor stall
sending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bot.domain.model import ChatRef
from bot.services.token_bucket import TokenBucket


class OutboxPacing:
    """The overall and per-chat rates of sending, and a pause of every send after flood control."""

    def __init__(self, global_rate: float, per_chat_rate: float, per_chat_burst: int) -> None:
        self._global_rate = global_rate
        self._per_chat_rate = per_chat_rate
        self._per_chat_burst = float(per_chat_burst)
        self._global: TokenBucket | None = None
        self._chat_buckets: dict[ChatRef, TokenBucket] = {}
        self.paused_until = 0.0  # loop time before which nothing is sent

    def start(self, now: float) -> None:
        """Fill the overall bucket as sending starts."""
        # A small global burst absorbs scheduling jitter yet keeps any one second well under
        # Telegram's ~30 messages overall.
        self._global = TokenBucket(self._global_rate, max(1.0, self._global_rate / 10), now)

    def tokens(self, now: float) -> float:
        """Sends the overall rate allows at `now` (whole or partial)."""
        assert self._global is not None
        return self._global.available(now)

    def wait(self, now: float) -> float:
        """Seconds until the overall rate allows one send."""
        assert self._global is not None
        return self._global.wait(now)

    def blocked_chats(
        self, in_flight: Iterable[ChatRef], now: float
    ) -> tuple[set[ChatRef], float | None]:
        """Chats that may not send now (in flight or out of tokens), and the soonest unblock."""
        blocked = set(in_flight)
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

    def take(self, chat: ChatRef, now: float) -> None:
        """Spend a token overall and one of the chat's, for a send launched at `now`."""
        assert self._global is not None
        self._global.take(now)
        bucket = self._chat_buckets.get(chat)
        if bucket is None:
            bucket = TokenBucket(self._per_chat_rate, self._per_chat_burst, now)
            self._chat_buckets[chat] = bucket
        bucket.take(now)

    def sent(self, chat: ChatRef, now: float) -> None:
        """The chat's send is over at `now`: its next one is paced from here."""
        bucket = self._chat_buckets.get(chat)
        if bucket is not None:
            # Telegram counts a message when it arrives, not when we start sending it: pacing a
            # chat from the end of its previous send keeps us under 1 msg/s even when sends
            # take uneven time.
            bucket.restart_from(now)

    def pause(self, seconds: float) -> None:
        """Flood control: send nothing at all for `seconds`."""
        self.paused_until = max(self.paused_until, asyncio.get_running_loop().time() + seconds)
