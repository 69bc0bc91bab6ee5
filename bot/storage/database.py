"""The one SQLite database: a single writer connection in WAL mode, numbered migrations.

Where each statement runs. A point query or insert on cached pages takes a few microseconds; a hop
to aiosqlite's worker thread and back costs about 35 µs of CPU plus an event-loop wake-up. So
statements run on the event loop's thread, directly on the connection, and the worker thread
keeps only what may *wait*:
- opening, migrations and closing;
- `BEGIN IMMEDIATE` when another process holds the write lock: it is first tried on the loop with
  no busy timeout, and only if that finds the database locked does the worker thread wait for it
  (up to `busy_timeout`);
- WAL checkpoints, which write pages back and fsync: SQLite's automatic checkpoint (run inside
  a COMMIT) is off, and every `CHECKPOINT_EVERY` commits a passive checkpoint runs in the worker
  thread. A COMMIT itself, with synchronous=NORMAL in WAL mode, only appends to the WAL (no
  fsync); a process crash (kill -9) keeps every committed transaction.
Inside `BEGIN IMMEDIATE` this process holds the write lock, so its statements never wait for a
lock; reads outside a transaction (`Database.read`) run on the loop too, as in WAL mode readers do
not wait for writers. The write lock keeps the two threads from ever using the connection at once.
A long query (statistics, an export or a briefing pack over a year of cases: hundreds of
milliseconds at a million cases) would hold up every chat for its duration, so the repositories
that run them use `Tx.fetch_long`, which runs in the worker thread while the loop goes on
(other database users still wait behind the write lock, as they would anyway).

Batches. BEGIN IMMEDIATE and COMMIT cost more than a small update's own statements, so the poller
opens one transaction for a polled batch of updates (`Database.batch`), and each update's own
`transaction()` inside it, opened by the same asyncio task, is a savepoint (SAVEPOINT … RELEASE,
or ROLLBACK TO if its block raises): one failing update never undoes the others, and nothing is
visible to others, nor confirmed to Telegram, before the batch's COMMIT. The write lock is not
reentrant, so "the same task" is decided by task identity (a task started inside the batch, which
would inherit a context variable, is another writer and waits). `after_commit` callbacks of the
savepoints run after the outer COMMIT, and only those of savepoints that were released.
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
BUSY_TIMEOUT_MS = 5000  # how long the worker thread waits for another process's write lock
CHECKPOINT_EVERY = 200  # commits between WAL checkpoints (SQLite's own: about every 1000 pages)


def to_db_time(instant: datetime) -> str:
    """Store an aware instant as sortable UTC text: `_TIME_FORMAT`, always with microseconds."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    if instant.utcoffset():
        instant = instant.astimezone(UTC)
    # isoformat is `_TIME_FORMAT` up to the offset, and several times cheaper than strftime
    # (a handled update stores a dozen instants).
    return instant.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_db_time(text: str) -> datetime:
    """Read an instant stored by `to_db_time` (fromisoformat reads the "Z" since Python 3.11)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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
        self._commits = 0  # since the last checkpoint
        self._checkpointing: asyncio.Task[None] | None = None
        # The task inside `transaction()` and its Tx: that task's nested transactions are
        # savepoints (it holds the non-reentrant write lock already).
        self._owner: asyncio.Task[Any] | None = None
        self._open_tx: Tx | None = None
        self._savepoints = 0  # open savepoints, for their names

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
        if self._checkpointing is not None:
            await self._checkpointing
        async with self._write_lock:
            await self._conn.close()

    async def _configure(self) -> None:
        # WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which survives a
        # process crash (kill -9) with every committed transaction intact.
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Checkpoints run in the worker thread (see the module docstring), not inside a COMMIT.
        await self._conn.execute("PRAGMA wal_autocheckpoint=0")

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
        """One write transaction (BEGIN IMMEDIATE … COMMIT); rolled back if the block raises.

        Opened again by the task that already holds one (see `batch`), it is a savepoint of it.
        """
        if self._owner is not None and self._owner is asyncio.current_task():
            async with self._savepoint() as tx:
                yield tx
            return
        async with self._write_lock:
            tx = Tx(self._direct, self._conn)
            try:
                with translated_errors():
                    if not self._begin_at_once():
                        await self._conn.execute("BEGIN IMMEDIATE")
                self._owner, self._open_tx = asyncio.current_task(), tx
                try:
                    yield tx
                finally:
                    self._owner = self._open_tx = None
            except BaseException:
                # Shielded: a cancelled task must not leave the one connection mid-transaction.
                # aiosqlite runs statements in order, so this follows a BEGIN still in flight.
                await asyncio.shield(self._rollback())
                raise
            try:
                with translated_errors():
                    self._direct.execute("COMMIT")
            except StorageError:
                await asyncio.shield(self._rollback())
                raise
            self._count_commit()
        for callback in tx.after_commit:
            callback()

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """One write transaction around many: each `transaction()` this task opens inside it is
        a savepoint, undone alone if its block raises, committed with the batch.

        Committing once for a polled batch of updates instead of once per update saves the
        BEGIN/COMMIT work of each; `after_commit` callbacks run after the batch's COMMIT. Other
        tasks' transactions wait for the whole batch, as for any transaction: keep it short.
        """
        async with self.transaction():
            yield

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[Tx]:
        """A nested transaction: SAVEPOINT … RELEASE, or ROLLBACK TO it if the block raises."""
        outer = self._open_tx
        if outer is None or not self._direct.in_transaction:
            # SQLite undid the outer transaction itself (after a disk error, say): a savepoint
            # now would be a transaction of its own, committed outside the batch.
            raise StorageError("the enclosing transaction is gone")
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        tx = Tx(self._direct, self._conn)
        try:
            with translated_errors():
                self._direct.execute(f"SAVEPOINT {name}")
            try:
                yield tx
            except BaseException:
                # Through aiosqlite: it follows a `fetch_long` still running in the worker thread.
                await asyncio.shield(self._rollback_to(name))
                raise
            with translated_errors():
                self._direct.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1
        outer.after_commit.extend(tx.after_commit)  # they wait for the outer COMMIT
        self._count_commit()

    async def _rollback_to(self, name: str) -> None:
        try:
            await self._conn.execute(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
        except sqlite3.OperationalError:
            pass  # the outer transaction is gone too: its own rollback or COMMIT will tell

    def _count_commit(self) -> None:
        """Start a WAL checkpoint every `CHECKPOINT_EVERY` transactions (savepoints count)."""
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and self._checkpointing is None:
            self._commits = 0
            # Its own task: the caller's transaction is done and its task may be cancelled.
            # It takes the write lock, so inside a batch it waits for the batch's COMMIT.
            self._checkpointing = asyncio.create_task(self._checkpoint(), name="wal-checkpoint")

    def _begin_at_once(self) -> bool:
        """BEGIN IMMEDIATE on the loop if no one else holds the write lock; False if one does."""
        self._direct.execute("PRAGMA busy_timeout=0")
        try:
            self._direct.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                return False
            raise
        finally:
            self._direct.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return True

    async def _checkpoint(self) -> None:
        """Copy the WAL back into the database file, in the worker thread; never waits for readers."""
        try:
            async with self._write_lock:
                # Fetched to the end: an unfinished PRAGMA statement would block the next COMMIT.
                await self._conn.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint failed (retried later): %s", exc)
        finally:
            self._checkpointing = None

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # the BEGIN itself failed: nothing to roll back

    async def read(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query outside any write transaction (or inside this task's own)."""
        if self._owner is not None and self._owner is asyncio.current_task():
            return _fetch(self._direct, sql, params)
        async with self._write_lock:
            return _fetch(self._direct, sql, params)


