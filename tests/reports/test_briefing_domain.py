"""The pack's period and moments (pure): where a pack starts, which reminder brings it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.briefing import FIRST_LOOKBACK, PackMoment, briefing_since, pack_moments

START = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
REMINDERS = [START - timedelta(days=3), START - timedelta(days=1), START - timedelta(hours=2)]


def test_the_period_starts_at_the_previous_meeting_or_thirty_days_back() -> None:
    previous = START - timedelta(days=35)
    assert briefing_since(previous, START) == previous
    assert briefing_since(None, START) == START - FIRST_LOOKBACK == START - timedelta(days=30)


def test_the_first_and_last_reminders_bring_the_pack_and_the_middle_one_does_not() -> None:
    first, middle, last = REMINDERS
    assert pack_moments(first, REMINDERS) == {PackMoment.FIRST}
    assert pack_moments(middle, REMINDERS) == set()
    assert pack_moments(last, REMINDERS) == {PackMoment.LAST}
    assert pack_moments(first, [first]) == {PackMoment.FIRST, PackMoment.LAST}
    assert pack_moments(first, []) == set()
