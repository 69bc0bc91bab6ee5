"""Numbered migrations: the SQL files in bot/storage/migrations, applied in order, each once.

Each migration runs in its own transaction with the row that records it in `schema_migrations`,
so a migration is either applied and recorded or not applied at all.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from importlib import resources

import aiosqlite

from bot.domain.errors import StorageError
from bot.storage.db_time import to_db_time

log = logging.getLogger(__name__)


def available_migrations() -> list[tuple[int, str, str]]:
    """Numbered migrations shipped with the package, in order: (version, name, sql)."""
    folder = resources.files("bot.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def apply_migrations(conn: aiosqlite.Connection) -> None:
    """Apply the migrations not applied yet to the database of `conn`, in order."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await conn.execute_fetchall("SELECT version FROM schema_migrations")
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
            await conn.executescript(statements)
        except sqlite3.Error as exc:
            await conn.execute("ROLLBACK")
            raise StorageError(f"migration {name} failed: {exc}") from exc
