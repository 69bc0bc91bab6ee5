"""Task reminder rows: planned, read when due, and marked sent or skipped exactly once."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.reminders import PlannedReminder, ReminderKind
from bot.domain.tasks import TaskReminder
from bot.storage.database import Tx, from_db_time, to_db_time
from bot.storage.reminder_rows import ReminderRows


class SqliteTaskReminderRepo:
    """Task reminders inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._rows = ReminderRows(tx, "task_reminders", "conclusion_id")

    async def schedule(self, conclusion_id: int, rows: Sequence[PlannedReminder]) -> int:
        """Store pending reminders of a task, each once; returns how many are new."""
        added = 0
        for row in rows:
            added += await self._tx.execute(
                "INSERT INTO task_reminders (conclusion_id, kind, days_before, due_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (conclusion_id, kind, due_at) DO NOTHING",
                (conclusion_id, row.kind.value, row.days_before, to_db_time(row.due_at)),
            )
        return added

    async def due(self, now: datetime, limit: int) -> list[TaskReminder]:
        """Pending reminders due by `now`: every due one of at most `limit` tasks, all of a task's
        due rows together so the catch-up rule sees them at once."""
        return [_reminder(row) for row in await self._rows.due_rows(now, limit)]

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder's messages were queued; False if it was no longer pending."""
        return await self._rows.mark_sent(reminder_id, now)

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        return await self._rows.mark_skipped(reminder_id, now)

    async def cancel_open(self, conclusion_id: int, now: datetime) -> int:
        """Skip every pending reminder of a task (it was done); returns how many."""
        return await self._rows.cancel_open(conclusion_id, now)


def _reminder(row: sqlite3.Row) -> TaskReminder:
    days = row["days_before"]
    return TaskReminder(
        id=int(row["id"]),
        conclusion_id=int(row["owner_id"]),
        kind=ReminderKind(row["kind"]),
        days_before=None if days is None else int(days),
        due_at=from_db_time(row["due_at"]),
    )
