"""Sealed citizen identities (the only table that holds who a citizen is)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import StorageError
from bot.domain.model import ChatRef, Sender
from bot.domain.ports import CitizenRecord
from bot.storage.database import Tx, to_db_time


class SqliteCitizenRepo:
    """Citizens inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def touch(self, sender: Sender, now: datetime) -> CitizenRecord:
        """Find or create the citizen writing from `sender.chat`, refreshing the sealed details."""
        chat = sender.chat
        row = await self._tx.fetch_one(
            "SELECT id, consent_version, blocked_at, username, full_name FROM citizens"
            " WHERE channel = ? AND chat_id = ?",
            (chat.channel, chat.chat_id),
        )
        if row is None:
            citizen_id = await self._tx.insert(
                "INSERT INTO citizens (channel, chat_id, user_id, username, full_name, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    chat.channel,
                    chat.chat_id,
                    sender.user_id,
                    sender.username,
                    sender.full_name,
                    to_db_time(now),
                ),
            )
            return CitizenRecord(id=citizen_id, consent_version=None)
        unchanged = (row["username"], row["full_name"]) == (sender.username, sender.full_name)
        if not unchanged or row["blocked_at"] is not None:  # a write only when something changed
            await self._tx.execute(
                "UPDATE citizens SET username = ?, full_name = ?, blocked_at = NULL WHERE id = ?",
                (sender.username, sender.full_name, row["id"]),
            )
        return CitizenRecord(id=row["id"], consent_version=row["consent_version"])

    async def record_consent(self, citizen_id: int, version: str, now: datetime) -> None:
        """Record that the citizen agreed to the data notice `version`."""
        await self._tx.execute(
            "UPDATE citizens SET consent_version = ?, consent_at = ? WHERE id = ?",
            (version, to_db_time(now), citizen_id),
        )

    async def chat_of(self, citizen_id: int) -> ChatRef:
        """Where to deliver messages for this citizen."""
        row = await self._tx.fetch_one(
            "SELECT channel, chat_id FROM citizens WHERE id = ?", (citizen_id,)
        )
        if row is None:
            raise StorageError(f"no citizen {citizen_id}")
        return ChatRef(row["channel"], row["chat_id"])

    async def mark_blocked(self, chat: ChatRef, now: datetime) -> None:
        """The citizen blocked the bot."""
        await self._tx.execute(
            "UPDATE citizens SET blocked_at = ? WHERE channel = ? AND chat_id = ?",
            (to_db_time(now), chat.channel, chat.chat_id),
        )
