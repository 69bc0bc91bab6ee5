"""What the bot asked of the emulator: every call, unknown methods, counters."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from sandbox.wire import JsonDict

DROPPED = 0  # the status recorded for a call whose connection was dropped (timeout fault)


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call: wall-clock time, method, decoded params, HTTP status answered.

    `webhook_reply` marks a method the bot asked for in its answer to a webhook POST (Telegram
    performs it; the bot never hears its result).
    """

    time: float
    method: str
    params: JsonDict
    status: int = 200
    webhook_reply: bool = False

    @property
    def ok(self) -> bool:
        """Tell whether the call succeeded."""
        return 200 <= self.status < 300


class CallLog:
    """Append-only record of calls with per-method and per-status counters."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self.unknown_calls: list[RecordedCall] = []
        self.stats: Counter[str] = Counter()

    def record(
        self, method: str, params: JsonDict, status: int, *, webhook_reply: bool = False
    ) -> RecordedCall:
        """Log a call; count it under its method, its status and "method:status"."""
        call = RecordedCall(time.time(), method, params, status, webhook_reply)
        self.calls.append(call)
        self.stats[method] += 1
        self.stats[str(status)] += 1
        self.stats[f"{method}:{status}"] += 1
        return call

    def record_unknown(self, method: str, params: JsonDict, *, webhook_reply: bool = False) -> None:
        """Log a call to a method the emulator does not implement."""
        call = self.record(method, params, 404, webhook_reply=webhook_reply)
        self.unknown_calls.append(call)

    def clear(self) -> None:
        """Forget all calls and counters."""
        self.calls.clear()
        self.unknown_calls.clear()
        self.stats.clear()
