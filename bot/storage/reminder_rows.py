"""Reminder rows kept exactly once: read when due, then marked sent or skipped, never both.

Deadline reminders (`case_reminders`, per case) and meeting task reminders (`task_reminders`,
per conclusion) share this shape: a table with `id`, an owner column, `kind`, `days_before`,
`due_at`, `sent_at` and `skipped_at`. Each repository names its table and owner column.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.storage.database import Tx, to_db_time

PENDING = "sent_at IS NULL AND skipped_at IS NULL"


class ReminderRows:
    """The shared queries of one reminder table, inside one transaction."""

    def __init__(self, tx: Tx, table: str, owner: str) -> None:
        self._tx = tx
        self._table = table
        self._owner = owner

    async def due_rows(self, now: datetime, limit: int) -> list[sqlite3.Row]:
        """Pending rows due by `now`: every due one of at most `limit` owners.

        The owners whose oldest due row waited longest come first. All of an owner's due rows
        come together, so the catch-up rule sees them at once even after a long downtime.
        """
        stamp = to_db_time(now)
        table, owner = self._table, self._owner
        return await self._tx.fetch(
            f"SELECT id, {owner} AS owner_id, kind, days_before, due_at FROM {table}"
            f" WHERE {PENDING} AND due_at <= ? AND {owner} IN ("
            f"  SELECT {owner} FROM {table} WHERE {PENDING} AND due_at <= ?"
            f"   GROUP BY {owner} ORDER BY MIN(due_at), {owner} LIMIT ?)"
            f" ORDER BY {owner}, due_at, id",
            (stamp, stamp, limit),
        )

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder's messages were queued; False if it was no longer pending."""
        return await self._finish(reminder_id, "sent_at", now)

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        return await self._finish(reminder_id, "skipped_at", now)

    async def cancel_open(self, owner_id: int, now: datetime) -> int:
        """Skip every pending reminder of one owner; returns how many."""
        return await self._tx.execute(
            f"UPDATE {self._table} SET skipped_at = ? WHERE {self._owner} = ? AND {PENDING}",
            (to_db_time(now), owner_id),
        )

    async def pending_count(self) -> int:
        """How many reminders wait to fall due or to be swept."""
        row = await self._tx.fetch_one(f"SELECT COUNT(*) AS n FROM {self._table} WHERE {PENDING}")
        return int(row["n"]) if row else 0

    async def _finish(self, reminder_id: int, column: str, now: datetime) -> bool:
        changed = await self._tx.execute(
            f"UPDATE {self._table} SET {column} = ? WHERE id = ? AND {PENDING}",
            (to_db_time(now), reminder_id),
        )
        return changed > 0
