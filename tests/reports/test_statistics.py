"""SqliteStatsRepo on a real SQLite file: the figures of a seeded November, exactly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.domain.reports import Period, RatingSummary, Statistics
from bot.storage.database import Database
from bot.storage.stats import SqliteStatsRepo
from tests.reports.seed import NOW, TZ, open_database, sample_config, seed_november

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return sample_config(tmp_path)


@pytest.fixture
async def db(config: Config) -> AsyncIterator[Database]:
    database = await open_database(config)
    async with database.transaction() as tx:
        await seed_november(tx)
    yield database
    await database.close()


async def statistics(db: Database, period: Period) -> Statistics:
    start, end = period.utc_bounds(TZ)
    async with db.transaction() as tx:
        return await SqliteStatsRepo(tx).statistics(start, end, NOW)


async def test_counts_cover_the_cases_received_in_the_local_month(db: Database) -> None:
    stats = await statistics(db, NOVEMBER)

    assert stats.received == 6
    assert stats.by_state == {
        "received": 2,
        "answered": 1,
        "closed": 1,
        "in_progress": 1,
        "rejected": 1,
    }
    assert stats.by_field == {"dat-dai": 3, "moi-truong": 2, "an-ninh": 1}
    assert stats.by_village == {"Thôn Đông": 3, "Thôn Tây": 2, None: 1}
    assert stats.by_assignee == {"lan": 2, "minh": 1, "hung": 1, None: 2}
    assert stats.by_field_and_state == {
        ("dat-dai", "answered"): 1,
        ("dat-dai", "closed"): 1,
        ("dat-dai", "rejected"): 1,
        ("moi-truong", "in_progress"): 1,
        ("moi-truong", "received"): 1,
        ("an-ninh", "received"): 1,
    }


async def test_medians_run_from_receipt_to_first_member_action_and_first_answer(
    db: Database,
) -> None:
    stats = await statistics(db, NOVEMBER)

    assert stats.median_first_response == timedelta(hours=3)
    assert stats.median_answer == timedelta(days=3)


async def test_deadlines_count_on_time_late_and_overdue_including_a_reopened_case(
    db: Database,
) -> None:
    stats = await statistics(db, NOVEMBER)

    assert (stats.answered_on_time, stats.answered_late) == (2, 1)
    assert stats.overdue == 2


async def test_ratings_take_each_cases_latest_score_and_verdict(db: Database) -> None:
    stats = await statistics(db, NOVEMBER)

    assert stats.ratings == RatingSummary(count=3, average=3.33, resolved=2, unresolved=1)
    assert stats.reopened == 2


async def test_a_day_period_in_local_time_excludes_the_same_utc_day(db: Database) -> None:
    # MT-261201-0001-GG was received at 00:30 on 1 December local time, 30 November in UTC.
    last_day = await statistics(db, Period(date(2026, 11, 30), date(2026, 11, 30)))
    first_of_december = await statistics(db, Period(date(2026, 12, 1), date(2026, 12, 1)))

    assert last_day.received == 0
    assert first_of_december.received == 1


async def test_an_empty_period_has_zeros_and_no_medians(db: Database) -> None:
    stats = await statistics(db, Period(date(2025, 1, 1), date(2025, 12, 31)))

    assert stats == Statistics()
    assert stats.median_first_response is None
    assert stats.ratings.average is None


async def test_without_rating_events_ratings_and_reopens_are_zero(config: Config) -> None:
    # A fresh mailbox, before citizens rate anything: the report still works.
    config = sample_config(config.storage.path.parent / "fresh")
    database = await open_database(config)
    try:
        stats = await statistics(database, NOVEMBER)
    finally:
        await database.close()

    assert stats.ratings == RatingSummary()
    assert stats.reopened == 0
