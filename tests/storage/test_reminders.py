"""The reminder rows: planned once, read whole per case, finished exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.model import CaseKind, ChatRef, Sender
from bot.domain.ports import NewCase
from bot.domain.reminders import PlannedReminder, ReminderKind
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage

T0 = datetime(2027, 2, 1, 1, 0, tzinfo=UTC)
BEFORE, OVERDUE = ReminderKind.BEFORE, ReminderKind.OVERDUE


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await Database.open(tmp_path / "reminders.sqlite3")
    try:
        yield SqliteStorage(db)
    finally:
        await db.close()


async def new_case(storage: SqliteStorage, n: int) -> int:
    async with storage.transaction() as uow:
        citizen = await uow.citizens.touch(Sender(ChatRef("telegram", "9"), "9", "X"), T0)
        case = await uow.cases.create(
            NewCase(
                f"MT-270201-{n:04d}-AA", citizen.id, "dat-dai", None, CaseKind.SUGGESTION,
                True, None, None, T0, T0 + timedelta(days=10),
            )
        )  # fmt: skip
        return case.id


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


async def test_planning_the_same_reminder_twice_stores_it_once(storage: SqliteStorage) -> None:
    case_id = await new_case(storage, 1)
    rows = [PlannedReminder(BEFORE, at(1), 3), PlannedReminder(OVERDUE, at(5))]
    async with storage.transaction() as uow:
        assert await uow.reminders.schedule(case_id, rows) == 2
        assert await uow.reminders.schedule(case_id, rows) == 0
        assert await uow.reminders.pending_count() == 2


async def test_a_sent_reminder_stays_sent_and_a_cancelled_one_can_be_planned_again(
    storage: SqliteStorage,
) -> None:
    case_id = await new_case(storage, 1)
    rows = [PlannedReminder(BEFORE, at(1), 3), PlannedReminder(OVERDUE, at(5))]
    async with storage.transaction() as uow:
        await uow.reminders.schedule(case_id, rows)
        (first,) = await uow.reminders.due(at(2), 10)
        assert await uow.reminders.mark_sent(first.id, at(2))
        assert not await uow.reminders.mark_skipped(first.id, at(2))  # finished once
        assert await uow.reminders.cancel_open(case_id, at(2)) == 1
        assert await uow.reminders.schedule(case_id, rows) == 1  # the overdue one, again
        assert [r.kind for r in await uow.reminders.due(at(6), 10)] == [OVERDUE]


async def test_due_returns_every_due_row_of_the_cases_waiting_longest(
    storage: SqliteStorage,
) -> None:
    late, early, later = [await new_case(storage, n) for n in (1, 2, 3)]
    async with storage.transaction() as uow:
        await uow.reminders.schedule(late, [PlannedReminder(BEFORE, at(3), 1)])
        await uow.reminders.schedule(
            early, [PlannedReminder(BEFORE, at(1), 3), PlannedReminder(BEFORE, at(4), 1)]
        )
        await uow.reminders.schedule(later, [PlannedReminder(BEFORE, at(9), 1)])
        due = await uow.reminders.due(at(5), 1)
        assert [(r.case_id, r.days_before) for r in due] == [(early, 3), (early, 1)]
        due = await uow.reminders.due(at(5), 10)
        assert sorted({r.case_id for r in due}) == sorted([late, early])
