"""Statistics and exports over the cases received in a period: read-only SQL."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot.domain.model import OPEN_STATES
from bot.domain.reports import ExportRow, RatingSummary, Statistics, median_duration
from bot.storage.database import Tx, from_db_time, optional_time, to_db_time

# Case events written when the citizen closes the loop (see bot/services/citizen_feedback.py).
RATED = "rated"  # note = the score, 1..5; the latest one per case counts
RESOLVED = "resolved"
NOT_RESOLVED = "not_resolved"
REOPEN = "reopen"
# Actors that are not committee members: their events are not a response to the citizen.
NON_MEMBER_ACTORS = ("citizen", "system")
ANSWER_EXCERPT_CHARS = 1000

_IN_PERIOD = "c.created_at >= ? AND c.created_at < ?"
# When the citizen first got an answer (a reopened case keeps its first answer time).
_FIRST_ANSWER = (
    "COALESCE((SELECT MIN(m.created_at) FROM case_messages m"
    " WHERE m.case_id = c.id AND m.kind = 'answer'), c.answered_at)"
)
_FIRST_MEMBER_ACTION = (
    "(SELECT MIN(e.created_at) FROM case_events e"
    " WHERE e.case_id = c.id AND e.actor NOT IN ('citizen', 'system'))"
)


class SqliteStatsRepo:
    """Statistics and export rows inside one transaction (reads only)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def statistics(self, start_utc: datetime, end_utc: datetime, now: datetime) -> Statistics:
        """The figures for cases received in [start_utc, end_utc); `now` decides what is overdue."""
        period = (to_db_time(start_utc), to_db_time(end_utc))
        rows = await self._tx.fetch_long(
            "SELECT c.id, c.field_id, c.village, c.state, c.assignee_id, c.created_at, c.due_at,"
            f" {_FIRST_ANSWER} AS first_answer_at, {_FIRST_MEMBER_ACTION} AS first_action_at"
            f" FROM cases c WHERE {_IN_PERIOD}",
            period,
        )
        open_states = {state.value for state in OPEN_STATES}
        by_state: Counter[str] = Counter()
        by_field: Counter[str] = Counter()
        by_village: Counter[str | None] = Counter()
        by_assignee: Counter[str | None] = Counter()
        by_field_and_state: Counter[tuple[str, str]] = Counter()
        first_responses: list[timedelta] = []
        answers: list[timedelta] = []
        overdue = on_time = late = 0
        for row in rows:
            state, field_id = row["state"], row["field_id"]
            by_state[state] += 1
            by_field[field_id] += 1
            by_village[row["village"] or None] += 1
            by_assignee[row["assignee_id"]] += 1
            by_field_and_state[(field_id, state)] += 1
            created, due = from_db_time(row["created_at"]), from_db_time(row["due_at"])
            first_action = optional_time(row["first_action_at"])
            if first_action is not None:
                first_responses.append(first_action - created)
            first_answer = optional_time(row["first_answer_at"])
            if first_answer is not None:
                answers.append(first_answer - created)
                if first_answer <= due:
                    on_time += 1
                else:
                    late += 1
            # A reopened case is open again: it is overdue once its deadline has passed.
            if state in open_states and due < now:
                overdue += 1
        return Statistics(
            received=len(rows),
            by_state=dict(by_state),
            by_field=dict(by_field),
            by_village=dict(by_village),
            by_assignee=dict(by_assignee),
            by_field_and_state=dict(by_field_and_state),
            median_first_response=median_duration(first_responses),
            median_answer=median_duration(answers),
            overdue=overdue,
            answered_on_time=on_time,
            answered_late=late,
            ratings=await self._ratings(period),
            reopened=await self._reopened(period),
        )

    async def _ratings(self, period: tuple[str, str]) -> RatingSummary:
        rows = await self._tx.fetch_long(
            "SELECT e.case_id, e.action, e.note FROM case_events e"
            f" JOIN cases c ON c.id = e.case_id WHERE {_IN_PERIOD}"
            " AND e.action IN (?, ?, ?) ORDER BY e.id",
            (*period, RATED, RESOLVED, NOT_RESOLVED),
        )
        scores: dict[int, int] = {}
        verdicts: dict[int, str] = {}
        for row in rows:
            if row["action"] == RATED:
                score = rating_score(row["note"])
                if score is not None:
                    scores[row["case_id"]] = score
            else:
                verdicts[row["case_id"]] = row["action"]
        average = round(sum(scores.values()) / len(scores), 2) if scores else None
        resolved = sum(1 for verdict in verdicts.values() if verdict == RESOLVED)
        return RatingSummary(
            count=len(scores),
            average=average,
            resolved=resolved,
            unresolved=len(verdicts) - resolved,
        )

    async def _reopened(self, period: tuple[str, str]) -> int:
        row = await self._tx.fetch_one(
            "SELECT COUNT(DISTINCT e.case_id) AS n FROM case_events e"
            f" JOIN cases c ON c.id = e.case_id WHERE {_IN_PERIOD} AND e.action = ?",
            (*period, REOPEN),
        )
        return int(row["n"]) if row else 0

    async def cases_for_export(
        self, start_utc: datetime, end_utc: datetime, include_identity: bool
    ) -> list[ExportRow]:
        """Cases received in [start_utc, end_utc), oldest first.

        Identity (the name and phone the citizen agreed to share) is read only when
        `include_identity`, and never for an anonymous case.
        """
        identity = (
            ", CASE WHEN c.anonymous = 0 THEN c.shared_name END AS shared_name"
            ", CASE WHEN c.anonymous = 0 THEN c.shared_phone END AS shared_phone"
            if include_identity
            else ""
        )
        rows = await self._tx.fetch_long(
            "SELECT c.code, c.created_at, c.field_id, c.village, c.kind, c.state, c.due_at,"
            f" m.name AS assignee, {_FIRST_ANSWER} AS first_answer_at,"
            " (SELECT a.body FROM case_messages a WHERE a.case_id = c.id AND a.kind = 'answer'"
            "  ORDER BY a.id LIMIT 1) AS answer,"
            " (SELECT r.note FROM case_events r WHERE r.case_id = c.id AND r.action = ?"
            f"  ORDER BY r.id DESC LIMIT 1) AS rating{identity}"
            " FROM cases c LEFT JOIN members m ON m.id = c.assignee_id"
            f" WHERE {_IN_PERIOD} ORDER BY c.created_at, c.id",
            (RATED, to_db_time(start_utc), to_db_time(end_utc)),
        )
        return [
            ExportRow(
                code=row["code"],
                created_at=from_db_time(row["created_at"]),
                field_id=row["field_id"],
                village=row["village"] or None,
                kind=row["kind"],
                state=row["state"],
                assignee=row["assignee"],
                due_at=from_db_time(row["due_at"]),
                answered_at=optional_time(row["first_answer_at"]),
                answer=_excerpt(row["answer"]),
                rating=rating_score(row["rating"]),
                shared_name=row["shared_name"] if include_identity else None,
                shared_phone=row["shared_phone"] if include_identity else None,
            )
            for row in rows
        ]


def rating_score(note: str | None) -> int | None:
    """A rating event's score, or None if the note is not a score 1..5."""
    if note is None or not (note.isascii() and note.isdigit()):
        return None
    score = int(note)
    return score if 1 <= score <= 5 else None


def _excerpt(text: str | None) -> str | None:
    if text is None or len(text) <= ANSWER_EXCERPT_CHARS:
        return text
    return text[: ANSWER_EXCERPT_CHARS - 1] + "…"
