"""Meeting recurrences computed with APScheduler's CronTrigger in the commune's zone (UTC+7 all
year: Vietnam has no daylight saving time). Month ends: a day of 29–31 falls on a shorter
month's last day, so a "day 31" meeting happens every month."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.meetings import Recurrence, RecurrenceKind
from bot.scheduler import next_occurrences

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONTHLY, QUARTERLY = RecurrenceKind.MONTHLY, RecurrenceKind.QUARTERLY


def local(text: str) -> datetime:
    """A local time in the commune as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


def starts(rule: Recurrence, after: str, count: int = 4) -> list[str]:
    """The next starts as local "YYYY-MM-DD HH:MM" strings."""
    found = next_occurrences(rule, local(after), count, TZ)
    return [f"{moment.astimezone(TZ):%Y-%m-%d %H:%M}" for moment in found]


def test_monthly_on_a_day_at_the_local_time() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), day=5)
    assert starts(rule, "2026-11-27 09:00", 3) == [
        "2026-12-05 08:00",
        "2027-01-05 08:00",
        "2027-02-05 08:00",
    ]


def test_results_are_utc_instants_seven_hours_behind() -> None:
    (first,) = next_occurrences(Recurrence(MONTHLY, time(8, 0), day=5), local("2027-01-01"), 1, TZ)
    assert first == datetime(2027, 1, 5, 1, 0, tzinfo=UTC)


def test_an_occurrence_at_the_exact_moment_is_not_after_it() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), day=5)
    assert starts(rule, "2027-01-05 08:00", 1) == ["2027-02-05 08:00"]


def test_day_31_falls_on_the_last_day_of_shorter_months() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), day=31)
    assert starts(rule, "2027-01-01 00:00", 4) == [
        "2027-01-31 08:00",
        "2027-02-28 08:00",
        "2027-03-31 08:00",
        "2027-04-30 08:00",
    ]


def test_day_29_in_february_of_a_leap_year_and_of_a_common_year() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), day=29)
    assert starts(rule, "2028-02-01 00:00", 2) == ["2028-02-29 08:00", "2028-03-29 08:00"]
    assert starts(rule, "2027-02-01 00:00", 2) == ["2027-02-28 08:00", "2027-03-29 08:00"]


def test_a_clamped_day_already_past_moves_to_the_next_month() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), day=30)
    assert starts(rule, "2027-02-28 09:00", 1) == ["2027-03-30 08:00"]


def test_the_nth_weekday_of_the_month() -> None:
    rule = Recurrence(MONTHLY, time(14, 30), weekday="mon", week=1)
    assert starts(rule, "2026-11-27 00:00", 3) == [
        "2026-12-07 14:30",
        "2027-01-04 14:30",
        "2027-02-01 14:30",
    ]


def test_the_last_weekday_of_the_month() -> None:
    rule = Recurrence(MONTHLY, time(8, 0), weekday="fri", week=-1)
    assert starts(rule, "2027-01-01 00:00", 3) == [
        "2027-01-29 08:00",
        "2027-02-26 08:00",
        "2027-03-26 08:00",
    ]


def test_quarterly_in_the_chosen_month_of_each_quarter() -> None:
    rule = Recurrence(QUARTERLY, time(8, 0), day=25, month_of_quarter=3)
    assert starts(rule, "2026-11-27 00:00", 4) == [
        "2026-12-25 08:00",
        "2027-03-25 08:00",
        "2027-06-25 08:00",
        "2027-09-25 08:00",
    ]


def test_quarterly_on_day_31_clamps_in_june_and_september() -> None:
    rule = Recurrence(QUARTERLY, time(8, 0), day=31, month_of_quarter=3)
    assert starts(rule, "2027-01-01 00:00", 4) == [
        "2027-03-31 08:00",
        "2027-06-30 08:00",
        "2027-09-30 08:00",
        "2027-12-31 08:00",
    ]


def test_a_late_evening_local_start_is_the_previous_day_in_utc() -> None:
    rule = Recurrence(MONTHLY, time(6, 0), day=1)
    (first,) = next_occurrences(rule, local("2027-01-15 00:00"), 1, TZ)
    assert first == datetime(2027, 1, 31, 23, 0, tzinfo=UTC)
