"""Meeting minutes inside one transaction: past occurrences, actual attendance, conclusions."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.domain.meetings import Occurrence
from bot.domain.tasks import Conclusion
from bot.storage.database import Tx, from_db_time, optional_time, to_db_time

_CONCLUSION = (
    "SELECT id, occurrence_id, text, owner_member_id, due_on, case_id, done_at, relayed_at,"
    " created_by, created_at FROM meeting_conclusions"
)
_OPEN_TASK = "owner_member_id IS NOT NULL AND due_on IS NOT NULL AND done_at IS NULL"


class SqliteMinutesRepo:
    """Minutes inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def past_occurrences(self, now: datetime, limit: int) -> list[Occurrence]:
        """Occurrences that have started and were not cancelled, latest first."""
        rows = await self._tx.fetch(
            "SELECT id, meeting_id, starts_at, holiday, cancelled_at FROM meeting_occurrences"
            " WHERE starts_at <= ? AND cancelled_at IS NULL ORDER BY starts_at DESC, id DESC"
            " LIMIT ?",
            (to_db_time(now), limit),
        )
        return [
            Occurrence(
                id=int(row["id"]),
                meeting_id=row["meeting_id"],
                starts_at=from_db_time(row["starts_at"]),
                holiday=row["holiday"],
            )
            for row in rows
        ]

    async def attendance(self, occurrence_id: int) -> dict[str, bool]:
        """Who was recorded present (True) or absent (False) at an occurrence."""
        rows = await self._tx.fetch(
            "SELECT member_id, attended FROM meeting_attendance WHERE occurrence_id = ?",
            (occurrence_id,),
        )
        return {row["member_id"]: bool(row["attended"]) for row in rows}

    async def record_attendance(
        self, occurrence_id: int, present: dict[str, bool], by: str, now: datetime
    ) -> None:
        """Record (or correct) whether each member attended."""
        await self._tx.execute_many(
            "INSERT INTO meeting_attendance"
            " (occurrence_id, member_id, attended, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (occurrence_id, member_id) DO UPDATE SET attended = excluded.attended,"
            " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            [
                (occurrence_id, member_id, int(here), by, to_db_time(now))
                for member_id, here in present.items()
            ],
        )

    async def add_conclusion(
        self, occurrence_id: int, text: str, created_by: str, now: datetime
    ) -> Conclusion:
        """Store a new conclusion of an occurrence."""
        new_id = await self._tx.insert(
            "INSERT INTO meeting_conclusions (occurrence_id, text, created_by, created_at)"
            " VALUES (?, ?, ?, ?)",
            (occurrence_id, text, created_by, to_db_time(now)),
        )
        return Conclusion(new_id, occurrence_id, text, created_by, now)

    async def conclusion(self, conclusion_id: int) -> Conclusion | None:
        """One conclusion, or None."""
        row = await self._tx.fetch_one(f"{_CONCLUSION} WHERE id = ?", (conclusion_id,))
        return _conclusion(row) if row else None

    async def conclusions(self, occurrence_id: int) -> list[Conclusion]:
        """An occurrence's conclusions in the order they were recorded."""
        rows = await self._tx.fetch(
            f"{_CONCLUSION} WHERE occurrence_id = ? ORDER BY id", (occurrence_id,)
        )
        return [_conclusion(row) for row in rows]

    async def make_task(self, conclusion_id: int, owner_id: str, due_on: date) -> bool:
        """Give a conclusion an owner and a due day; False if it is already a task."""
        changed = await self._tx.execute(
            "UPDATE meeting_conclusions SET owner_member_id = ?, due_on = ?"
            " WHERE id = ? AND owner_member_id IS NULL",
            (owner_id, due_on.isoformat(), conclusion_id),
        )
        return changed > 0

    async def link_case(self, conclusion_id: int, case_id: int) -> None:
        """Say which case a conclusion is about."""
        await self._tx.execute(
            "UPDATE meeting_conclusions SET case_id = ? WHERE id = ?", (case_id, conclusion_id)
        )

    async def mark_relayed(self, conclusion_id: int, now: datetime) -> bool:
        """Record that the conclusion reached its case's citizen; False if it already had."""
        changed = await self._tx.execute(
            "UPDATE meeting_conclusions SET relayed_at = ? WHERE id = ? AND relayed_at IS NULL",
            (to_db_time(now), conclusion_id),
        )
        return changed > 0

    async def mark_done(self, conclusion_id: int, by: str, now: datetime) -> bool:
        """Record that a task was done; False if it already was."""
        changed = await self._tx.execute(
            "UPDATE meeting_conclusions SET done_at = ?, done_by = ?"
            f" WHERE id = ? AND {_OPEN_TASK}",
            (to_db_time(now), by, conclusion_id),
        )
        return changed > 0

    async def open_tasks(self, owner_id: str | None, limit: int) -> list[Conclusion]:
        """Tasks not done yet (of one owner, or everyone's), earliest due day first."""
        where, params = _OPEN_TASK, tuple[str, ...]()
        if owner_id is not None:
            where, params = f"{_OPEN_TASK} AND owner_member_id = ?", (owner_id,)
        rows = await self._tx.fetch(
            f"{_CONCLUSION} WHERE {where} ORDER BY due_on, id LIMIT ?", (*params, limit)
        )
        return [_conclusion(row) for row in rows]


def _conclusion(row: sqlite3.Row) -> Conclusion:
    return Conclusion(
        id=int(row["id"]),
        occurrence_id=int(row["occurrence_id"]),
        text=row["text"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        owner_member_id=row["owner_member_id"],
        due_on=None if row["due_on"] is None else date.fromisoformat(row["due_on"]),
        case_id=None if row["case_id"] is None else int(row["case_id"]),
        done_at=optional_time(row["done_at"]),
        relayed_at=optional_time(row["relayed_at"]),
    )
