"""Deadline reminder rows: planned, read when due, and marked sent or skipped exactly once."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.reminders import PlannedReminder, Reminder, ReminderKind
from bot.storage.database import Tx, from_db_time, to_db_time
from bot.storage.reminder_rows import ReminderRows


class SqliteReminderRepo:
    """Reminders inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._rows = ReminderRows(tx, "case_reminders", "case_id")

    async def schedule(self, case_id: int, rows: Sequence[PlannedReminder]) -> int:
        """Store pending reminders; returns how many are newly pending.

        A reminder identical to a stored one (same case, kind and time) is not added twice:
        one already sent stays sent, one skipped (say, cancelled before a reschedule) becomes
        pending again. So planning the same reminders twice is harmless.
        """
        return await self._tx.execute_many(
            "INSERT INTO case_reminders (case_id, kind, days_before, due_at)"
            " VALUES (?, ?, ?, ?)"
            " ON CONFLICT (case_id, kind, due_at) DO UPDATE"
            " SET skipped_at = NULL, days_before = excluded.days_before"
            " WHERE sent_at IS NULL AND skipped_at IS NOT NULL",
            [(case_id, row.kind.value, row.days_before, to_db_time(row.due_at)) for row in rows],
        )

    async def due(self, now: datetime, limit: int) -> list[Reminder]:
        """Pending reminders due by `now`: every due one of at most `limit` cases, the case whose
        oldest due reminder waited longest first (see `ReminderRows.due_rows`)."""
        return [_reminder(row) for row in await self._rows.due_rows(now, limit)]

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder's messages were queued; False if it was no longer pending."""
        return await self._rows.mark_sent(reminder_id, now)

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        return await self._rows.mark_skipped(reminder_id, now)

    async def cancel_open(self, case_id: int, now: datetime) -> int:
        """Skip every pending reminder of a case (before a reschedule); returns how many."""
        return await self._rows.cancel_open(case_id, now)

    async def pending_count(self) -> int:
        """How many reminders wait to fall due or to be swept."""
        return await self._rows.pending_count()


def _reminder(row: sqlite3.Row) -> Reminder:
    days = row["days_before"]
    return Reminder(
        id=int(row["id"]),
        case_id=int(row["owner_id"]),
        kind=ReminderKind(row["kind"]),
        days_before=None if days is None else int(days),
        due_at=from_db_time(row["due_at"]),
    )
