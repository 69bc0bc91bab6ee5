"""A citizen's sealed details: found or created by chat, kept current, unblocked on return."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.model import ChatRef, Sender
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage

T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
CHAT = ChatRef("telegram", "5001")


async def stored_citizen(db: Database) -> tuple[object, ...]:
    rows = await db.read("SELECT id, username, full_name, blocked_at FROM citizens")
    assert len(rows) == 1
    return tuple(rows[0])


async def test_a_citizen_writing_again_keeps_one_record_with_their_current_name(
    db: Database,
) -> None:
    storage = SqliteStorage(db)
    async with storage.transaction() as uow:
        first = await uow.citizens.touch(Sender(CHAT, "5001", "Nguyễn Văn An", "an"), T0)
    async with storage.transaction() as uow:
        again = await uow.citizens.touch(Sender(CHAT, "5001", "Nguyễn Văn An", "an"), T0)
    assert again.id == first.id
    assert await stored_citizen(db) == (first.id, "an", "Nguyễn Văn An", None)
    async with storage.transaction() as uow:
        await uow.citizens.touch(Sender(CHAT, "5001", "An Nguyễn", None), T0)
    assert await stored_citizen(db) == (first.id, None, "An Nguyễn", None)


async def test_a_citizen_who_blocked_the_bot_is_reachable_again_when_they_write(
    db: Database,
) -> None:
    storage = SqliteStorage(db)
    sender = Sender(CHAT, "5001", "Nguyễn Văn An")
    async with storage.transaction() as uow:
        citizen = await uow.citizens.touch(sender, T0)
        await uow.citizens.mark_blocked(CHAT, T0)
    assert (await stored_citizen(db))[3] is not None
    async with storage.transaction() as uow:
        await uow.citizens.touch(sender, T0)
    assert await stored_citizen(db) == (citizen.id, None, "Nguyễn Văn An", None)
