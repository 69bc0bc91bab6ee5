"""Stored instants: sortable UTC text in one fixed format, read back exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage.db_time import _TIME_FORMAT, from_db_time, to_db_time

VIETNAM = timezone(timedelta(hours=7))


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)),
    st.sampled_from([UTC, VIETNAM, timezone(timedelta(hours=-5, minutes=-30))]),
)
def test_every_instant_is_stored_in_the_one_format_and_read_back(
    local: datetime, zone: timezone
) -> None:
    instant = local.replace(tzinfo=zone)
    stored = to_db_time(instant)
    assert stored == instant.astimezone(UTC).strftime(_TIME_FORMAT)
    assert from_db_time(stored) == instant
    assert from_db_time(stored).tzinfo is UTC


def test_whole_seconds_keep_their_microseconds_so_text_order_is_time_order() -> None:
    whole = datetime(2026, 11, 27, 7, 0, tzinfo=VIETNAM)
    stored = to_db_time(whole)
    assert stored == "2026-11-27T00:00:00.000000Z"
    assert stored < to_db_time(whole + timedelta(microseconds=1))


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        to_db_time(datetime(2026, 11, 27, 7, 0))
