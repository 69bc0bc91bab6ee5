"""Deadline reminder rows: planned, read when due, and marked sent or skipped exactly once."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.reminders import PlannedReminder, Reminder, ReminderKind
from bot.storage.database import Tx, from_db_time, to_db_time

_PENDING = "sent_at IS NULL AND skipped_at IS NULL"


class SqliteReminderRepo:
    """Reminders inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def schedule(self, case_id: int, rows: Sequence[PlannedReminder]) -> int:
        """Store pending reminders; returns how many are newly pending.

        A reminder identical to a stored one (same case, kind and time) is not added twice:
        one already sent stays sent, one skipped (say, cancelled before a reschedule) becomes
        pending again. So planning the same reminders twice is harmless.
        """
        added = 0
        for row in rows:
            added += await self._tx.execute(
                "INSERT INTO case_reminders (case_id, kind, days_before, due_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (case_id, kind, due_at) DO UPDATE"
                " SET skipped_at = NULL, days_before = excluded.days_before"
                " WHERE sent_at IS NULL AND skipped_at IS NOT NULL",
                (case_id, row.kind.value, row.days_before, to_db_time(row.due_at)),
            )
        return added

    async def due(self, now: datetime, limit: int) -> list[Reminder]:
        """Pending reminders due by `now`: every due one of at most `limit` cases.

        The cases whose oldest due reminder waited longest come first. All of a case's due rows
        come together, so the catch-up rule sees them at once even after a long downtime.
        """
        stamp = to_db_time(now)
        rows = await self._tx.fetch(
            "SELECT id, case_id, kind, days_before, due_at FROM case_reminders"
            f" WHERE {_PENDING} AND due_at <= ? AND case_id IN ("
            f"  SELECT case_id FROM case_reminders WHERE {_PENDING} AND due_at <= ?"
            "   GROUP BY case_id ORDER BY MIN(due_at), case_id LIMIT ?)"
            " ORDER BY case_id, due_at, id",
            (stamp, stamp, limit),
        )
        return [_reminder(row) for row in rows]

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder's messages were queued; False if it was no longer pending."""
        return await self._finish(reminder_id, "sent_at", now)

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        return await self._finish(reminder_id, "skipped_at", now)

    async def cancel_open(self, case_id: int, now: datetime) -> int:
        """Skip every pending reminder of a case (before a reschedule); returns how many."""
        return await self._tx.execute(
            f"UPDATE case_reminders SET skipped_at = ? WHERE case_id = ? AND {_PENDING}",
            (to_db_time(now), case_id),
        )

    async def pending_count(self) -> int:
        """How many reminders wait to fall due or to be swept."""
        row = await self._tx.fetch_one(f"SELECT COUNT(*) AS n FROM case_reminders WHERE {_PENDING}")
        return int(row["n"]) if row else 0

    async def _finish(self, reminder_id: int, column: str, now: datetime) -> bool:
        changed = await self._tx.execute(
            f"UPDATE case_reminders SET {column} = ? WHERE id = ? AND {_PENDING}",
            (to_db_time(now), reminder_id),
        )
        return changed > 0


def _reminder(row: sqlite3.Row) -> Reminder:
    days = row["days_before"]
    return Reminder(
        id=int(row["id"]),
        case_id=int(row["case_id"]),
        kind=ReminderKind(row["kind"]),
        days_before=None if days is None else int(days),
        due_at=from_db_time(row["due_at"]),
    )
