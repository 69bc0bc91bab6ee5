"""Meeting occurrences, their attendees' reminders and answers, inside one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.meetings import (
    CHAT_PREFIX,
    AbsenceReason,
    Answer,
    ChatMeeting,
    MeetingReminder,
    Occurrence,
    Rsvp,
)
from bot.storage.database import Tx, from_db_time, to_db_time

_PENDING = "r.sent_at IS NULL AND r.skipped_at IS NULL"
# A moved occurrence starts at moved_to; starts_at stays its planned start (the recurrence's key).
_START = "COALESCE(moved_to, starts_at)"
_LIVE = "cancelled_at IS NULL AND retired_at IS NULL"
_OCCURRENCE = (
    f"SELECT id, meeting_id, {_START} AS start, moved_to, holiday, cancelled_at, retired_at"
    " FROM meeting_occurrences"
)


class SqliteMeetingRepo:
    """Meetings inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def add_occurrence(
        self, meeting_id: str, starts_at: datetime, holiday: str | None
    ) -> int:
        """The occurrence of `meeting_id` at `starts_at`, stored if new (back if it had been
        retired); returns its id."""
        stamp = to_db_time(starts_at)
        await self._tx.execute(
            "INSERT INTO meeting_occurrences (meeting_id, starts_at, holiday) VALUES (?, ?, ?)"
            " ON CONFLICT (meeting_id, starts_at) DO UPDATE SET retired_at = NULL",
            (meeting_id, stamp, holiday),
        )
        row = await self._tx.fetch_one(
            "SELECT id FROM meeting_occurrences WHERE meeting_id = ? AND starts_at = ?",
            (meeting_id, stamp),
        )
        assert row is not None  # inserted just above, or already there
        return int(row["id"])

    async def plan_reminders(
        self,
        occurrence_id: int,
        member_ids: Sequence[str],
        due: Sequence[datetime],
        reopen_after: datetime | None = None,
    ) -> int:
        """Each member's reminder at each time, stored once; returns how many are new.

        With `reopen_after`, a row skipped (by a move, a cancellation or a retirement) that is
        still due after that instant becomes pending again: the occurrence needs it after all.
        """
        added = 0
        for member_id in member_ids:
            for moment in due:
                if reopen_after is None:
                    added += await self._tx.execute(
                        "INSERT INTO meeting_reminders (occurrence_id, member_id, due_at)"
                        " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        (occurrence_id, member_id, to_db_time(moment)),
                    )
                    continue
                added += await self._tx.execute(
                    "INSERT INTO meeting_reminders (occurrence_id, member_id, due_at)"
                    " VALUES (?, ?, ?) ON CONFLICT (occurrence_id, member_id, due_at)"
                    " DO UPDATE SET skipped_at = NULL WHERE meeting_reminders.sent_at IS NULL"
                    " AND meeting_reminders.skipped_at IS NOT NULL"
                    " AND meeting_reminders.due_at > ?",
                    (occurrence_id, member_id, to_db_time(moment), to_db_time(reopen_after)),
                )
        return added

    async def skip_pending(self, occurrence_id: int, now: datetime) -> int:
        """Skip every pending reminder of one occurrence; returns how many."""
        return await self._tx.execute(
            "UPDATE meeting_reminders SET skipped_at = ?"
            " WHERE occurrence_id = ? AND sent_at IS NULL AND skipped_at IS NULL",
            (to_db_time(now), occurrence_id),
        )

    async def move(self, occurrence_id: int, starts_at: datetime, holiday: str | None) -> bool:
        """Give a live occurrence a new start (and that day's holiday, to be flagged anew)."""
        changed = await self._tx.execute(
            "UPDATE meeting_occurrences SET moved_to = ?, holiday = ?, holiday_flagged_at = NULL"
            f" WHERE id = ? AND {_LIVE}",
            (to_db_time(starts_at), holiday, occurrence_id),
        )
        return changed > 0

    async def cancel(self, occurrence_id: int, now: datetime) -> bool:
        """Cancel a live occurrence; False if it already was cancelled or retired."""
        changed = await self._tx.execute(
            f"UPDATE meeting_occurrences SET cancelled_at = ? WHERE id = ? AND {_LIVE}",
            (to_db_time(now), occurrence_id),
        )
        return changed > 0

    async def retire(self, occurrence_id: int, now: datetime) -> bool:
        """Take an occurrence the config no longer schedules out of lists and reminders."""
        changed = await self._tx.execute(
            f"UPDATE meeting_occurrences SET retired_at = ? WHERE id = ? AND {_LIVE}",
            (to_db_time(now), occurrence_id),
        )
        return changed > 0

    async def configured_ahead(self, now: datetime) -> list[Occurrence]:
        """Live occurrences of configured (not chat-created) meetings that have not started."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE {_START} > ? AND {_LIVE} AND meeting_id NOT LIKE ?"
            f" ORDER BY {_START}, id",
            (to_db_time(now), f"{CHAT_PREFIX}%"),
        )
        return [_occurrence(row) for row in rows]

    async def plan_summary(self, occurrence_id: int, due_at: datetime, *, again: bool) -> None:
        """When the secretary's summary is due; `again` also re-arms one already sent (a move)."""
        done = "" if again else " AND summary_sent_at IS NULL AND summary_skipped_at IS NULL"
        await self._tx.execute(
            "UPDATE meeting_occurrences SET summary_due_at = ?, summary_sent_at = NULL,"
            f" summary_skipped_at = NULL WHERE id = ?{done}",
            (to_db_time(due_at), occurrence_id),
        )

    async def summaries_due(self, now: datetime) -> list[Occurrence]:
        """Live occurrences whose secretary's summary fell due and is neither sent nor skipped."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE summary_due_at <= ? AND summary_sent_at IS NULL"
            f" AND summary_skipped_at IS NULL AND {_LIVE} ORDER BY summary_due_at, id",
            (to_db_time(now),),
        )
        return [_occurrence(row) for row in rows]

    async def finish_summary(self, occurrence_id: int, now: datetime, *, sent: bool) -> bool:
        """Record the summary as sent (or skipped); False if it already was either."""
        column = "summary_sent_at" if sent else "summary_skipped_at"
        changed = await self._tx.execute(
            f"UPDATE meeting_occurrences SET {column} = ? WHERE id = ?"
            " AND summary_sent_at IS NULL AND summary_skipped_at IS NULL",
            (to_db_time(now), occurrence_id),
        )
        return changed > 0

    async def clear_answers(self, occurrence_id: int) -> int:
        """Forget every answer to an occurrence (it moved: everyone answers again)."""
        return await self._tx.execute(
            "DELETE FROM meeting_rsvps WHERE occurrence_id = ?", (occurrence_id,)
        )

    async def add_chat_meeting(
        self,
        title: str,
        place: str,
        agenda_url: str | None,
        attendees: Sequence[str],
        remind_before: Sequence[timedelta],
        created_by: str,
        now: datetime,
    ) -> int:
        """Store a meeting created from the chat; returns its number."""
        return await self._tx.insert(
            "INSERT INTO chat_meetings (title, place, agenda_url, attendees, remind_before,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                title,
                place,
                agenda_url,
                json.dumps(list(attendees)),
                json.dumps([int(offset.total_seconds()) for offset in remind_before]),
                created_by,
                to_db_time(now),
            ),
        )

    async def chat_meeting(self, number: int) -> ChatMeeting | None:
        """A meeting created from the chat, or None."""
        row = await self._tx.fetch_one(
            "SELECT id, title, place, agenda_url, attendees, remind_before FROM chat_meetings"
            " WHERE id = ?",
            (number,),
        )
        if row is None:
            return None
        return ChatMeeting(
            id=int(row["id"]),
            title=row["title"],
            place=row["place"],
            agenda_url=row["agenda_url"],
            attendees=tuple(str(m) for m in json.loads(row["attendees"])),
            remind_before=tuple(timedelta(seconds=s) for s in json.loads(row["remind_before"])),
        )

    async def due(self, now: datetime, limit: int) -> list[MeetingReminder]:
        """Pending reminders due by `now`: every due one of at most `limit` occurrences.

        All of an occurrence's due rows come together, so the catch-up rule sees an attendee's
        missed reminders at once even after a long downtime. Cancelled occurrences are left out.
        """
        stamp = to_db_time(now)
        rows = await self._tx.fetch(
            "SELECT r.id, r.occurrence_id, r.member_id, r.due_at,"
            " COALESCE(o.moved_to, o.starts_at) AS start"
            " FROM meeting_reminders r JOIN meeting_occurrences o ON o.id = r.occurrence_id"
            f" WHERE {_PENDING} AND r.due_at <= ? AND o.cancelled_at IS NULL"
            " AND o.retired_at IS NULL AND r.occurrence_id IN ("
            "  SELECT r.occurrence_id FROM meeting_reminders r"
            "   JOIN meeting_occurrences o ON o.id = r.occurrence_id"
            f"  WHERE {_PENDING} AND r.due_at <= ? AND o.cancelled_at IS NULL"
            "   AND o.retired_at IS NULL"
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
        """Occurrences not yet started nor cancelled (nor retired), soonest first."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE {_START} > ? AND {_LIVE} ORDER BY {_START}, id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [_occurrence(row) for row in rows]

    async def holidays_to_flag(self, now: datetime) -> list[Occurrence]:
        """Upcoming occurrences on a holiday whose secretary has not been told yet."""
        rows = await self._tx.fetch(
            f"{_OCCURRENCE} WHERE holiday IS NOT NULL AND holiday_flagged_at IS NULL"
            f" AND {_LIVE} AND {_START} > ? ORDER BY {_START}, id",
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
        note: str | None = None,
    ) -> None:
        """Store a member's answer (and their typed reason), replacing an earlier one."""
        await self._tx.execute(
            "INSERT INTO meeting_rsvps"
            " (occurrence_id, member_id, answer, reason, answered_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (occurrence_id, member_id) DO UPDATE"
            " SET answer = excluded.answer, reason = excluded.reason,"
            " answered_at = excluded.answered_at, note = excluded.note",
            (occurrence_id, member_id, answer.value, reason, to_db_time(now), note),
        )

    async def answers(self, occurrence_id: int) -> list[Rsvp]:
        """Every answer to one occurrence, in the order they came."""
        rows = await self._tx.fetch(
            "SELECT member_id, answer, reason, answered_at, note FROM meeting_rsvps"
            " WHERE occurrence_id = ? ORDER BY answered_at, member_id",
            (occurrence_id,),
        )
        return [
            Rsvp(
                member_id=row["member_id"],
                answer=Answer(row["answer"]),
                reason=None if row["reason"] is None else AbsenceReason(row["reason"]),
                at=from_db_time(row["answered_at"]),
                note=row["note"],
            )
            for row in rows
        ]

    async def live_rolls(self, occurrence_id: int) -> dict[str, int]:
        """Each secretary's live attendance list of an occurrence: member id → outbox id."""
        rows = await self._tx.fetch(
            "SELECT member_id, outbox_id FROM meeting_live_rolls WHERE occurrence_id = ?",
            (occurrence_id,),
        )
        return {row["member_id"]: int(row["outbox_id"]) for row in rows}

    async def set_live_roll(self, occurrence_id: int, member_id: str, outbox_id: int) -> None:
        """Remember the outbox row now showing a secretary's live attendance list."""
        await self._tx.execute(
            "INSERT INTO meeting_live_rolls (occurrence_id, member_id, outbox_id) VALUES (?, ?, ?)"
            " ON CONFLICT (occurrence_id, member_id) DO UPDATE SET outbox_id = excluded.outbox_id",
            (occurrence_id, member_id, outbox_id),
        )

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
        starts_at=from_db_time(row["start"]),
        holiday=row["holiday"],
        cancelled=row["cancelled_at"] is not None,
        moved=row["moved_to"] is not None,
        retired=row["retired_at"] is not None,
    )


def _reminder(row: sqlite3.Row) -> MeetingReminder:
    return MeetingReminder(
        id=int(row["id"]),
        occurrence_id=int(row["occurrence_id"]),
        member_id=row["member_id"],
        due_at=from_db_time(row["due_at"]),
        starts_at=from_db_time(row["start"]),
    )
