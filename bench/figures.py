"""Percentiles, update-to-answer latency from the emulator's timeline, and report formatting."""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def spread_ms(values: Sequence[float]) -> str:
    """`p50 / p95 / p99 / max` of seconds, shown in milliseconds."""
    if not values:
        return "n/a"
    parts = [f"{percentile(values, q) * 1000:.1f}" for q in (50, 95, 99)]
    return " / ".join(parts) + f" / {max(values) * 1000:.1f} ms"


def latencies(
    timeline: dict[str, Any], chats: Collection[int]
) -> tuple[list[float], dict[int, list[float]], list[tuple[int, float]]]:
    """Seconds from each update of `chats` being queued to the bot's next message in that chat.

    Returns (all latencies, latencies by the update's position in its chat, and the updates that
    never got an answer as (chat, queued at)).
    """
    answers: dict[int, list[float]] = defaultdict(list)
    for chat, t in timeline["bot_messages"]:
        answers[chat].append(t)
    for times in answers.values():
        times.sort()
    every: list[float] = []
    by_step: dict[int, list[float]] = defaultdict(list)
    unanswered: list[tuple[int, float]] = []
    position: dict[int, int] = defaultdict(int)
    for _update_id, chat, _kind, t in sorted(timeline["updates"], key=lambda u: u[3]):
        if chat not in chats:
            continue
        times = answers.get(chat, [])
        i = bisect.bisect_left(times, t)
        position[chat] += 1
        if i == len(times):
            unanswered.append((chat, t))
            continue
        every.append(times[i] - t)
        by_step[position[chat]].append(times[i] - t)
    return every, dict(by_step), unanswered


def table(rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with a header row, columns padded to their widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def verdict(ok: bool) -> str:
    """MET / NOT MET."""
    return "MET" if ok else "NOT MET"
