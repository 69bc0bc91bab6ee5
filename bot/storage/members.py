"""Committee members as stored: the configured roster plus how to reach each of them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.domain.model import ChatRef, Member, Role
from bot.storage.database import Tx, to_db_time

_COLUMNS = "id, name, roles, channel, chat_id, unreachable_reason"


class SqliteMemberRepo:
    """Members inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def sync(self, members: Sequence[Member], now: datetime) -> None:
        """Make the table match the configured roster; removed members become inactive."""
        stamp = to_db_time(now)
        keep = [m.id for m in members]
        marks = ",".join("?" * len(keep))
        await self._tx.execute(
            f"UPDATE members SET active = 0, chat_id = NULL, channel = NULL WHERE id NOT IN ({marks})",
            keep,
        )
        # Free chats that moved to another member first, so the unique index never trips.
        for member in members:
            chat = member.chat
            await self._tx.execute(
                "UPDATE members SET chat_id = NULL, channel = NULL"
                " WHERE id = ? AND (chat_id IS NOT ? OR channel IS NOT ?)",
                (member.id, chat.chat_id if chat else None, chat.channel if chat else None),
            )
        for member in members:
            chat = member.chat
            await self._tx.execute(
                "INSERT INTO members (id, name, roles, channel, chat_id, active, updated_at)"
                " VALUES (?, ?, ?, ?, ?, 1, ?)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, roles = excluded.roles,"
                " channel = excluded.channel, chat_id = excluded.chat_id, active = 1,"
                " unreachable_reason = CASE WHEN members.chat_id IS excluded.chat_id"
                "   THEN members.unreachable_reason ELSE NULL END,"
                " updated_at = excluded.updated_at",
                (
                    member.id,
                    member.name,
                    ",".join(sorted(role.value for role in member.roles)),
                    chat.channel if chat else None,
                    chat.chat_id if chat else None,
                    stamp,
                ),
            )

    async def get(self, member_id: str) -> Member | None:
        """One member by id."""
        row = await self._tx.fetch_one(f"SELECT {_COLUMNS} FROM members WHERE id = ?", (member_id,))
        return _member(row) if row else None

    async def by_chat(self, chat: ChatRef) -> Member | None:
        """The active member who writes from `chat`, if any."""
        row = await self._tx.fetch_one(
            f"SELECT {_COLUMNS} FROM members WHERE channel = ? AND chat_id = ? AND active = 1",
            (chat.channel, chat.chat_id),
        )
        return _member(row) if row else None

    async def all_active(self) -> list[Member]:
        """Every active member, by id."""
        rows = await self._tx.fetch(f"SELECT {_COLUMNS} FROM members WHERE active = 1 ORDER BY id")
        return [_member(row) for row in rows]

    async def set_reachable(self, member_id: str, reason: str | None, now: datetime) -> bool:
        """Mark reachable (reason None) or unreachable; True if that changed anything."""
        changed = await self._tx.execute(
            "UPDATE members SET unreachable_reason = ?, updated_at = ?"
            " WHERE id = ? AND unreachable_reason IS NOT ?",
            (reason, to_db_time(now), member_id, reason),
        )
        return changed > 0


def _member(row: sqlite3.Row) -> Member:
    chat = ChatRef(row["channel"], row["chat_id"]) if row["chat_id"] is not None else None
    return Member(
        id=row["id"],
        name=row["name"],
        roles=frozenset(Role(r) for r in row["roles"].split(",") if r),
        chat=chat,
        reachable=chat is not None and row["unreachable_reason"] is None,
    )
