"""Each chat's conversation in progress, so a restart resumes at the same step."""

from __future__ import annotations

from datetime import datetime

from bot.domain.model import ChatRef
from bot.domain.ports import StoredDialog
from bot.storage.database import Tx, to_db_time


class SqliteDialogRepo:
    """Dialogs inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def get(self, chat: ChatRef) -> StoredDialog | None:
        """The chat's dialog, if one is in progress."""
        row = await self._tx.fetch_one(
            "SELECT kind, step, data FROM dialogs WHERE channel = ? AND chat_id = ?",
            (chat.channel, chat.chat_id),
        )
        return StoredDialog(row["kind"], row["step"], row["data"]) if row else None

    async def put(self, chat: ChatRef, dialog: StoredDialog, now: datetime) -> None:
        """Store or replace the chat's dialog."""
        await self._tx.execute(
            "INSERT INTO dialogs (channel, chat_id, kind, step, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " kind = excluded.kind, step = excluded.step, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (chat.channel, chat.chat_id, dialog.kind, dialog.step, dialog.data, to_db_time(now)),
        )

    async def delete(self, chat: ChatRef) -> None:
        """End the chat's dialog."""
        await self._tx.execute(
            "DELETE FROM dialogs WHERE channel = ? AND chat_id = ?", (chat.channel, chat.chat_id)
        )
