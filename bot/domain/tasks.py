"""Meeting conclusions (kết luận) and the tasks (nhiệm vụ) they become, with their reminders.

A task has an owner and a due day, a local date: it must be done by the end of that day. Its
reminders follow the cases' cadence (`bot.domain.reminders`): the configured working days before
the due day, the morning of the due day itself, and an escalation to the chairs the morning
after. The rules for rows that fell due while the bot was down are the cases' `catch_up`, with
"done" in place of "no longer open".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.reminders import (
    PlannedReminder,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    catch_up,
    plan_reminders,
)
from bot.domain.working_days import WorkingCalendar, end_of_day, local_moment

# "20/12/2026", also "20-12-2026" or "20.12.2026"; a two-digit year means 20xx.
_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")


@dataclass(frozen=True)
class Conclusion:
    """One conclusion of a meeting; a task when it has an owner and a due day."""

    id: int
    occurrence_id: int
    text: str
    created_by: str
    created_at: datetime
    owner_member_id: str | None = None
    due_on: date | None = None
    case_id: int | None = None
    done_at: datetime | None = None
    relayed_at: datetime | None = None

    @property
    def is_task(self) -> bool:
        """Whether the conclusion was given to someone to do."""
        return self.owner_member_id is not None and self.due_on is not None


@dataclass(frozen=True)
class TaskReminder:
    """A stored task reminder that has not been sent or skipped yet."""

    id: int
    conclusion_id: int
    kind: ReminderKind
    days_before: int | None
    due_at: datetime


@dataclass(frozen=True)
class TaskCatchUp:
    """What to do with one task's due reminders: send some, skip the rest (with a reason)."""

    send: list[TaskReminder] = field(default_factory=list)
    skip: list[tuple[TaskReminder, str]] = field(default_factory=list)


def parse_due_day(text: str, today: date) -> date | None:
    """A due day typed like "20/12/2026"; None unless it is a real date after `today`."""
    match = _DAY.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if found > today else None


def task_due_at(due_on: date, tz: ZoneInfo) -> datetime:
    """A task is overdue once its due day has ended, local time."""
    return end_of_day(due_on, tz)


def plan_task_reminders(
    due_on: date,
    now: datetime,
    policy: ReminderPolicy,
    *,
    tz: ZoneInfo,
    calendar: WorkingCalendar,
) -> list[PlannedReminder]:
    """The reminders of a task due on `due_on` still to come after `now`, in time order.

    The cases' plan without progress notes (a task has no citizen waiting), plus one on the
    morning of the due day, counted as 0 days before.
    """
    no_notes = replace(policy, progress_every_days=0)
    planned = plan_reminders(task_due_at(due_on, tz), now, no_notes, tz=tz, calendar=calendar)
    on_the_day = local_moment(due_on, policy.at_hour, tz)
    if on_the_day > now:
        planned.append(PlannedReminder(ReminderKind.BEFORE, on_the_day, 0))
    return sorted(planned, key=lambda p: p.due_at)


def task_catch_up(
    due: Sequence[TaskReminder], *, done: bool, due_on: date, tz: ZoneInfo, now: datetime
) -> TaskCatchUp:
    """Which of one task's due reminders to send now: the cases' rule, see the module docstring."""
    by_id = {row.id: row for row in due}
    as_case_rows = [Reminder(r.id, r.conclusion_id, r.kind, r.days_before, r.due_at) for r in due]
    decision = catch_up(
        as_case_rows, case_open=not done, case_due_at=task_due_at(due_on, tz), now=now
    )
    return TaskCatchUp(
        send=[by_id[r.id] for r in decision.send],
        skip=[(by_id[r.id], reason) for r, reason in decision.skip],
    )
