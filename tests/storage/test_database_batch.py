"""A batch: one write transaction around many, each of the owner task's transactions a savepoint."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.domain.errors import StorageError
from bot.storage.database import CHECKPOINT_EVERY, Database
from tests.storage.conftest import stored_keys


def keys_seen_by_another_process(db: Database) -> list[str]:
    outsider = sqlite3.connect(db.path)
    try:
        rows = outsider.execute("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")
        return [row[0] for row in rows]
    finally:
        outsider.close()


async def put(db: Database, key: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (key,))


async def test_a_failing_transaction_in_a_batch_is_undone_alone(db: Database) -> None:
    async with db.batch():
        await put(db, "k1")
        with pytest.raises(StorageError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('k2', 'x')")
                await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'duplicate')")
        await put(db, "k3")
        assert keys_seen_by_another_process(db) == []  # nothing committed before the batch ends
    assert keys_seen_by_another_process(db) == ["k1", "k3"]


async def test_a_transaction_nested_in_a_transaction_is_a_savepoint(db: Database) -> None:
    async with db.transaction() as outer:
        await outer.execute("INSERT INTO meta (key, value) VALUES ('k1', 'x')")
        with pytest.raises(ValueError):
            async with db.transaction() as inner:
                await inner.execute("INSERT INTO meta (key, value) VALUES ('k2', 'x')")
                raise ValueError("the inner block fails")
        async with db.transaction() as inner:
            await inner.execute("INSERT INTO meta (key, value) VALUES ('k3', 'x')")
            async with db.transaction() as innermost:
                await innermost.execute("INSERT INTO meta (key, value) VALUES ('k4', 'x')")
    assert await stored_keys(db) == ["k1", "k3", "k4"]


async def test_a_batch_that_raises_undoes_every_transaction_in_it(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.batch():
            await put(db, "k1")
            await put(db, "k2")
            raise RuntimeError("cut short")
    assert await stored_keys(db) == []
    await put(db, "k3")  # the connection is usable again
    assert await stored_keys(db) == ["k3"]


async def test_after_commit_callbacks_wait_for_the_batch_and_skip_undone_ones(
    db: Database,
) -> None:
    woken: list[str] = []
    async with db.batch():
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('k1', 'x')")
            tx.after_commit.append(lambda: woken.append("k1"))
        with pytest.raises(ValueError):
            async with db.transaction() as tx:
                tx.after_commit.append(lambda: woken.append("k2"))
                raise ValueError("undone")
        assert woken == []
    assert woken == ["k1"]


async def test_other_tasks_wait_for_the_whole_batch(db: Database) -> None:
    async with db.batch():
        await put(db, "k1")
        # A task started inside the batch is not part of it: it waits like any other writer.
        other = asyncio.create_task(put(db, "k2"))
        reader = asyncio.create_task(stored_keys(db))
        await asyncio.sleep(0.05)
        assert not other.done() and not reader.done()
        await put(db, "k3")
        assert await stored_keys(db) == ["k1", "k3"]  # the owner reads its own writes
    await other
    assert {"k1", "k3"} <= set(await reader)  # read after the batch's COMMIT
    assert keys_seen_by_another_process(db) == ["k1", "k2", "k3"]


async def test_a_long_report_query_runs_inside_a_batch(db: Database) -> None:
    async with db.batch():
        await put(db, "k1")
        async with db.transaction() as tx:
            rows = await tx.fetch_long("SELECT COUNT(*) AS n FROM meta WHERE key LIKE 'k%'")
            assert rows[0]["n"] == 1
        with pytest.raises(StorageError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('k2', 'x')")
                await tx.fetch_long("SELECT * FROM no_such_table")
        await put(db, "k3")
    assert await stored_keys(db) == ["k1", "k3"]


async def test_transactions_in_batches_still_reach_the_file_at_checkpoints(db: Database) -> None:
    async with db.batch():
        for number in range(CHECKPOINT_EVERY):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{number:04}", "x" * 4000)
                )
        await asyncio.sleep(0.05)
        assert db.path.stat().st_size < CHECKPOINT_EVERY * 4000  # the checkpoint waits
    for _ in range(100):
        if db.path.stat().st_size > CHECKPOINT_EVERY * 4000:
            break
        await asyncio.sleep(0.05)
    assert db.path.stat().st_size > CHECKPOINT_EVERY * 4000
    assert len(await stored_keys(db)) == CHECKPOINT_EVERY
