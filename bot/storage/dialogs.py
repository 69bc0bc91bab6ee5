"""Each chat's conversation in progress, so a restart resumes at the same step."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.model import ChatRef
from bot.domain.ports import StoredDialog
from bot.storage.database import Database, Tx, to_db_time

CACHED_DIALOGS = 4096  # chats whose dialog (or lack of one) is kept; the oldest go first


class DialogCache:
    """Each chat's dialog as last read or written, kept across transactions: every update of a
    chat in a dialog reads it, and only that update changes it. A row changed any other way, a
    rollback or another connection's commit makes it read the table again (`Database.watch`)."""

    def __init__(self, db: Database) -> None:
        self._dialogs: dict[tuple[Any, ...], StoredDialog | None] = {}
        db.watch("dialogs", self._forget)

    def _forget(self, key: tuple[Any, ...] | None) -> None:
        if key is None:
            self._dialogs.clear()
        else:
            self._dialogs.pop(key, None)

    def holds(self, key: tuple[str, str]) -> bool:
        """Whether the chat's dialog (or its lack of one) is kept."""
        return key in self._dialogs

    def get(self, key: tuple[str, str]) -> StoredDialog | None:
        """The kept dialog of a chat that `holds`."""
        return self._dialogs[key]

    def remember(self, key: tuple[str, str], dialog: StoredDialog | None) -> None:
        """Keep what the table now holds for the chat."""
        self._dialogs.pop(key, None)
        if len(self._dialogs) >= CACHED_DIALOGS:
            del self._dialogs[next(iter(self._dialogs))]
        self._dialogs[key] = dialog


class SqliteDialogRepo:
    """Dialogs inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._cache = tx.shared(DialogCache)

    async def get(self, chat: ChatRef) -> StoredDialog | None:
        """The chat's dialog, if one is in progress."""
        key = (chat.channel, str(chat.chat_id))
        self._tx.verify_caches()
        if self._cache.holds(key):
            return self._cache.get(key)
        row = await self._tx.fetch_one(
            "SELECT kind, step, data FROM dialogs WHERE channel = ? AND chat_id = ?", key
        )
        dialog = StoredDialog(row["kind"], row["step"], row["data"]) if row else None
        self._cache.remember(key, dialog)
        return dialog

    async def put(self, chat: ChatRef, dialog: StoredDialog, now: datetime) -> None:
        """Store or replace the chat's dialog."""
        key = (chat.channel, str(chat.chat_id))
        await self._tx.execute(
            "INSERT INTO dialogs (channel, chat_id, kind, step, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
            " kind = excluded.kind, step = excluded.step, data = excluded.data,"
            " updated_at = excluded.updated_at",
            (*key, dialog.kind, dialog.step, dialog.data, to_db_time(now)),
        )
        self._cache.remember(key, dialog)

    async def delete(self, chat: ChatRef) -> None:
        """End the chat's dialog."""
        key = (chat.channel, str(chat.chat_id))
        await self._tx.execute("DELETE FROM dialogs WHERE channel = ? AND chat_id = ?", key)
        self._cache.remember(key, None)
