"""Storage test helpers (the `db` fixture is suite-wide: tests/conftest.py)."""

from __future__ import annotations

from bot.storage.database import Database


async def stored_keys(db: Database) -> list[str]:
    """The test rows (meta keys starting with "k"), in order."""
    rows = await db.read("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")
    return [row["key"] for row in rows]
