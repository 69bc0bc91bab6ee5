"""Cases' forum topics in the committee supergroup."""

from __future__ import annotations

from bot.domain.model import ChatRef
from bot.storage.database import Tx


class SqliteCaseTopicRepo:
    """Case topics inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def thread_of(self, case_id: int) -> str | None:
        """The case's topic (message thread id), if one was created."""
        row = await self._tx.fetch_one(
            "SELECT thread_id FROM case_topics WHERE case_id = ?", (case_id,)
        )
        return str(row["thread_id"]) if row else None

    async def case_in(self, chat: ChatRef, thread_id: str) -> int | None:
        """The case whose topic this is, if any."""
        row = await self._tx.fetch_one(
            "SELECT case_id FROM case_topics WHERE channel = ? AND chat_id = ? AND thread_id = ?",
            (chat.channel, chat.chat_id, thread_id),
        )
        return int(row["case_id"]) if row else None

    async def remember(self, case_id: int, chat: ChatRef, thread_id: str) -> None:
        """Record the case's topic (the first one recorded wins)."""
        await self._tx.execute(
            "INSERT OR IGNORE INTO case_topics (case_id, channel, chat_id, thread_id)"
            " VALUES (?, ?, ?, ?)",
            (case_id, chat.channel, chat.chat_id, thread_id),
        )
