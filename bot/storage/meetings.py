"""Meeting occurrences, their attendees' reminders and answers, inside one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.meetings import AbsenceReason, Answer, MeetingReminder, Occurrence, Rsvp
from bot.storage.database import Tx, from_db_time, to_db_time

_PENDING = "r.sent_at IS NULL AND r.skipped_at IS NULL"
_OCCURRENCE = "SELECT id, meeting_id, starts_at, holiday, cancelled_at FROM meeting_occurrences"


class SqliteMeetingRepo:
    """Meetings inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def add_occurrence(
        self, meeting_id: str, starts_at: datetime, holiday: str | None
    ) -> int:
        """The occurrence of `meeting_id` at `starts_at`, stored if new; returns its id."""
        stamp = to_db_time(starts_at)
        await self._tx.execute(
            "INSERT INTO meeting_occurrences (meeting_id, starts_at, holiday) VALUES (?, ?, ?)"
            " ON CONFLICT (meeting_id, starts_at) DO NOTHING",
            (meeting_id, stamp, holiday),
        )
        row = await self._tx.fetch_one(
            "SELECT id FROM meeting_occurrences WHERE meeting_id = ? AND starts_at = ?",
            (meeting_id, stamp),
        )
        assert row is not None  # inserted just above, or already there
        return int(row["id"])

    async def plan_reminders(
        self, occurrence_id: int, member_ids: Sequence[str], due: Sequence[datetime]
    ) -> int:
        """Each member's reminder at each time, stored once; returns how many are new."""
        added = 0
        for member_id in member_ids:
            for moment in due:
                added += await self._tx.execute(
                    "INSERT INTO meeting_reminders (occurrence_id, member_id, due_at)"
                    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (occurrence_id, member_id, to_db_time(moment)),
                )
        return added

    async def due(self, now: datetime, limit: int) -> list[MeetingReminder]:
        """Pending reminders due by `now`: every due one of at most `limit` occurrences.

        All of an occurrence's due rows come together, so the catch-up rule sees an attendee's
        missed reminders at once even after a long downtime. Cancelled occurrences are left out.
        """
        stamp = to_db_time(now)
        rows = await self._tx.fetch(
            "SELECT r.id, r.occurrence_id, r.member_id, r.due_at, o.starts_at"
            " FROM meeting_reminders r JOIN meeting_occurrences o ON o.id = r.occurrence_id"
            f" WHERE {_PENDING} AND r.due_at <= ? AND o.cancelled_at IS NULL"
            " AND r.occurrence_id IN ("
            "  SELECT r.occurrence_id FROM meeting_reminders r"
            "   JOIN meeting_occurrences o ON o.id = r.occurrence_id"
            f"  WHERE {_PENDING} AND r.due_at <= ? AND o.cancelled_at IS NULL"
            "   GROUP BY r.occurrence_id ORDER BY MIN(r.due_at), r.occurrence_id LIMIT ?)"
            " ORDER BY r.due_at, r.id",
            (stamp, stamp, limit),
        )
        return [_reminder(row) for row in rows]

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder was queued; False if it was no longer pending."""
        return await self._finish(reminder_id, "sent_at", now)

    async def mark_skipped(self, reminder_id: int, now: datetime) -> bool:
        """Record that the reminder will not be sent; False if it was no longer pending."""
        return await self._finish(reminder_id, "skipped_at", now)

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        """One occurrence, or None."""
        row = await self._tx.fetch_one(f"{_OCCURRENCE} WHERE id = ?", (occurrence_id,))
        return _occurrence(row) if row else None

    async def upcoming(self, now: datetime, limit: int) -> list[Occurrence]:
        """Occurrences not yet started nor cancelled, soonest first."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE starts_at > ? AND cancelled_at IS NULL"
            " ORDER BY starts_at, id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [_occurrence(row) for row in rows]

    async def holidays_to_flag(self, now: datetime) -> list[Occurrence]:
        """Upcoming occurrences on a holiday whose secretary has not been told yet."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE holiday IS NOT NULL AND holiday_flagged_at IS NULL"
            " AND cancelled_at IS NULL AND starts_at > ? ORDER BY starts_at, id",
            (to_db_time(now),),
        )
        return [_occurrence(row) for row in rows]

    async def mark_holiday_flagged(self, occurrence_id: int, now: datetime) -> bool:
        """Record that the secretary was told; False if they already were."""
        changed = await self._tx.execute(
            "UPDATE meeting_occurrences SET holiday_flagged_at = ?"
            " WHERE id = ? AND holiday_flagged_at IS NULL",
            (to_db_time(now), occurrence_id),
        )
        return changed > 0

    async def answer(
        self,
        occurrence_id: int,
        member_id: str,
        answer: Answer,
        reason: AbsenceReason | None,
        now: datetime,
    ) -> None:
        """Store a member's answer, replacing an earlier one."""
        await self._tx.execute(
            "INSERT INTO meeting_rsvps (occurrence_id, member_id, answer, reason, answered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (occurrence_id, member_id) DO UPDATE"
            " SET answer = excluded.answer, reason = excluded.reason,"
            " answered_at = excluded.answered_at",
            (occurrence_id, member_id, answer.value, reason, to_db_time(now)),
        )

    async def answers(self, occurrence_id: int) -> list[Rsvp]:
        """Every answer to one occurrence, in the order they came."""
        rows = await self._tx.fetch(
            "SELECT member_id, answer, reason, answered_at FROM meeting_rsvps"
            " WHERE occurrence_id = ? ORDER BY answered_at, member_id",
            (occurrence_id,),
        )
        return [
            Rsvp(
                member_id=row["member_id"],
                answer=Answer(row["answer"]),
                reason=None if row["reason"] is None else AbsenceReason(row["reason"]),
                at=from_db_time(row["answered_at"]),
            )
            for row in rows
        ]

    async def _finish(self, reminder_id: int, column: str, now: datetime) -> bool:
        changed = await self._tx.execute(
            f"UPDATE meeting_reminders SET {column} = ?"
            " WHERE id = ? AND sent_at IS NULL AND skipped_at IS NULL",
            (to_db_time(now), reminder_id),
        )
        return changed > 0


def _occurrence(row: sqlite3.Row) -> Occurrence:
    return Occurrence(
        id=int(row["id"]),
        meeting_id=row["meeting_id"],
        starts_at=from_db_time(row["starts_at"]),
        holiday=row["holiday"],
        cancelled=row["cancelled_at"] is not None,
    )


def _reminder(row: sqlite3.Row) -> MeetingReminder:
    return MeetingReminder(
        id=int(row["id"]),
        occurrence_id=int(row["occurrence_id"]),
        member_id=row["member_id"],
        due_at=from_db_time(row["due_at"]),
        starts_at=from_db_time(row["starts_at"]),
    )
