"""The briefing pack a meeting reads (issue 4): what it covers and the figures in it (pure).

A pack covers the cases since the previous occurrence of the same meeting, up to the moment it
is built (live data). The first occurrence of a meeting, with no previous one stored, looks back
`FIRST_LOOKBACK` (30 days) from its start: about one monthly cycle. Overdue cases are counted as
they stand *now*, whenever they were received, because the meeting acts on today's backlog.
The pack names cases by tracking code only: never a citizen's identity, and no case text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.reports import RatingSummary

FIRST_LOOKBACK = timedelta(days=30)


class PackMoment(StrEnum):
    """Which of an occurrence's reminders the pack goes with (`[[meetings]] pack`)."""

    FIRST = "first"
    LAST = "last"


@dataclass(frozen=True)
class Tally:
    """Cases received and answered in the period, and open past their deadline now."""

    received: int = 0
    answered: int = 0
    overdue: int = 0

    def plus(self, received: int = 0, answered: int = 0, overdue: int = 0) -> Tally:
        """This tally with some more counted in."""
        return Tally(self.received + received, self.answered + answered, self.overdue + overdue)


@dataclass(frozen=True)
class OverdueCase:
    """An open case past its deadline, with who has it (None: nobody yet)."""

    code: str
    field_id: str
    village: str | None
    owner_id: str | None
    due_at: datetime


@dataclass(frozen=True)
class ReopenedCase:
    """A case the citizen reopened in the period (the answer did not resolve it)."""

    code: str
    field_id: str
    owner_id: str | None
    reopened_at: datetime


@dataclass(frozen=True)
class OpenConclusion:
    """A meeting conclusion or task not done yet."""

    text: str
    owner_id: str | None
    due_on: date | None
    case_code: str | None


@dataclass(frozen=True)
class CaseFacts:
    """One case as the tallies count it: where it belongs and what happened to it."""

    field_id: str
    village: str | None
    owner_id: str | None
    received: bool = False
    answered: bool = False
    overdue: bool = False


@dataclass(frozen=True)
class BriefingFigures:
    """Everything a pack shows, with ids as stored; rendering turns them into words."""

    since: datetime
    until: datetime
    total: Tally
    by_field: dict[str, Tally]
    by_village: dict[str | None, Tally]
    by_member: dict[str | None, Tally]
    overdue: list[OverdueCase]
    ratings: RatingSummary
    scores: dict[int, int]  # score 1..5 → how many cases got it (latest rating per case)
    reopened: list[ReopenedCase]
    conclusions: list[OpenConclusion] = field(default_factory=list)


def briefing_since(previous_start: datetime | None, starts_at: datetime) -> datetime:
    """Where a pack's period begins: the previous occurrence, or FIRST_LOOKBACK before this one."""
    if previous_start is not None and previous_start < starts_at:
        return previous_start
    return starts_at - FIRST_LOOKBACK


def pack_moments(due_at: datetime, reminders: Sequence[datetime]) -> set[PackMoment]:
    """Whether a reminder falling due at `due_at` is the first, the last (or both, if alone)."""
    if not reminders:
        return set()
    moments = set()
    if due_at == min(reminders):
        moments.add(PackMoment.FIRST)
    if due_at == max(reminders):
        moments.add(PackMoment.LAST)
    return moments


def tally(
    facts: Sequence[CaseFacts],
) -> tuple[Tally, dict[str, Tally], dict[str | None, Tally], dict[str | None, Tally]]:
    """The totals, and the same by field, by village and by member."""
    total = Tally()
    by_field: dict[str, Tally] = {}
    by_village: dict[str | None, Tally] = {}
    by_member: dict[str | None, Tally] = {}
    for fact in facts:
        counts = (int(fact.received), int(fact.answered), int(fact.overdue))
        total = total.plus(*counts)
        by_field[fact.field_id] = by_field.get(fact.field_id, Tally()).plus(*counts)
        by_village[fact.village] = by_village.get(fact.village, Tally()).plus(*counts)
        by_member[fact.owner_id] = by_member.get(fact.owner_id, Tally()).plus(*counts)
    return total, by_field, by_village, by_member
