"""Committee members as stored: the configured roster plus how to reach each of them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.model import ChatRef, Member, Role
from bot.storage.database import Database, Tx, to_db_time

_COLUMNS = "id, name, roles, channel, chat_id, unreachable_reason"
# In the configured roster and not deactivated by the chair.
_ACTIVE = "active = 1 AND deactivated_at IS NULL"


class MemberRoster:
    """The active members, kept across transactions: every update asks whether its sender is
    one, and the roster changes seldom. Any change to the table, a rollback or another
    connection's commit makes it read the table again (see `Database.watch`)."""

    def __init__(self, db: Database) -> None:
        self._active: list[Member] | None = None
        self._by_chat: dict[tuple[str, str], Member] = {}
        db.watch("members", self._forget)

    def _forget(self, key: tuple[Any, ...] | None) -> None:
        self._active = None

    async def active(self, tx: Tx) -> list[Member]:
        """Every active member, by id."""
        tx.verify_caches()
        if self._active is None:
            rows = await tx.fetch(f"SELECT {_COLUMNS} FROM members WHERE {_ACTIVE} ORDER BY id")
            self._active = [_member(row) for row in rows]
            self._by_chat = {
                (row["channel"], row["chat_id"]): member
                for row, member in zip(rows, self._active, strict=True)
                if row["chat_id"] is not None
            }
        return self._active

    async def by_chat(self, tx: Tx, chat: ChatRef) -> Member | None:
        """The active member who writes from `chat`, if any."""
        await self.active(tx)
        return self._by_chat.get((chat.channel, str(chat.chat_id)))


class SqliteMemberRepo:
    """Members inside one transaction."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self._roster = tx.shared(MemberRoster)

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
        # A member configured without a Telegram id keeps the chat bound through an invite.
        for member in members:
            chat = member.chat
            if chat is None:
                continue
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
                " channel = COALESCE(excluded.channel, members.channel),"
                " chat_id = COALESCE(excluded.chat_id, members.chat_id), active = 1,"
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
        return await self._roster.by_chat(self._tx, chat)

    async def all_active(self) -> list[Member]:
        """Every active member, by id."""
        return list(await self._roster.active(self._tx))

    async def set_deactivated(self, member_id: str, now: datetime | None) -> bool:
        """Deactivate (now) or reactivate (None) a member; True if that changed anything."""
        changed = await self._tx.execute(
            "UPDATE members SET deactivated_at = ? WHERE id = ? AND active = 1"
            " AND (deactivated_at IS NULL) = ?",
            (to_db_time(now) if now else None, member_id, now is not None),
        )
        return changed > 0

    async def bind_chat(self, member_id: str, chat: ChatRef, now: datetime) -> None:
        """Reach this member in `chat` from now on (they opened an invite link there)."""
        await self._tx.execute(
            "UPDATE members SET channel = ?, chat_id = ?, unreachable_reason = NULL, updated_at = ?"
            " WHERE id = ?",
            (chat.channel, chat.chat_id, to_db_time(now), member_id),
        )

    async def create_invite(
        self, token: str, member_id: str, created_by: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a one-time invite for a configured member."""
        await self._tx.insert(
            "INSERT INTO invites (token, member_id, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (token, member_id, created_by, to_db_time(now), to_db_time(expires_at)),
        )

    async def redeem_invite(self, token: str, now: datetime) -> str | None:
        """Use an unexpired, unused invite once; the member it was for, or None."""
        rows = await self._tx.fetch(
            "UPDATE invites SET used_at = ? WHERE token = ? AND used_at IS NULL AND expires_at > ?"
            " RETURNING member_id",
            (to_db_time(now), token, to_db_time(now)),
        )
        return str(rows[0]["member_id"]) if rows else None

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
