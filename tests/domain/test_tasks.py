"""Tasks from meeting conclusions: the due day typed, the reminders planned, the catch-up rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.reminders import ReminderKind, ReminderPolicy
from bot.domain.tasks import (
    TaskReminder,
    parse_due_day,
    plan_task_reminders,
    task_catch_up,
    task_due_at,
)
from bot.domain.working_days import WorkingCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar({date(2026, 12, 24): "Nghỉ địa phương"})
POLICY = ReminderPolicy(before_working_days=(3, 1), at_hour=8, escalate=True)
TODAY = date(2026, 12, 1)  # a Tuesday


def local(day: date, hour: int) -> datetime:
    """`hour`:00 on `day` in the commune, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/12/2026", date(2026, 12, 20)),
        (" 2/1/2027 ", date(2027, 1, 2)),
        ("20-12-2026", date(2026, 12, 20)),
        ("20.12.26", date(2026, 12, 20)),
        ("02/12/2026", date(2026, 12, 2)),  # tomorrow
    ],
)
def test_a_due_day_is_read_as_officials_write_it(text: str, expected: date) -> None:
    assert parse_due_day(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["01/12/2026", "30/11/2026", "31/02/2027", "12/31/2026", "tuần sau", "", "20/12"]
)
def test_a_due_day_must_be_a_real_day_after_today(text: str) -> None:
    assert parse_due_day(text, TODAY) is None


def test_a_task_is_reminded_like_a_case_and_on_its_due_day() -> None:
    due_on = date(2026, 12, 28)  # a Monday; Thursday 24 is a local day off
    planned = plan_task_reminders(due_on, local(TODAY, 10), POLICY, tz=TZ, calendar=CALENDAR)
    assert [(p.kind, p.days_before, p.due_at) for p in planned] == [
        (ReminderKind.BEFORE, 3, local(date(2026, 12, 22), 8)),  # 24 and the weekend skipped
        (ReminderKind.BEFORE, 1, local(date(2026, 12, 25), 8)),
        (ReminderKind.BEFORE, 0, local(date(2026, 12, 28), 8)),
        (ReminderKind.OVERDUE, None, local(date(2026, 12, 29), 8)),
    ]


def test_reminders_already_past_are_not_planned_and_escalation_can_be_off() -> None:
    due_on = date(2026, 12, 2)
    quiet = ReminderPolicy(before_working_days=(3, 1), at_hour=8, escalate=False)
    planned = plan_task_reminders(due_on, local(TODAY, 10), quiet, tz=TZ, calendar=CALENDAR)
    assert [(p.kind, p.days_before) for p in planned] == [(ReminderKind.BEFORE, 0)]


def test_a_task_is_overdue_once_its_due_day_has_ended() -> None:
    end = task_due_at(date(2026, 12, 28), TZ)
    assert end < local(date(2026, 12, 29), 0) + timedelta(microseconds=1)
    assert end > local(date(2026, 12, 28), 23)


def rows(*specs: tuple[ReminderKind, int | None, datetime]) -> list[TaskReminder]:
    return [TaskReminder(i, 7, kind, days, at) for i, (kind, days, at) in enumerate(specs, 1)]


def test_after_downtime_only_the_latest_reminder_goes_and_a_done_task_gets_none() -> None:
    due = rows(
        (ReminderKind.BEFORE, 3, local(date(2026, 12, 22), 8)),
        (ReminderKind.BEFORE, 1, local(date(2026, 12, 25), 8)),
    )
    now = local(date(2026, 12, 25), 9)
    decision = task_catch_up(due, done=False, due_on=date(2026, 12, 28), tz=TZ, now=now)
    assert [r.days_before for r in decision.send] == [1]
    assert [(r.days_before, why) for r, why in decision.skip] == [(3, "superseded")]
    done = task_catch_up(due, done=True, due_on=date(2026, 12, 28), tz=TZ, now=now)
    assert done.send == [] and len(done.skip) == 2


def test_once_overdue_the_escalation_replaces_the_late_reminders() -> None:
    due = rows(
        (ReminderKind.BEFORE, 0, local(date(2026, 12, 28), 8)),
        (ReminderKind.OVERDUE, None, local(date(2026, 12, 29), 8)),
    )
    now = local(date(2026, 12, 30), 8)
    decision = task_catch_up(due, done=False, due_on=date(2026, 12, 28), tz=TZ, now=now)
    assert [r.kind for r in decision.send] == [ReminderKind.OVERDUE]
    assert [why for _r, why in decision.skip] == ["deadline_passed"]
