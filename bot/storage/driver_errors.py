"""The SQLite driver's errors turned into domain errors where they enter the adapter.

A locked or busy database becomes `StorageBusy` (another process holds the write lock, or is
recovering the WAL); every other driver error becomes `StorageError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.domain.errors import StorageBusy, StorageError


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the driver's errors into domain errors where they enter the adapter."""
    try:
        yield
    except sqlite3.Error as exc:
        raise domain_error(exc) from exc


def domain_error(exc: sqlite3.Error) -> StorageError:
    """The domain error for a driver error: `StorageBusy` if the database was locked."""
    if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
        return StorageBusy(str(exc))
    return StorageError(str(exc))


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether the statement failed because another connection holds a lock."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text
