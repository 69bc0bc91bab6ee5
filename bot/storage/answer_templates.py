"""Canned answers as stored: added and (softly) deleted by the chair, offered per field."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.domain.ports import AnswerTemplate
from bot.storage.database import Tx, from_db_time, to_db_time

_COLUMNS = "id, field_id, title, body, created_by, created_at"
_LIVE = "deleted_at IS NULL"


class SqliteAnswerTemplateRepo:
    """Answer templates inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def add(
        self, field_id: str | None, title: str, body: str, created_by: str, now: datetime
    ) -> AnswerTemplate:
        """Store a template (field_id None: every field) and return it."""
        template_id = await self._tx.insert(
            "INSERT INTO answer_templates (field_id, title, body, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (field_id, title, body, created_by, to_db_time(now)),
        )
        return AnswerTemplate(template_id, field_id, title, body, created_by, now)

    async def get(self, template_id: int) -> AnswerTemplate | None:
        """A template that has not been deleted."""
        row = await self._tx.fetch_one(
            f"SELECT {_COLUMNS} FROM answer_templates WHERE id = ? AND {_LIVE}", (template_id,)
        )
        return _template(row) if row else None

    async def all(self) -> list[AnswerTemplate]:
        """Every template not deleted, all-fields ones first, then by field and id."""
        rows = await self._tx.fetch(
            f"SELECT {_COLUMNS} FROM answer_templates WHERE {_LIVE}"
            " ORDER BY field_id IS NOT NULL, field_id, id"
        )
        return [_template(row) for row in rows]

    async def for_field(self, field_id: str, limit: int) -> list[AnswerTemplate]:
        """The templates offered for a case of `field_id`: its own first, then all-fields ones."""
        rows = await self._tx.fetch(
            f"SELECT {_COLUMNS} FROM answer_templates"
            f" WHERE {_LIVE} AND (field_id = ? OR field_id IS NULL)"
            " ORDER BY field_id IS NULL, id LIMIT ?",
            (field_id, limit),
        )
        return [_template(row) for row in rows]

    async def delete(self, template_id: int, now: datetime) -> bool:
        """Mark a template deleted; False if there was no such live template."""
        changed = await self._tx.execute(
            f"UPDATE answer_templates SET deleted_at = ? WHERE id = ? AND {_LIVE}",
            (to_db_time(now), template_id),
        )
        return changed > 0


def _template(row: sqlite3.Row) -> AnswerTemplate:
    return AnswerTemplate(
        id=int(row["id"]),
        field_id=row["field_id"],
        title=row["title"],
        body=row["body"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
    )
