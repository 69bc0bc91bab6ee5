"""The member roster and the dialogs, kept between transactions, never answer with stale rows.

Every update asks who its sender is and where their dialog stands; both are kept in memory, so
these tests change the rows every other way there is (another process such as the `homthu` CLI,
a plain statement, an undone transaction) and check the next transaction sees the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.model import ChatRef, Member, Role
from bot.domain.ports import StoredDialog
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage

NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
LAN_CHAT = ChatRef("telegram", "1002")
CITIZEN = ChatRef("telegram", "5001")
STEP_2 = StoredDialog("intake", "village", '{"step": "village"}')
STEP_3 = StoredDialog("intake", "content", '{"step": "content"}')


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await Database.open(tmp_path / "kept.sqlite3")
    storage = SqliteStorage(db)
    lan = Member("lan", "Trần Thị Lan", frozenset({Role.MEMBER}), LAN_CHAT)
    async with storage.transaction() as uow:
        await uow.members.sync([lan], NOW)
    try:
        yield storage
    finally:
        await db.close()


def outsider(storage: SqliteStorage) -> sqlite3.Connection:
    """Another process's connection (the CLI, an admin's sqlite3 shell)."""
    return sqlite3.connect(storage.db.path, isolation_level=None)


async def member_at(storage: SqliteStorage, chat: ChatRef) -> str | None:
    async with storage.transaction() as uow:
        member = await uow.members.by_chat(chat)
    return member.id if member else None


async def dialog_of(storage: SqliteStorage, chat: ChatRef) -> StoredDialog | None:
    async with storage.transaction() as uow:
        return await uow.dialogs.get(chat)


async def test_a_member_deactivated_by_another_process_is_no_longer_recognised(
    storage: SqliteStorage,
) -> None:
    assert await member_at(storage, LAN_CHAT) == "lan"
    other = outsider(storage)
    other.execute("UPDATE members SET deactivated_at = 'x' WHERE id = 'lan'")
    other.close()
    assert await member_at(storage, LAN_CHAT) is None


async def test_a_member_bound_to_a_new_chat_by_another_database_is_recognised_there(
    storage: SqliteStorage, tmp_path: Path
) -> None:
    new_chat = ChatRef("telegram", "7007")
    assert await member_at(storage, new_chat) is None
    cli = SqliteStorage(await Database.open(storage.db.path))
    try:
        async with cli.transaction() as uow:
            await uow.members.bind_chat("lan", new_chat, NOW)
    finally:
        await cli.db.close()
    assert await member_at(storage, new_chat) == "lan"
    assert await member_at(storage, LAN_CHAT) is None


async def test_a_member_change_in_an_undone_transaction_leaves_the_member_as_stored(
    storage: SqliteStorage,
) -> None:
    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            await uow.members.set_deactivated("lan", NOW)
            assert await uow.members.by_chat(LAN_CHAT) is None  # seen inside the transaction
            raise RuntimeError("the update fails")
    assert await member_at(storage, LAN_CHAT) == "lan"


async def test_a_member_changed_by_a_plain_statement_is_read_again(
    storage: SqliteStorage,
) -> None:
    assert await member_at(storage, LAN_CHAT) == "lan"
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE members SET active = 0 WHERE id = 'lan'")
    assert await member_at(storage, LAN_CHAT) is None
    async with storage.transaction() as uow:
        assert await uow.members.all_active() == []


async def test_a_dialog_ended_by_another_process_is_gone_for_the_next_update(
    storage: SqliteStorage,
) -> None:
    async with storage.transaction() as uow:
        await uow.dialogs.put(CITIZEN, STEP_2, NOW)
    assert await dialog_of(storage, CITIZEN) == STEP_2
    other = outsider(storage)
    other.execute("DELETE FROM dialogs")
    other.close()
    assert await dialog_of(storage, CITIZEN) is None


async def test_a_dialog_step_in_an_update_undone_inside_a_batch_is_not_kept(
    storage: SqliteStorage,
) -> None:
    async with storage.transaction() as uow:
        await uow.dialogs.put(CITIZEN, STEP_2, NOW)
    assert await dialog_of(storage, CITIZEN) == STEP_2
    async with storage.db.batch():
        with pytest.raises(RuntimeError):
            async with storage.transaction() as uow:
                await uow.dialogs.put(CITIZEN, STEP_3, NOW)
                raise RuntimeError("the update fails")
        assert await dialog_of(storage, CITIZEN) == STEP_2  # the next update in the batch
    assert await dialog_of(storage, CITIZEN) == STEP_2


async def test_a_dialog_step_in_an_undone_transaction_is_not_kept(
    storage: SqliteStorage,
) -> None:
    assert await dialog_of(storage, CITIZEN) is None
    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            await uow.dialogs.put(CITIZEN, STEP_3, NOW)
            raise RuntimeError("the update fails")
    assert await dialog_of(storage, CITIZEN) is None


async def test_dialogs_purged_by_a_plain_statement_are_read_again(
    storage: SqliteStorage,
) -> None:
    async with storage.transaction() as uow:
        await uow.dialogs.put(CITIZEN, STEP_2, NOW)
    assert await dialog_of(storage, CITIZEN) == STEP_2
    async with storage.db.transaction() as tx:
        await tx.execute("DELETE FROM dialogs WHERE updated_at < 'z'")
    assert await dialog_of(storage, CITIZEN) is None


async def test_a_dialog_moved_to_another_chat_by_a_plain_statement_is_read_again_at_both(
    storage: SqliteStorage,
) -> None:
    other_chat = ChatRef("telegram", "5002")
    async with storage.transaction() as uow:
        await uow.dialogs.put(CITIZEN, STEP_2, NOW)
    assert await dialog_of(storage, CITIZEN) == STEP_2
    assert await dialog_of(storage, other_chat) is None
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE dialogs SET chat_id = '5002' WHERE chat_id = '5001'")
    assert await dialog_of(storage, CITIZEN) is None
    assert await dialog_of(storage, other_chat) == STEP_2
