"""Suite-wide settings, and the fixture most storage and outbox tests start from."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# Read RetryAfter.retry_after as a timedelta; without it PTB warns, and warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in tmp_path, closed after the test."""
    database = await Database.open(tmp_path / "t.sqlite3")
    yield database
    await database.close()
