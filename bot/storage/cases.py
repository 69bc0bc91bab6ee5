"""Cases, their threads (messages with attachments) and their recorded events."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.errors import StorageError
from bot.domain.model import (
    Attachment,
    AttachmentKind,
    Case,
    CaseEvent,
    CaseKind,
    CaseMessage,
    CaseState,
    MessageKind,
)
from bot.domain.ports import NewCase
from bot.domain.search_query import search_words
from bot.storage.database import Tx, from_db_time, optional_time, to_db_time

_CASE_COLUMNS = (
    "id, code, field_id, village, kind, state, anonymous, shared_name, shared_phone,"
    " assignee_id, created_at, due_at, answered_at, waiting_since, merged_into"
)


class SqliteCaseRepo:
    """Cases inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def next_sequence(self, day: str) -> int:
        """The next daily sequence number for local date `day`."""
        rows = await self._tx.fetch(
            "INSERT INTO daily_sequences (day, last) VALUES (?, 1)"
            " ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last",
            (day,),
        )
        return int(rows[0]["last"])

    async def create(self, new: NewCase) -> Case:
        """Insert a case and return it."""
        stamp = to_db_time(new.created_at)
        case_id = await self._tx.insert(
            "INSERT INTO cases (code, citizen_id, field_id, village, kind, state, anonymous,"
            " shared_name, shared_phone, created_at, due_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.code,
                new.citizen_id,
                new.field_id,
                new.village,
                new.kind.value,
                CaseState.RECEIVED.value,
                int(new.anonymous),
                new.shared_name,
                new.shared_phone,
                stamp,
                to_db_time(new.due_at),
                stamp,
            ),
        )
        case = await self.get(case_id)
        if case is None:
            raise StorageError("case vanished after insert")
        return case

    async def get(self, case_id: int) -> Case | None:
        """A case by id."""
        row = await self._tx.fetch_one(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,)
        )
        return _case(row) if row else None

    async def by_code(self, code: str) -> Case | None:
        """A case by its tracking code."""
        row = await self._tx.fetch_one(f"SELECT {_CASE_COLUMNS} FROM cases WHERE code = ?", (code,))
        return _case(row) if row else None

    async def citizen_of(self, case_id: int) -> int:
        """The internal id of the case's citizen."""
        row = await self._tx.fetch_one("SELECT citizen_id FROM cases WHERE id = ?", (case_id,))
        if row is None:
            raise StorageError(f"no case {case_id}")
        return int(row["citizen_id"])

    async def count_since(self, citizen_id: int, since: datetime) -> int:
        """How many cases this citizen submitted since `since`."""
        row = await self._tx.fetch_one(
            "SELECT COUNT(*) AS n FROM cases WHERE citizen_id = ? AND created_at >= ?",
            (citizen_id, to_db_time(since)),
        )
        return int(row["n"]) if row else 0

    async def update(self, case: Case, now: datetime) -> None:
        """Store a changed state, assignee, kind, deadline, answer time or waiting mark."""
        answered = to_db_time(case.answered_at) if case.answered_at else None
        waiting = to_db_time(case.waiting_since) if case.waiting_since else None
        await self._tx.execute(
            "UPDATE cases SET state = ?, assignee_id = ?, answered_at = ?, kind = ?, due_at = ?,"
            " waiting_since = ?, merged_into = ?, updated_at = ? WHERE id = ?",
            (
                case.state.value,
                case.assignee_id,
                answered,
                case.kind.value,
                to_db_time(case.due_at),
                waiting,
                case.merged_into,
                to_db_time(now),
                case.id,
            ),
        )

    async def add_message(
        self,
        case_id: int,
        kind: MessageKind,
        body: str | None,
        member_id: str | None,
        attachments: Sequence[Attachment],
        now: datetime,
    ) -> int:
        """Append a message (and its attachments) to the case's thread."""
        message_id = await self._tx.insert(
            "INSERT INTO case_messages (case_id, kind, body, member_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, kind.value, body, member_id, to_db_time(now)),
        )
        if body:
            # The search index itself is kept by triggers; its word list needs Python's split.
            # One statement for all the words (a JSON array), not one per word.
            await self._tx.execute(
                "INSERT OR IGNORE INTO case_search_terms (term) SELECT value FROM json_each(?)",
                (json.dumps(sorted(search_words(body)), ensure_ascii=False),),
            )
        if attachments:
            await self._tx.execute_many(
                "INSERT INTO attachments (message_id, kind, file_id, file_name, mime_type, size,"
                " caption, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        message_id,
                        a.kind.value,
                        a.file_id,
                        a.file_name,
                        a.mime_type,
                        a.size,
                        a.caption,
                        a.latitude,
                        a.longitude,
                    )
                    for a in attachments
                ],
            )
        return message_id

    async def messages(self, case_id: int) -> list[CaseMessage]:
        """The case's thread, oldest first, with attachments."""
        rows = await self._tx.fetch(
            "SELECT id, kind, body, member_id, created_at FROM case_messages"
            " WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        files = await self._tx.fetch(
            "SELECT a.* FROM attachments a JOIN case_messages m ON m.id = a.message_id"
            " WHERE m.case_id = ? ORDER BY a.id",
            (case_id,),
        )
        by_message: dict[int, list[Attachment]] = {}
        for f in files:
            by_message.setdefault(f["message_id"], []).append(_attachment(f))
        return [
            CaseMessage(
                id=row["id"],
                case_id=case_id,
                kind=MessageKind(row["kind"]),
                body=row["body"],
                member_id=row["member_id"],
                created_at=from_db_time(row["created_at"]),
                attachments=tuple(by_message.get(row["id"], ())),
            )
            for row in rows
        ]

    async def add_supporter(
        self, case_id: int, member_id: str, added_by: str, now: datetime
    ) -> bool:
        """Ask a member to support the lead on this case; False if they already do."""
        changed = await self._tx.execute(
            "INSERT OR IGNORE INTO case_supporters (case_id, member_id, added_by, added_at)"
            " VALUES (?, ?, ?, ?)",
            (case_id, member_id, added_by, to_db_time(now)),
        )
        return changed > 0

    async def supporters(self, case_id: int) -> dict[str, bool]:
        """Supporting members of the case and whether each has contributed a note yet."""
        rows = await self._tx.fetch(
            "SELECT member_id, contributed_at FROM case_supporters WHERE case_id = ? ORDER BY added_at",
            (case_id,),
        )
        return {row["member_id"]: row["contributed_at"] is not None for row in rows}

    async def mark_contributed(self, case_id: int, member_id: str, now: datetime) -> None:
        """A supporting member contributed their note."""
        await self._tx.execute(
            "UPDATE case_supporters SET contributed_at = COALESCE(contributed_at, ?)"
            " WHERE case_id = ? AND member_id = ?",
            (to_db_time(now), case_id, member_id),
        )

    async def merged_into(self, target_id: int) -> list[Case]:
        """The duplicates merged into a case."""
        rows = await self._tx.fetch(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE merged_into = ? ORDER BY id", (target_id,)
        )
        return [_case(row) for row in rows]

    async def exclude(self, case_id: int, member_ids: Sequence[str]) -> None:
        """Hide the case from these members (it names them)."""
        await self._tx.execute_many(
            "INSERT OR IGNORE INTO case_exclusions (case_id, member_id) VALUES (?, ?)",
            [(case_id, member_id) for member_id in member_ids],
        )

    async def excluded(self, case_id: int) -> set[str]:
        """Members the case is hidden from."""
        rows = await self._tx.fetch(
            "SELECT member_id FROM case_exclusions WHERE case_id = ?", (case_id,)
        )
        return {row["member_id"] for row in rows}

    async def open_cases(
        self,
        *,
        assignee_id: str | None = None,
        field_ids: Sequence[str] | None = None,
        due_before: datetime | None = None,
        hidden_from: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[Case], int]:
        """Open cases (oldest deadline first) matching the filters, and how many match in all."""
        where = ["state IN ('received', 'assigned', 'in_progress')"]
        params: list[object] = []
        if assignee_id is not None:
            where.append("assignee_id = ?")
            params.append(assignee_id)
        if field_ids is not None:
            where.append(f"field_id IN ({','.join('?' * len(field_ids))})")
            params.extend(field_ids)
        if due_before is not None:
            where.append("due_at < ? AND waiting_since IS NULL")
            params.append(to_db_time(due_before))
        if hidden_from is not None:
            where.append("id NOT IN (SELECT case_id FROM case_exclusions WHERE member_id = ?)")
            params.append(hidden_from)
        clause = " AND ".join(where)
        table = "cases"
        if field_ids:
            # Without ANALYZE statistics SQLite prefers cases_field_state and then sorts every
            # open case of the fields; this partial index (migration 0014) yields each field's
            # open cases in deadline order, so a page reads only its own rows.
            table = "cases INDEXED BY cases_open_field_due"
        total = await self._tx.fetch_one(
            f"SELECT COUNT(*) AS n FROM {table} WHERE {clause}", params
        )
        rows = await self._tx.fetch(
            f"SELECT {_CASE_COLUMNS} FROM {table} WHERE {clause} ORDER BY due_at, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_case(row) for row in rows], int(total["n"]) if total else 0

    async def add_event(self, event: CaseEvent) -> None:
        """Record who did what to the case."""
        await self._tx.insert(
            "INSERT INTO case_events (case_id, action, actor, from_state, to_state, note,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event.case_id,
                event.action,
                event.actor,
                event.from_state.value if event.from_state else None,
                event.to_state.value if event.to_state else None,
                event.note,
                to_db_time(event.created_at),
            ),
        )

    async def events(self, case_id: int) -> list[CaseEvent]:
        """The case's recorded events, oldest first."""
        rows = await self._tx.fetch(
            "SELECT * FROM case_events WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [
            CaseEvent(
                case_id=case_id,
                action=row["action"],
                actor=row["actor"],
                from_state=CaseState(row["from_state"]) if row["from_state"] else None,
                to_state=CaseState(row["to_state"]) if row["to_state"] else None,
                note=row["note"],
                created_at=from_db_time(row["created_at"]),
            )
            for row in rows
        ]

    async def last_auto_assignments(self, member_ids: Sequence[str]) -> dict[str, int]:
        """For each member ever auto-assigned a case, the event id of their latest one.

        Automatic assignments are the system's 'assign' events, whose note names the assignee.
        Event ids, not times, order them: two cases may arrive within the same clock tick.
        """
        if not member_ids:
            return {}
        marks = ",".join("?" * len(member_ids))
        rows = await self._tx.fetch(
            "SELECT note, MAX(id) AS last FROM case_events"
            f" WHERE action = 'assign' AND actor = 'system' AND note IN ({marks}) GROUP BY note",
            tuple(member_ids),
        )
        return {row["note"]: int(row["last"]) for row in rows}


def _case(row: sqlite3.Row) -> Case:
    return Case(
        id=row["id"],
        code=row["code"],
        field_id=row["field_id"],
        village=row["village"],
        kind=CaseKind(row["kind"]),
        state=CaseState(row["state"]),
        anonymous=bool(row["anonymous"]),
        shared_name=row["shared_name"],
        shared_phone=row["shared_phone"],
        assignee_id=row["assignee_id"],
        created_at=from_db_time(row["created_at"]),
        due_at=from_db_time(row["due_at"]),
        answered_at=optional_time(row["answered_at"]),
        waiting_since=optional_time(row["waiting_since"]),
        merged_into=row["merged_into"],
    )


def _attachment(row: sqlite3.Row) -> Attachment:
    return Attachment(
        kind=AttachmentKind(row["kind"]),
        file_id=row["file_id"],
        file_name=row["file_name"],
        mime_type=row["mime_type"],
        size=row["size"],
        caption=row["caption"],
        latitude=row["latitude"],
        longitude=row["longitude"],
    )


# For stores that read cases in joins of their own (bot/storage/search.py).
CASE_COLUMNS = _CASE_COLUMNS
case_from_row = _case
