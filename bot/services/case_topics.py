"""The sender's view of cases' forum topics: each question in its own short transaction."""

from __future__ import annotations

from bot.domain.model import ChatRef
from bot.domain.ports import Storage


class StoredTopicLedger:
    """The `TopicLedger` over the database."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def thread_of(self, case_id: int) -> str | None:
        """The case's topic, if one was recorded."""
        async with self._storage.transaction() as uow:
            return await uow.topics.thread_of(case_id)

    async def remember(self, case_id: int, chat: ChatRef, thread_id: str) -> str:
        """Record a new topic; returns the case's topic (an earlier one if there was one)."""
        async with self._storage.transaction() as uow:
            await uow.topics.remember(case_id, chat, thread_id)
            return await uow.topics.thread_of(case_id) or thread_id
