"""The one SQLite database: a single writer connection in WAL mode, one transaction at a time.

Where each statement runs. A point query or insert on cached pages takes a few microseconds; a hop
to aiosqlite's worker thread and back costs about 35 µs of CPU plus an event-loop wake-up. So
statements run on the event loop's thread, directly on the connection, and the worker thread
keeps only what may *wait*:
- opening, migrations (bot/storage/schema_migrations.py) and closing;
- queries that may take long (`Tx.fetch_long`, see bot/storage/transaction.py);
- `BEGIN IMMEDIATE` when another process holds the write lock: it is first tried on the loop, and
  only if that finds the database locked does the worker thread wait for it (up to
  `BUSY_TIMEOUT_MS`). The connection's own busy timeout is 0 once it is open, so nothing on the
  loop ever waits; the worker thread sets it for the one statement that should wait (a PRAGMA
  on every BEGIN would cost more than a small update's own statements);
- WAL checkpoints, which write pages back and fsync: SQLite's automatic checkpoint (run inside
  a COMMIT) is off, and every `CHECKPOINT_EVERY` commits a passive checkpoint runs in the worker
  thread. A COMMIT itself, with synchronous=NORMAL in WAL mode, only appends to the WAL (no
  fsync); a process crash (kill -9) keeps every committed transaction.
Inside `BEGIN IMMEDIATE` this process holds the write lock, so its statements never wait for a
lock; reads outside a transaction (`Database.read`) run on the loop too, as in WAL mode readers do
not wait for writers (in the rare moments they must, during another connection's WAL recovery,
the read is tried again in the worker thread, waiting). The write lock keeps the two threads from
ever using the connection at once.

Batches. BEGIN IMMEDIATE and COMMIT cost more than a small update's own statements, so the poller
opens one transaction for a polled batch of updates (`Database.batch`), and each update's own
`transaction()` inside it, opened by the same asyncio task, is a savepoint (SAVEPOINT … RELEASE,
or ROLLBACK TO if its block raises): one failing update never undoes the others, and nothing is
visible to others, nor confirmed to Telegram, before the batch's COMMIT. The write lock is not
reentrant, so "the same task" is decided by task identity (a task started inside the batch, which
would inherit a context variable, is another writer and waits). `after_commit` callbacks of the
savepoints run after the outer COMMIT, and only those of savepoints that were released.

Caches kept across transactions (the member roster, dialogs) learn what to forget through
`watch` (see bot/storage/change_watch.py); every rollback makes them forget everything.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.domain.errors import StorageBusy, StorageError
from bot.storage.change_watch import ChangeWatch, Forget

# `name as name`: re-exported, so repositories and tests import them from here.
from bot.storage.db_time import from_db_time as from_db_time
from bot.storage.db_time import optional_time as optional_time
from bot.storage.db_time import to_db_time as to_db_time
from bot.storage.driver_errors import domain_error, is_busy, translated_errors
from bot.storage.schema_migrations import apply_migrations
from bot.storage.schema_migrations import available_migrations as available_migrations
from bot.storage.transaction import Params
from bot.storage.transaction import Tx as Tx

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000  # how long the worker thread waits for another process's write lock
CHECKPOINT_EVERY = 200  # commits between WAL checkpoints (SQLite's own: about every 1000 pages)
_Cache = TypeVar("_Cache")


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
        self._serial = 0  # outer transactions begun, naming the open one for the caches
        self._changes = ChangeWatch(direct)
        self._caches: dict[object, object] = {}  # see `shared`

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
            await apply_migrations(db._conn)
            await db._conn.execute("PRAGMA busy_timeout=0")  # see the module docstring
            await db._conn.executescript(db._changes.trigger_script())
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
        # Opening and migrating wait for other processes; `open` sets 0 once they are done.
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Checkpoints run in the worker thread (see the module docstring), not inside a COMMIT.
        await self._conn.execute("PRAGMA wal_autocheckpoint=0")

    def shared(self, kind: Callable[[Database], _Cache]) -> _Cache:
        """The one cache of this `kind` kept for this database (made on first use)."""
        found = self._caches.get(kind)
        if found is None:
            found = self._caches[kind] = kind(self)
        return cast("_Cache", found)

    def watch(self, table: str, forget: Forget) -> None:
        """Tell `forget` which rows of `table` may have changed (see `ChangeWatch`)."""
        self._changes.watch(table, forget)

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
            # A savepoint, inline rather than a context manager of its own: one per update.
            outer = self._open_tx
            if outer is None or not self._direct.in_transaction:
                # SQLite undid the outer transaction itself (after a disk error, say): a
                # savepoint now would be a transaction of its own, committed outside the batch.
                raise StorageError("the enclosing transaction is gone")
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            tx = Tx(self, outer.serial)
            try:
                try:
                    self._direct.execute(f"SAVEPOINT {name}")
                except sqlite3.Error as exc:
                    raise domain_error(exc) from exc
                try:
                    yield tx
                except BaseException:
                    # Through aiosqlite: it follows a `fetch_long` still running in the worker
                    # thread.
                    await asyncio.shield(self._rollback_to(name))
                    raise
                try:
                    self._direct.execute(f"RELEASE {name}")
                except sqlite3.Error as exc:
                    raise domain_error(exc) from exc
            finally:
                self._savepoints -= 1
            outer.after_commit.extend(tx.after_commit)  # they wait for the outer COMMIT
            self._count_commit()
            return
        async with self._write_lock:
            self._serial += 1
            tx = Tx(self, self._serial)
            try:
                with translated_errors():
                    if not self._begin_at_once():
                        await self._begin_waiting()
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
                self._direct.execute("COMMIT")
            except sqlite3.Error as exc:
                await asyncio.shield(self._rollback())
                raise domain_error(exc) from exc
            self._count_commit()
        for callback in tx.after_commit:
            callback()

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """One write transaction around many: each `transaction()` this task opens inside it is
        a savepoint (SAVEPOINT … RELEASE), undone alone (ROLLBACK TO) if its block raises,
        committed with the batch.

        Committing once for a polled batch of updates instead of once per update saves the
        BEGIN/COMMIT work of each; `after_commit` callbacks run after the batch's COMMIT. Other
        tasks' transactions wait for the whole batch, as for any transaction: keep it short.
        """
        async with self.transaction():
            yield

    async def _rollback_to(self, name: str) -> None:
        self._changes.forget_all()
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
        try:
            self._direct.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                return False
            raise
        return True

    async def _begin_waiting(self) -> None:
        """BEGIN IMMEDIATE in the worker thread, waiting up to BUSY_TIMEOUT_MS for the lock."""
        async with self._waiting_for_locks():
            await self._conn.execute("BEGIN IMMEDIATE")

    @asynccontextmanager
    async def _waiting_for_locks(self) -> AsyncIterator[None]:
        """The worker thread's statements in this block wait up to BUSY_TIMEOUT_MS for another
        process's lock; the connection never waits otherwise (see the module docstring)."""
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            yield
        finally:
            # Shielded: queued behind the block's statements, it runs even if the task is
            # cancelled.
            await asyncio.shield(self._conn.execute("PRAGMA busy_timeout=0"))

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
        self._changes.forget_all()
        try:
            await self._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # the BEGIN itself failed: nothing to roll back

    async def read(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query outside any write transaction (or inside this task's own)."""
        if self._owner is not None and self._owner is asyncio.current_task():
            return _fetch(self._direct, sql, params)
        async with self._write_lock:
            try:
                return _fetch(self._direct, sql, params)
            except StorageBusy:
                pass  # another connection is recovering the WAL: wait for it off the loop
            async with self._waiting_for_locks():
                with translated_errors():
                    return list(await self._conn.execute_fetchall(sql, params))


def _fetch(conn: sqlite3.Connection, sql: str, params: Params) -> list[sqlite3.Row]:
    with translated_errors():
        return conn.execute(sql, params).fetchall()
