"""Pruning: old sent outbox rows and old update ids go; newer, unsent and failed rows stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, parse_config, sample_config_text
from bot.storage.database import Database, to_db_time
from bot.storage.retention import BATCH_ROWS, StoredRetention
from bot.storage.unit_of_work import SqliteStorage

NOW = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=10)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "retention.sqlite3")
    try:
        yield database
    finally:
        await database.close()


async def add_outbox(db: Database, status: str, created: datetime, count: int = 1) -> None:
    stamp = to_db_time(created)
    async with db.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO outbox (channel, chat_id, payload, status, next_attempt_at, created_at,"
            " sent_at) VALUES ('telegram', ?, '{}', ?, ?, ?, ?)",
            [
                (str(n), status, stamp, stamp, stamp if status == "sent" else None)
                for n in range(count)
            ],
        )


async def claim(db: Database, update_id: str, at: datetime) -> bool:
    async with SqliteStorage(db).transaction() as uow:
        return await uow.claim_update("telegram", update_id, at)


async def outbox(db: Database) -> list[tuple[str, str]]:
    rows = await db.read("SELECT status, created_at FROM outbox ORDER BY id")
    return [(row["status"], row["created_at"]) for row in rows]


async def test_sent_rows_older_than_retention_are_deleted_and_the_rest_kept(db: Database) -> None:
    await add_outbox(db, "sent", OLD)
    await add_outbox(db, "failed", OLD)
    await add_outbox(db, "pending", OLD)
    await add_outbox(db, "sent", OLD)
    await add_outbox(db, "sent", RECENT)
    await add_outbox(db, "pending", RECENT)
    deleted = await StoredRetention(db, 30).prune(NOW)
    assert deleted == 2
    assert await outbox(db) == [
        ("failed", to_db_time(OLD)),
        ("pending", to_db_time(OLD)),
        ("sent", to_db_time(RECENT)),
        ("pending", to_db_time(RECENT)),
    ]


async def test_old_update_ids_go_and_a_recent_redelivery_is_still_recognised(
    db: Database,
) -> None:
    assert await claim(db, "1", OLD)
    assert await claim(db, "2", RECENT)
    assert await claim(db, "3", NOW - timedelta(hours=20))
    await StoredRetention(db, 30).prune(NOW)
    rows = await db.read("SELECT update_id FROM processed_updates ORDER BY rowid")
    assert [row["update_id"] for row in rows] == ["2", "3"]
    assert not await claim(db, "3", NOW)  # Telegram delivering it again changes nothing


async def test_a_large_backlog_is_pruned_in_many_small_batches(db: Database) -> None:
    await add_outbox(db, "sent", OLD, count=3 * BATCH_ROWS + 7)
    await add_outbox(db, "sent", RECENT, count=3)
    retention = StoredRetention(db, 30)
    assert await retention.prune(NOW) == 3 * BATCH_ROWS + 7
    assert len(await outbox(db)) == 3
    assert await retention.prune(NOW) == 0


async def test_a_row_sent_after_an_earlier_sweep_is_pruned_by_a_later_one(db: Database) -> None:
    await add_outbox(db, "pending", OLD)
    retention = StoredRetention(db, 30)
    assert await retention.prune(NOW) == 0
    await add_outbox(db, "sent", OLD + timedelta(days=1))
    assert await retention.prune(NOW) == 1
    assert [status for status, _ in await outbox(db)] == ["pending"]


def test_retention_shorter_than_telegram_redelivery_is_a_config_error(tmp_path: Path) -> None:
    text = sample_config_text().replace("retention_days = 90", "retention_days = 1")
    with pytest.raises(ConfigError, match=r"storage\.retention_days"):
        parse_config(text, tmp_path / "config.toml", env={})
    keep_all = sample_config_text().replace("retention_days = 90", "retention_days = 0")
    assert parse_config(keep_all, tmp_path / "config.toml", env={}).storage.retention_days == 0
