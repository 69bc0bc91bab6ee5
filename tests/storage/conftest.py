"""Storage fixtures: a fresh database file, and what another reader would find in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in tmp_path, closed after the test."""
    database = await Database.open(tmp_path / "t.sqlite3")
    yield database
    await database.close()


async def stored_keys(db: Database) -> list[str]:
    """The test rows (meta keys starting with "k"), in order."""
    rows = await db.read("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")
    return [row["key"] for row in rows]
