"""Instants as the database stores them: sortable UTC text with microseconds, read back aware."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


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
