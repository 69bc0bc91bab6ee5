"""Numbered migrations: applied in order from an empty file, recorded, and never twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.storage.database import Database, available_migrations

EXPECTED_TABLES = {
    "attachments",
    "audit_log",
    "case_events",
    "case_exclusions",
    "case_messages",
    "case_reminders",
    "cases",
    "citizens",
    "daily_sequences",
    "dialogs",
    "members",
    "message_links",
    "meta",
    "outbox",
    "processed_updates",
    "schema_migrations",
}


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [version for version, _name, _sql in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))


async def test_an_empty_file_is_brought_to_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(available_migrations())
    finally:
        await db.close()
    assert EXPECTED_TABLES <= tables(path)


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite3"
    for _ in range(2):
        db = await Database.open(path)
        await db.close()
    with sqlite3.connect(path) as conn:
        applied = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert applied == len(available_migrations())


async def test_database_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "wal.sqlite3")
    try:
        [[mode]] = await db.read("PRAGMA journal_mode")
        [[keys]] = await db.read("PRAGMA foreign_keys")
    finally:
        await db.close()
    assert mode == "wal"
    assert keys == 1


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "rollback.sqlite3")
    try:
        try:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        rows = await db.read("SELECT * FROM meta")
        async with db.transaction() as tx:  # the connection is usable again
            await tx.execute("INSERT INTO meta (key, value) VALUES ('c', 'd')")
    finally:
        await db.close()
    assert rows == []
