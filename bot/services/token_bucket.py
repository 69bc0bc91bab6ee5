"""Pacing by token bucket: a steady rate with a small burst, in seconds of a monotonic clock."""

from __future__ import annotations


class TokenBucket:
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
