"""Meeting conclusions and tasks as stored: the columns the briefing pack reads, a task given
once and done once, and each task reminder planned once and finished once."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.reminders import PlannedReminder, ReminderKind
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
PACK_COLUMNS = {
    "id": ("INTEGER", 0),
    "occurrence_id": ("INTEGER", 1),
    "text": ("TEXT", 1),
    "owner_member_id": ("TEXT", 0),
    "due_on": ("TEXT", 0),
    "case_id": ("INTEGER", 0),
    "done_at": ("TEXT", 0),
    "created_at": ("TEXT", 1),
}


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await Database.open(tmp_path / "minutes.sqlite3")
    try:
        yield SqliteStorage(db)
    finally:
        await db.close()


async def a_conclusion(storage: SqliteStorage) -> int:
    async with storage.transaction() as uow:
        occurrence = await uow.meetings.add_occurrence("giao-ban", T0, None)
        return (await uow.minutes.add_conclusion(occurrence, "Kiểm tra mốc giới.", "hoa", T0)).id


async def test_the_conclusions_table_has_the_columns_the_briefing_pack_reads(
    tmp_path: Path, storage: SqliteStorage
) -> None:
    with sqlite3.connect(tmp_path / "minutes.sqlite3") as conn:
        info = conn.execute("PRAGMA table_info(meeting_conclusions)").fetchall()
    found = {name: (kind, notnull) for _cid, name, kind, notnull, _default, _pk in info}
    assert {name: found.get(name) for name in PACK_COLUMNS} == PACK_COLUMNS


async def test_a_task_is_given_once_and_done_once(storage: SqliteStorage) -> None:
    conclusion = await a_conclusion(storage)
    async with storage.transaction() as uow:
        assert await uow.minutes.make_task(conclusion, "minh", date(2026, 12, 20))
        assert not await uow.minutes.make_task(conclusion, "lan", date(2026, 12, 21))
        [task] = await uow.minutes.open_tasks("minh", 10)
        assert (task.owner_member_id, task.due_on) == ("minh", date(2026, 12, 20))
        assert await uow.minutes.open_tasks("lan", 10) == []
        assert await uow.minutes.mark_done(conclusion, "minh", T0)
        assert not await uow.minutes.mark_done(conclusion, "hung", T0)
        assert await uow.minutes.open_tasks(None, 10) == []


async def test_task_reminders_are_planned_once_and_finished_once(storage: SqliteStorage) -> None:
    conclusion = await a_conclusion(storage)
    rows = [
        PlannedReminder(ReminderKind.BEFORE, T0 + timedelta(hours=1), 1),
        PlannedReminder(ReminderKind.OVERDUE, T0 + timedelta(hours=5)),
    ]
    async with storage.transaction() as uow:
        assert await uow.task_reminders.schedule(conclusion, rows) == 2
        assert await uow.task_reminders.schedule(conclusion, rows) == 0
        [due] = await uow.task_reminders.due(T0 + timedelta(hours=2), 10)
        assert (due.kind, due.days_before) == (ReminderKind.BEFORE, 1)
        assert await uow.task_reminders.mark_sent(due.id, T0)
        assert not await uow.task_reminders.mark_skipped(due.id, T0)
        assert await uow.task_reminders.cancel_open(conclusion, T0) == 1
        assert await uow.task_reminders.due(T0 + timedelta(days=1), 10) == []
