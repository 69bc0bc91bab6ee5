"""The one SQLite database: a single writer connection in WAL mode, numbered migrations.

Where each statement runs. A point query or insert on cached pages takes a few microseconds; a hop
to aiosqlite's worker thread and back costs about 35 µs of CPU plus an event-loop wake-up. So
statements run on the event loop's thread, directly on the connection, and the worker thread
keeps only what may *wait*:
- opening, migrations and closing;
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

Caches kept across transactions (the member roster, dialogs) learn what to forget through
`watch` (see bot/storage/change_watch.py); every rollback makes them forget everything.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.domain.errors import StorageBusy, StorageError
from bot.storage.change_watch import ChangeWatch, Forget

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
BUSY_TIMEOUT_MS = 5000  # how long the worker thread waits for another process's write lock
CHECKPOINT_EVERY = 200  # commits between WAL checkpoints (SQLite's own: about every 1000 pages)
_Cache = TypeVar("_Cache")


# Equal instants give the same text, and one update stores its `now` a dozen times.
@functools.lru_cache(maxsize=64)
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
            await db._migrate()
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
                    raise _domain_error(exc) from exc
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
                    raise _domain_error(exc) from exc
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
                raise _domain_error(exc) from exc
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
            if _is_busy(exc):
                return False
            raise
        return True

    async def _begin_waiting(self) -> None:
        """BEGIN IMMEDIATE in the worker thread, waiting up to BUSY_TIMEOUT_MS for the lock."""
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
        finally:
            # Shielded: queued behind the BEGIN, it runs even if this task is cancelled.
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
            await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                with translated_errors():
                    return list(await self._conn.execute_fetchall(sql, params))
            finally:
                await asyncio.shield(self._conn.execute("PRAGMA busy_timeout=0"))


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
            raise _domain_error(exc) from exc

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
            raise _domain_error(exc) from exc
        cursor.close()  # a statement left unfinished would block COMMIT
        return row

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new rowid."""
        try:
            cursor = self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _domain_error(exc) from exc
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
            raise _domain_error(exc) from exc
        return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> int:
        """Run one statement for many parameter rows; how many rows it changed in all."""
        try:
            cursor = self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _domain_error(exc) from exc
        count = cursor.rowcount
        cursor.close()
        return count


def _fetch(conn: sqlite3.Connection, sql: str, params: Params) -> list[sqlite3.Row]:
    with translated_errors():
        return conn.execute(sql, params).fetchall()


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the driver's errors into domain errors where they enter the adapter."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _domain_error(exc) from exc


def _domain_error(exc: sqlite3.Error) -> StorageError:
    if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
        return StorageBusy(str(exc))
    return StorageError(str(exc))


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text
