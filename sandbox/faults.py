"""Injected faults and Telegram-like flood limits."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.wire import ApiError, JsonDict

# Methods that put a message into a chat; `method="*"` faults and rate limits apply to these.
SEND_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendVideo", "sendAudio",
        "sendAnimation", "sendSticker", "sendVideoNote", "sendLocation", "sendContact",
        "sendMediaGroup", "copyMessage", "forwardMessage",
    }
)  # fmt: skip
_DESCRIPTIONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden: bot was blocked by the user",
    404: "Not Found", 409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}  # fmt: skip
DEFAULT_TIMEOUT_HOLD = 30.0


@dataclass
class FaultSpec:
    """One scripted misbehaviour, consumed by matching calls `times` times (None: forever).

    `status` answers an error (429 if only `retry_after` is given); `timeout` holds the
    request for `delay` seconds (default 30) and drops it without acting; `delay` alone
    adds latency before the call is served normally.
    """

    method: str = "*"
    status: int | None = None
    description: str | None = None
    retry_after: int | None = None
    timeout: bool = False
    delay: float | None = None
    times: int | None = 1
    chat_id: int | str | None = None

    def __post_init__(self) -> None:
        if self.status is None and self.retry_after is not None:
            self.status = 429
        if self.status is None and not self.timeout and self.delay is None:
            raise ValueError("a FaultSpec needs status, retry_after, timeout or delay")

    def matches(self, method: str, chat_id: object) -> bool:
        """Tell whether this fault applies to a call."""
        if self.method == "*":
            if method not in SEND_METHODS:
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error(self) -> ApiError | None:
        """The refusal this fault answers with, if it has a status."""
        if self.status is None:
            return None
        parameters: JsonDict | None = None
        description = self.description
        if self.retry_after is not None:
            parameters = {"retry_after": self.retry_after}
            description = description or f"Too Many Requests: retry after {self.retry_after}"
        return ApiError(
            self.status, description or _DESCRIPTIONS.get(self.status, "Error"), parameters
        )


@dataclass
class _ArmedFault:
    spec: FaultSpec
    remaining: int | None


class FaultBook:
    """Faults waiting for their calls, oldest first."""

    def __init__(self) -> None:
        self._armed: list[_ArmedFault] = []

    def add(self, spec: FaultSpec) -> None:
        """Arm a fault."""
        self._armed.append(_ArmedFault(spec, spec.times))

    def take(self, method: str, chat_id: object) -> FaultSpec | None:
        """Consume and return the first fault matching this call."""
        for armed in self._armed:
            if armed.spec.matches(method, chat_id):
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining <= 0:
                        self._armed.remove(armed)
                return armed.spec
        return None

    def pending(self) -> list[FaultSpec]:
        """Faults not yet used up."""
        return [armed.spec for armed in self._armed]

    def clear(self) -> None:
        """Disarm everything."""
        self._armed.clear()


@dataclass
class _Bucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Refill; return how long until a token is available (0 if one is)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass(frozen=True)
class RateLimits:
    """Telegram's published flood limits (None switches one off)."""

    overall_per_second: float | None = 30.0
    per_chat_per_second: float | None = 1.0
    burst: int = 3
    per_group_per_minute: float | None = 20.0


@dataclass
class RateLimiter:
    """Token buckets: one overall, one per chat; refusals carry an integer retry_after."""

    limits: RateLimits
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[object, _Bucket] = field(default_factory=dict)

    def _bucket(self, key: object, capacity: float, rate: float, now: float) -> _Bucket:
        if key not in self._buckets:
            self._buckets[key] = _Bucket(capacity, rate, capacity, now)
        return self._buckets[key]

    def _buckets_for(self, chat_id: object, now: float) -> list[_Bucket]:
        limits = self.limits
        found = []
        if limits.overall_per_second:
            rate = limits.overall_per_second
            found.append(self._bucket("*", max(1.0, rate), rate, now))
        is_group = not isinstance(chat_id, int) or chat_id < 0
        if is_group and limits.per_group_per_minute:
            rate = limits.per_group_per_minute / 60
            found.append(self._bucket(chat_id, limits.per_group_per_minute, rate, now))
        elif not is_group and limits.per_chat_per_second:
            capacity = max(1.0, float(limits.burst))
            found.append(self._bucket(chat_id, capacity, limits.per_chat_per_second, now))
        return found

    def check(self, chat_id: object) -> int | None:
        """Spend a token for a send to `chat_id`; or return retry_after seconds if over limit."""
        now = self.clock()
        buckets = self._buckets_for(chat_id, now)
        wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1
        return None
