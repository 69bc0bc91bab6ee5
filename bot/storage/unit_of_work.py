"""The SQLite unit of work: every repository bound to one open transaction."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cached_property, partial

from bot.domain.model import ChatRef
from bot.domain.outbound import NewMail, Outbound
from bot.domain.ports import AuditEntry
from bot.storage import outbox_store
from bot.storage.answer_templates import SqliteAnswerTemplateRepo
from bot.storage.briefing import SqliteBriefingRepo
from bot.storage.case_topics import SqliteCaseTopicRepo
from bot.storage.cases import SqliteCaseRepo
from bot.storage.citizens import SqliteCitizenRepo
from bot.storage.conclusions import SqliteMinutesRepo
from bot.storage.database import Database, Tx, from_db_time, to_db_time
from bot.storage.dialogs import SqliteDialogRepo
from bot.storage.meetings import SqliteMeetingRepo
from bot.storage.members import SqliteMemberRepo
from bot.storage.reminders import SqliteReminderRepo
from bot.storage.search import SqliteCaseSearch
from bot.storage.stats import SqliteStatsRepo
from bot.storage.task_reminders import SqliteTaskReminderRepo


class SqliteUnitOfWork:
    """Repositories sharing one transaction, each made when first used (an update uses a few)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self.mail = NewMail()  # what this transaction queued, for the dispatcher

    @cached_property
    def citizens(self) -> SqliteCitizenRepo:
        """Citizens in this transaction."""
        return SqliteCitizenRepo(self._tx)

    @cached_property
    def members(self) -> SqliteMemberRepo:
        """Members in this transaction."""
        return SqliteMemberRepo(self._tx)

    @cached_property
    def cases(self) -> SqliteCaseRepo:
        """Cases in this transaction."""
        return SqliteCaseRepo(self._tx)

    @cached_property
    def dialogs(self) -> SqliteDialogRepo:
        """Dialogs in this transaction."""
        return SqliteDialogRepo(self._tx)

    @cached_property
    def stats(self) -> SqliteStatsRepo:
        """Stats in this transaction."""
        return SqliteStatsRepo(self._tx)

    @cached_property
    def reminders(self) -> SqliteReminderRepo:
        """Reminders in this transaction."""
        return SqliteReminderRepo(self._tx)

    @cached_property
    def templates(self) -> SqliteAnswerTemplateRepo:
        """Templates in this transaction."""
        return SqliteAnswerTemplateRepo(self._tx)

    @cached_property
    def meetings(self) -> SqliteMeetingRepo:
        """Meetings in this transaction."""
        return SqliteMeetingRepo(self._tx)

    @cached_property
    def topics(self) -> SqliteCaseTopicRepo:
        """Topics in this transaction."""
        return SqliteCaseTopicRepo(self._tx)

    @cached_property
    def minutes(self) -> SqliteMinutesRepo:
        """Minutes in this transaction."""
        return SqliteMinutesRepo(self._tx)

    @cached_property
    def task_reminders(self) -> SqliteTaskReminderRepo:
        """Task reminders in this transaction."""
        return SqliteTaskReminderRepo(self._tx)

    @cached_property
    def search(self) -> SqliteCaseSearch:
        """Search in this transaction."""
        return SqliteCaseSearch(self._tx)

    @cached_property
    def briefing(self) -> SqliteBriefingRepo:
        """Briefing in this transaction."""
        return SqliteBriefingRepo(self._tx)

    async def claim_update(self, channel: str, update_id: str, now: datetime) -> bool:
        """Record an inbound update as handled; False if it already was."""
        changed = await self._tx.execute(
            "INSERT OR IGNORE INTO processed_updates (channel, update_id, processed_at)"
            " VALUES (?, ?, ?)",
            (channel, update_id, to_db_time(now)),
        )
        return changed > 0

    async def enqueue(self, messages: Sequence[Outbound], now: datetime) -> list[int]:
        """Queue messages in the outbox, committed with the rest of the transaction; returns
        their outbox ids, in order."""
        if not messages:
            return []
        return await outbox_store.enqueue(self._tx, messages, now, self.mail)

    async def case_for_reply(self, chat: ChatRef, message_id: str) -> int | None:
        """The case a sent message was about."""
        row = await self._tx.fetch_one(
            "SELECT case_id FROM message_links WHERE channel = ? AND chat_id = ? AND message_id = ?",
            (chat.channel, chat.chat_id, message_id),
        )
        return int(row["case_id"]) if row else None

    async def audit(
        self, actor: str, action: str, case_id: int | None, detail: str | None, now: datetime
    ) -> None:
        """Append to the audit log (never a citizen's identity or message text)."""
        await self._tx.insert(
            "INSERT INTO audit_log (created_at, actor, action, case_id, detail) VALUES (?, ?, ?, ?, ?)",
            (to_db_time(now), actor, action, case_id, detail),
        )

    async def audit_entries(self, start: datetime, end: datetime) -> list[AuditEntry]:
        """The audit log between two instants, oldest first."""
        rows = await self._tx.fetch(
            "SELECT a.created_at, a.actor, a.action, c.code, a.detail FROM audit_log a"
            " LEFT JOIN cases c ON c.id = a.case_id"
            " WHERE a.created_at >= ? AND a.created_at < ? ORDER BY a.id",
            (to_db_time(start), to_db_time(end)),
        )
        return [
            AuditEntry(
                from_db_time(r["created_at"]), r["actor"], r["action"], r["code"], r["detail"]
            )
            for r in rows
        ]

    async def secret(self) -> bytes:
        """The installation's secret for tracking-code check characters (made on first use)."""
        row = await self._tx.fetch_one("SELECT value FROM meta WHERE key = 'code_secret'")
        if row is not None:
            return bytes.fromhex(row["value"])
        value = secrets.token_bytes(16)
        await self._tx.execute(
            "INSERT INTO meta (key, value) VALUES ('code_secret', ?)", (value.hex(),)
        )
        return value


class SqliteStorage:
    """Opens units of work on the database; tells `on_outbox` what new mail was committed."""

    def __init__(self, db: Database, on_outbox: Callable[[NewMail], None] | None = None) -> None:
        self.db = db
        self.on_outbox = on_outbox

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """Begin a write transaction; commits when the block ends, rolls back if it raises."""
        async with self.db.transaction() as tx:
            uow = SqliteUnitOfWork(tx)
            yield uow
            # Only once the block succeeded: mail of a rolled-back unit of work never existed.
            if uow.mail and self.on_outbox is not None:
                tx.after_commit.append(partial(self.on_outbox, uow.mail))