class Tx:
    """Statements inside one open transaction, run directly on the event loop's thread.

    The methods stay coroutines (the repositories await them), but none of them suspends: a
    transaction's statements run back to back, holding the write lock, and never wait.
    """

    def __init__(self, connection: sqlite3.Connection, worker: aiosqlite.Connection) -> None:
        self._conn = connection
        self._worker = worker  # the same connection through aiosqlite's thread
        self.after_commit: list[Any] = []

    async def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        return _fetch(self._conn, sql, params)

    async def fetch_long(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query that may take long (a report): run in the worker thread, so the
        event loop keeps serving chats meanwhile. The write lock still keeps the connection ours."""
        with translated_errors():
            return list(await self._worker.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        with translated_errors():
            cursor = self._conn.execute(sql, params)
            row: sqlite3.Row | None = cursor.fetchone()
            cursor.close()  # a statement left unfinished would block COMMIT
        return row

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new rowid."""
        with translated_errors():
            cursor = self._conn.execute(sql, params)
            rowid = cursor.lastrowid
            cursor.close()
        if rowid is None:
            raise StorageError("insert produced no row id")
        return rowid

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it changed."""
        with translated_errors():
            cursor = self._conn.execute(sql, params)
            count = cursor.rowcount
            cursor.close()  # finishes a statement that returns rows (RETURNING) too
        return count

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
        if _is_busy(exc):
            raise StorageBusy(str(exc)) from exc
        raise StorageError(str(exc)) from exc
    except sqlite3.Error as exc:
        raise StorageError(str(exc)) from exc


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
