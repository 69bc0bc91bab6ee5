"""Statements inside one open transaction (`Tx`), run on the event loop's thread.

Where statements run, and why, is explained in bot/storage/database.py. A long query
(statistics, an export or a briefing pack over a year of cases: hundreds of milliseconds at a
million cases) would hold up every chat for its duration, so the repositories that run them use
`Tx.fetch_long`, which runs in the worker thread while the loop goes on (other database users
still wait behind the write lock, as they would anyway).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from bot.domain.errors import StorageError
from bot.storage.driver_errors import domain_error, translated_errors

if TYPE_CHECKING:
    from bot.storage.database import Database

Params = Sequence[Any] | dict[str, Any]
_Cache = TypeVar("_Cache")


class Tx:
    """Statements inside one open transaction, run directly on the event loop's thread.

    The methods stay coroutines (the repositories await them), but none of them suspends: a
    transaction's statements run back to back, holding the write lock, and never wait.
    """

    def __init__(self, db: Database, serial: int) -> None:
        self._db = db
        self._conn = db._direct
        self._worker = db._conn  # the same connection through aiosqlite's thread
        self.serial = serial  # the outer transaction this one is (part of)
        self.after_commit: list[Any] = []

    def shared(self, kind: Callable[[Database], _Cache]) -> _Cache:
        """The database's one cache of this `kind`, kept across transactions."""
        return self._db.shared(kind)

    def verify_caches(self) -> None:
        """Before a cache kept across transactions answers: make it forget what another
        connection may have changed (one PRAGMA per outer transaction, none after)."""
        self._db._changes.verify(self.serial)

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise domain_error(exc) from exc

    async def fetch_long(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query that may take long (a report): run in the worker thread, so the
        event loop keeps serving chats meanwhile. The write lock still keeps the connection ours."""
        with translated_errors():
            return list(await self._worker.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        # try/except in place of `translated_errors`: a context manager per statement costs.
        try:
            cursor = self._conn.execute(sql, params)
            row: sqlite3.Row | None = cursor.fetchone()
        except sqlite3.Error as exc:
            raise domain_error(exc) from exc
        cursor.close()  # a statement left unfinished would block COMMIT
        return row

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new rowid."""
        try:
            cursor = self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise domain_error(exc) from exc
        rowid = cursor.lastrowid
        cursor.close()
        if rowid is None:
            raise StorageError("insert produced no row id")
        return rowid

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it changed."""
        try:
            cursor = self._conn.execute(sql, params)
            count = cursor.rowcount
            cursor.close()  # finishes a statement that returns rows (RETURNING) too
        except sqlite3.Error as exc:
            raise domain_error(exc) from exc
        return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for many parameter rows; how many rows it changed in all."""
        try:
            cursor = self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise domain_error(exc) from exc
        count = cursor.rowcount
        cursor.close()
        return count
