"""What a meeting's briefing pack reads: cases, ratings, reopenings, open conclusions (reads).

Only tracking codes, fields, villages and owners leave this module: no citizen identity and no
case text, so an anonymous case stays anonymous in a pack that is printed and passed around.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.briefing import CaseFacts, OpenConclusion, OverdueCase, PackMoment, ReopenedCase
from bot.domain.meetings import Occurrence
from bot.domain.model import OPEN_STATES
from bot.domain.reports import RatingSummary
from bot.storage.database import Tx, from_db_time, to_db_time
from bot.storage.stats import NOT_RESOLVED, RATED, REOPEN, RESOLVED, rating_score

_OPEN = ", ".join(f"'{state.value}'" for state in sorted(OPEN_STATES))
# Open past its deadline now, the deadline clock not stopped (as /quahan counts).
_OVERDUE = f"c.state IN ({_OPEN}) AND c.due_at < ? AND c.waiting_since IS NULL"
_ANSWERED = (
    "(EXISTS (SELECT 1 FROM case_messages m WHERE m.case_id = c.id AND m.kind = 'answer'"
    " AND m.created_at >= ? AND m.created_at < ?) OR (c.answered_at >= ? AND c.answered_at < ?))"
)
_RECEIVED = "(c.created_at >= ? AND c.created_at < ?)"
_OCCURRENCE = "SELECT id, meeting_id, starts_at, holiday, cancelled_at FROM meeting_occurrences"


class SqliteBriefingRepo:
    """The briefing pack's reads, and the record of packs sent, inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def previous_start(self, meeting_id: str, before: datetime) -> datetime | None:
        """When the same meeting last took place before `before` (cancelled ones do not count)."""
        row = await self._tx.fetch_one(
            "SELECT MAX(starts_at) AS at FROM meeting_occurrences"
            " WHERE meeting_id = ? AND starts_at < ? AND cancelled_at IS NULL",
            (meeting_id, to_db_time(before)),
        )
        return from_db_time(row["at"]) if row and row["at"] else None

    async def latest_started(self, now: datetime) -> Occurrence | None:
        """The most recent occurrence that has started and was not cancelled."""
        row = await self._tx.fetch_one(
            f"{_OCCURRENCE} WHERE starts_at <= ? AND cancelled_at IS NULL"
            " ORDER BY starts_at DESC, id DESC LIMIT 1",
            (to_db_time(now),),
        )
        if row is None:
            return None
        return Occurrence(
            id=int(row["id"]),
            meeting_id=row["meeting_id"],
            starts_at=from_db_time(row["starts_at"]),
            holiday=row["holiday"],
        )

    async def case_facts(self, since: datetime, until: datetime, now: datetime) -> list[CaseFacts]:
        """Cases received or answered in [since, until), or overdue at `now`."""
        period = (to_db_time(since), to_db_time(until))
        stamp = to_db_time(now)
        rows = await self._tx.fetch_long(
            "SELECT c.field_id, c.village, c.assignee_id,"
            f" {_RECEIVED} AS received, {_ANSWERED} AS answered, ({_OVERDUE}) AS overdue"
            f" FROM cases c WHERE {_RECEIVED} OR {_ANSWERED} OR ({_OVERDUE})"
            " ORDER BY c.id",
            (*period, *period, *period, stamp, *period, *period, *period, stamp),
        )
        return [
            CaseFacts(
                field_id=row["field_id"],
                village=row["village"] or None,
                owner_id=row["assignee_id"],
                received=bool(row["received"]),
                answered=bool(row["answered"]),
                overdue=bool(row["overdue"]),
            )
            for row in rows
        ]

    async def overdue_cases(self, now: datetime) -> list[OverdueCase]:
        """Open cases past their deadline at `now`, the longest overdue first."""
        rows = await self._tx.fetch_long(
            "SELECT c.code, c.field_id, c.village, c.assignee_id, c.due_at FROM cases c"
            f" WHERE {_OVERDUE} ORDER BY c.due_at, c.id",
            (to_db_time(now),),
        )
        return [
            OverdueCase(
                code=row["code"],
                field_id=row["field_id"],
                village=row["village"] or None,
                owner_id=row["assignee_id"],
                due_at=from_db_time(row["due_at"]),
            )
            for row in rows
        ]

    async def ratings(
        self, since: datetime, until: datetime
    ) -> tuple[RatingSummary, dict[int, int]]:
        """Citizens' ratings and verdicts given in [since, until): the summary and count per score."""
        rows = await self._tx.fetch_long(
            "SELECT case_id, action, note FROM case_events"
            " WHERE created_at >= ? AND created_at < ? AND action IN (?, ?, ?) ORDER BY id",
            (to_db_time(since), to_db_time(until), RATED, RESOLVED, NOT_RESOLVED),
        )
        scores: dict[int, int] = {}
        verdicts: dict[int, str] = {}
        for row in rows:
            if row["action"] == RATED:
                score = rating_score(row["note"])
                if score is not None:
                    scores[row["case_id"]] = score  # the latest one counts
            else:
                verdicts[row["case_id"]] = row["action"]
        per_score = {score: 0 for score in range(1, 6)}
        for score in scores.values():
            per_score[score] += 1
        resolved = sum(1 for verdict in verdicts.values() if verdict == RESOLVED)
        summary = RatingSummary(
            count=len(scores),
            average=round(sum(scores.values()) / len(scores), 2) if scores else None,
            resolved=resolved,
            unresolved=len(verdicts) - resolved,
        )
        return summary, per_score

    async def reopened(self, since: datetime, until: datetime) -> list[ReopenedCase]:
        """Cases the citizen reopened in [since, until), each once (its latest reopening)."""
        rows = await self._tx.fetch_long(
            "SELECT c.code, c.field_id, c.assignee_id, MAX(e.created_at) AS at"
            " FROM case_events e JOIN cases c ON c.id = e.case_id"
            " WHERE e.action = ? AND e.created_at >= ? AND e.created_at < ?"
            " GROUP BY c.id ORDER BY at, c.id",
            (REOPEN, to_db_time(since), to_db_time(until)),
        )
        return [
            ReopenedCase(
                code=row["code"],
                field_id=row["field_id"],
                owner_id=row["assignee_id"],
                reopened_at=from_db_time(row["at"]),
            )
            for row in rows
        ]

    async def open_conclusions(self, since: datetime) -> list[OpenConclusion]:
        """Tasks not done yet (whenever given) and the conclusions recorded since `since`.

        A conclusion without an owner is never marked done, so only the recent ones are listed;
        soonest due first.
        """
        rows = await self._tx.fetch_long(
            "SELECT k.text, k.owner_member_id, k.due_on, c.code AS case_code"
            " FROM meeting_conclusions k LEFT JOIN cases c ON c.id = k.case_id"
            " WHERE k.done_at IS NULL AND (k.owner_member_id IS NOT NULL OR k.created_at >= ?)"
            " ORDER BY k.due_on IS NULL, k.due_on, k.id",
            (to_db_time(since),),
        )
        return [
            OpenConclusion(
                text=row["text"],
                owner_id=row["owner_member_id"],
                due_on=_day(row["due_on"]),
                case_code=row["case_code"],
            )
            for row in rows
        ]

    async def claim_pack(self, occurrence_id: int, moment: PackMoment, now: datetime) -> bool:
        """Record that this occurrence's pack for `moment` goes now; False if it already went."""
        changed = await self._tx.execute(
            "INSERT INTO briefing_packs (occurrence_id, moment, sent_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (occurrence_id, moment.value, to_db_time(now)),
        )
        return changed > 0


def _day(text: str | None) -> date | None:
    """A stored local date (YYYY-MM-DD); a malformed one is shown as no date rather than fail."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
