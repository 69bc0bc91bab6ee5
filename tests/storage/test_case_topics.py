"""Cases' forum topics: recorded once, found by case and by thread, kept in the outbox JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.model import CaseKind, ChatRef, Sender
from bot.domain.outbound import Outbound
from bot.domain.ports import NewCase
from bot.services.case_topics import StoredTopicLedger
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage

T0 = datetime(2027, 2, 1, 1, 0, tzinfo=UTC)
GROUP = ChatRef("telegram", "-1001234567890")


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await Database.open(tmp_path / "topics.sqlite3")
    try:
        yield SqliteStorage(db)
    finally:
        await db.close()


async def new_case(storage: SqliteStorage) -> int:
    async with storage.transaction() as uow:
        citizen = await uow.citizens.touch(Sender(ChatRef("telegram", "9"), "9", "X"), T0)
        case = await uow.cases.create(
            NewCase(
                "MT-270201-0001-AA", citizen.id, "dat-dai", None, CaseKind.SUGGESTION,
                True, None, None, T0, T0 + timedelta(days=10),
            )
        )  # fmt: skip
        return case.id


async def test_a_case_topic_is_found_by_case_and_by_thread(storage: SqliteStorage) -> None:
    case_id = await new_case(storage)
    async with storage.transaction() as uow:
        assert await uow.topics.thread_of(case_id) is None
        await uow.topics.remember(case_id, GROUP, "17")
        assert await uow.topics.thread_of(case_id) == "17"
        assert await uow.topics.case_in(GROUP, "17") == case_id
        assert await uow.topics.case_in(GROUP, "18") is None


async def test_the_first_recorded_topic_wins(storage: SqliteStorage) -> None:
    case_id = await new_case(storage)
    ledger = StoredTopicLedger(storage)

    assert await ledger.remember(case_id, GROUP, "17") == "17"
    assert await ledger.remember(case_id, GROUP, "23") == "17"
    assert await ledger.thread_of(case_id) == "17"


def test_an_outbound_keeps_its_thread_through_the_outbox_json() -> None:
    message = Outbound(chat=GROUP, text="Đã lưu", thread_id="17")

    again = Outbound.from_row(GROUP, message.to_json(), None, None, None)

    assert again == message
    assert (
        Outbound.from_row(
            GROUP, Outbound(chat=GROUP, text="x").to_json(), None, None, None
        ).thread_id
        is None
    )
