"""The one SQLite database: a single writer connection in WAL mode, numbered migrations.

Where each statement runs. The connection belongs to aiosqlite's worker thread, which runs
everything that may *wait*: opening, migrations, `BEGIN IMMEDIATE` (which waits up to
`busy_timeout` while another process holds the write lock) and `COMMIT` (which may run a WAL
checkpoint and its fsync). The statements between them run on the event loop's thread, directly
on the same connection: inside `BEGIN IMMEDIATE` this process holds the write lock, so they never
wait for a lock, and a point query or insert on cached pages takes a few microseconds, while a
hop to the worker thread and back costs about 35 µs of CPU plus an event-loop wake-up. Reads
outside a transaction (`Database.read`) run on the loop too: in WAL mode readers do not wait for
writers. The write lock keeps the two threads from ever using the connection at once. A long
query (a report over years of cases) holds up the event loop for its duration, as it already held
up every other database user behind the write lock.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.domain.errors import StorageBusy, StorageError

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db_time(instant: datetime) -> str:
    """Store an aware instant as sortable UTC text."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return instant.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db_time(text: str) -> datetime:
    """Read an instant stored by `to_db_time`."""
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


def optional_time(text: str | None) -> datetime | None:
    """Read a nullable instant column."""
    return None if text is None else from_db_time(text)


def available_migrations() -> list[tuple[int, str, str]]:
    """Numbered migrations shipped with the package, in order: (version, name, sql)."""
    folder = resources.files("bot.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """Owns the connection; every state change runs in `transaction()`, one at a time."""

    def __init__(
        self, connection: aiosqlite.Connection, direct: sqlite3.Connection, path: Path
    ) -> None:
        self._conn = connection  # through the worker thread: statements that may wait
        self._direct = direct  # the same connection, used from the event loop's thread
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database file and bring its schema up to date."""
        path.parent.mkdir(parents=True, exist_ok=True)
        opened: list[sqlite3.Connection] = []

        def connect() -> sqlite3.Connection:
            # Made in the worker thread; check_same_thread=False lets the event loop's thread use
            # it too (never both at once: see the module docstring).
            direct = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            direct.row_factory = sqlite3.Row
            opened.append(direct)
            return direct

        try:
            conn = await aiosqlite.Connection(connect, iter_chunk_size=64)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        db = cls(conn, opened[0], path)
        try:
            await db._configure()
            await db._migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close the connection (aiosqlite's worker thread keeps the process alive otherwise)."""
        async with self._write_lock:
            await self._conn.close()

    async def _configure(self) -> None:
        # WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which survives a
        # process crash (kill -9) with every committed transaction intact.
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")

    async def _migrate(self) -> None:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        rows = await self._conn.execute_fetchall("SELECT version FROM schema_migrations")
        applied = {row[0] for row in rows}
        for version, name, sql in available_migrations():
            if version in applied:
                continue
            log.info("applying migration %s", name)
            statements = f"BEGIN IMMEDIATE;\n{sql}\n"
            statements += (
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                f"({version}, '{name}', '{to_db_time(datetime.now(UTC))}');\nCOMMIT;"
            )
            try:
                await self._conn.executescript(statements)
            except sqlite3.Error as exc:
                await self._conn.execute("ROLLBACK")
                raise StorageError(f"migration {name} failed: {exc}") from exc

    async def schema_version(self) -> int:
        """The highest applied migration."""
        rows = await self._conn.execute_fetchall("SELECT MAX(version) FROM schema_migrations")
        return int(next(iter(rows))[0] or 0)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); rolled back if the block raises."""
        async with self._write_lock:
            tx = Tx(self._direct)
            try:
                with translated_errors():
                    await self._conn.execute("BEGIN IMMEDIATE")
                yield tx
            except BaseException:
                # Shielded: a cancelled task must not leave the one connection mid-transaction.
                # aiosqlite runs statements in order, so this follows a BEGIN still in flight.
                await asyncio.shield(self._rollback())
                raise
            try:
                with translated_errors():
                    await asyncio.shield(self._conn.execute("COMMIT"))
            except StorageError:
                await asyncio.shield(self._rollback())
                raise
        for callback in tx.after_commit:
            callback()

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # the BEGIN itself failed: nothing to roll back

    async def read(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query outside any write transaction."""
        async with self._write_lock:
            return _fetch(self._direct, sql, params)


class Tx:
    """Statements inside one open transaction, run directly on the event loop's thread.

    The methods stay coroutines (the repositories await them), but none of them suspends: a
    transaction's statements run back to back, holding the write lock, and never wait.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self.after_commit: list[Any] = []

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        return _fetch(self._conn, sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        with translated_errors():
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
        return row

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new rowid."""
        with translated_errors():
            rowid = self._conn.execute(sql, params).lastrowid
        if rowid is None:
            raise StorageError("insert produced no row id")
        return rowid

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it changed."""
        with translated_errors():
            return self._conn.execute(sql, params).rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter rows."""
        with translated_errors():
            self._conn.executemany(sql, rows)


def _fetch(conn: sqlite3.Connection, sql: str, params: Params) -> list[sqlite3.Row]:
    with translated_errors():
        return conn.execute(sql, params).fetchall()


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the driver's errors into domain errors where they enter the adapter."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StorageBusy(str(exc)) from exc
        raise StorageError(str(exc)) from exc
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc
