"""The database adapter: statements on the event loop, waits for the write lock off it."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.domain.errors import StorageBusy, StorageError
from bot.storage.database import CHECKPOINT_EVERY, Database
from tests.storage.conftest import stored_keys


async def test_a_committed_transaction_is_read_back_by_another_connection(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'a')")
        rowid = await tx.insert("INSERT INTO meta (key, value) VALUES ('k2', 'b')")
        assert rowid > 0
        assert await tx.execute("UPDATE meta SET value = 'c' WHERE key LIKE 'k%'") == 2
        row = await tx.fetch_one("SELECT value FROM meta WHERE key = 'k1'")
        assert row is not None and row["value"] == "c"

    outsider = sqlite3.connect(db.path)
    try:
        assert outsider.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 2
    finally:
        outsider.close()


async def test_a_failing_statement_rolls_back_the_whole_transaction(db: Database) -> None:
    with pytest.raises(StorageError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'a')")
            await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'duplicate')")
    assert await stored_keys(db) == []
    async with db.transaction() as tx:  # the connection is usable again
        await tx.execute_many("INSERT INTO meta (key, value) VALUES (?, ?)", [("k3", "x")])
    assert await stored_keys(db) == ["k3"]


@pytest.mark.slow
async def test_waiting_for_a_lock_held_by_another_process_does_not_freeze_the_bot(
    db: Database,
) -> None:
    """BEGIN waits in the worker thread: polling and sending go on meanwhile."""
    outsider = sqlite3.connect(db.path, isolation_level=None)
    outsider.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    try:
        loop = asyncio.get_running_loop()
        began = loop.time()
        release = loop.call_later(1.0, outsider.execute, "ROLLBACK")
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'a')")
        assert loop.time() - began >= 0.9  # it did wait for the lock...
        assert ticks >= 10  # ...while the event loop kept running
        release.cancel()
    finally:
        beating.cancel()
        outsider.close()
    assert await stored_keys(db) == ["k1"]


@pytest.mark.slow
async def test_a_lock_held_past_the_busy_timeout_is_reported_as_busy(db: Database) -> None:
    outsider = sqlite3.connect(db.path, isolation_level=None)
    outsider.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageBusy):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'a')")
    finally:
        outsider.execute("ROLLBACK")
        outsider.close()
    assert await stored_keys(db) == []


async def test_commits_reach_the_database_file_at_regular_checkpoints(db: Database) -> None:
    """Committed data lives in the WAL until a checkpoint copies it into the database file."""

    async def commit_one(number: int) -> None:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{number:04}", "x" * 4000)
            )

    for number in range(CHECKPOINT_EVERY - 1):
        await commit_one(number)
    size_before = db.path.stat().st_size
    assert size_before < CHECKPOINT_EVERY * 4000  # the rows are in the WAL only
    await commit_one(CHECKPOINT_EVERY - 1)  # this one starts a checkpoint in the background
    for _ in range(100):
        if db.path.stat().st_size > CHECKPOINT_EVERY * 4000:
            break
        await asyncio.sleep(0.05)
    size_after_checkpoint = db.path.stat().st_size
    assert size_after_checkpoint > CHECKPOINT_EVERY * 4000
    for number in range(CHECKPOINT_EVERY, CHECKPOINT_EVERY + 50):
        await commit_one(number)
    assert db.path.stat().st_size == size_after_checkpoint  # the new rows wait in the WAL
    assert len(await stored_keys(db)) == CHECKPOINT_EVERY + 50


# A query that keeps SQLite busy for a while (counting to three hundred thousand).
SLOW_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
    " SELECT COUNT(*) AS total FROM n"
)


async def ticks_during(query: object) -> tuple[int, int]:
    """How often another task ran while the query did, and the query's answer."""
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            await asyncio.sleep(0)
            ticks += 1

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # the ticker is running
    ticks = 0
    rows = await query  # type: ignore[misc]
    done.set()
    counted = ticks
    await task
    return counted, rows[0]["total"]


async def test_a_report_query_leaves_the_event_loop_free_for_other_chats(db: Database) -> None:
    async with db.transaction() as tx:
        on_loop, total = await ticks_during(tx.fetch(SLOW_QUERY))
        assert total == 300_000 and on_loop == 0  # a point query blocks, briefly
        off_loop, total = await ticks_during(tx.fetch_long(SLOW_QUERY))
        assert total == 300_000 and off_loop > 0  # other tasks ran meanwhile
        await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'after')")
    assert await stored_keys(db) == ["k1"]


async def test_a_failing_report_query_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StorageError):
        async with db.transaction() as tx:
            await tx.fetch_long("SELECT * FROM no_such_table")
    assert await stored_keys(db) == []
