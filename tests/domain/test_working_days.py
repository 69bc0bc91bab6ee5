"""The Vietnamese working-day calendar, and deadlines, pauses and reminders counted on it."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.working_days import (
    DAY_KINDS,
    HOLIDAY_DATA,
    LOCAL_HOLIDAY_NAME,
    DayKind,
    WorkingCalendar,
    answer_due_at,
    end_of_day,
    extend_for_pause,
    load_vietnam_calendar,
    parse_holiday_data,
    reminder_moments,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+7 all year
CALENDAR = load_vietnam_calendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in the commune, as the UTC instant the bot stores."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def end_of(year: int, month: int, day: int) -> datetime:
    """23:59:59.999999 local on that day, as UTC."""
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=TZ).astimezone(UTC)


def days(first: date, last: date) -> list[date]:
    """Every date from `first` to `last`, both included."""
    return [first + timedelta(k) for k in range((last - first).days + 1)]


def packaged_entries() -> dict[str, list[dict[str, object]]]:
    text = resources.files("bot.domain").joinpath(HOLIDAY_DATA).read_text(encoding="utf-8")
    return tomllib.loads(text)


# --- which days are working days ----------------------------------------------------------------


def test_weekdays_are_working_days_and_weekends_are_not() -> None:
    week = days(date(2026, 3, 9), date(2026, 3, 15))  # Monday to Sunday, no holiday

    assert [CALENDAR.is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_every_day_of_the_announced_tet_2026_break_is_off() -> None:
    # Thông báo 9441/TB-BNV: Saturday 14/2 (27 Chạp) to Sunday 22/2/2026 (mùng 6).
    for day in days(date(2026, 2, 14), date(2026, 2, 22)):
        assert not CALENDAR.is_working_day(day), day


def test_the_days_around_tet_2026_are_working_days() -> None:
    assert CALENDAR.is_working_day(date(2026, 2, 13))  # Friday before
    assert CALENDAR.is_working_day(date(2026, 2, 23))  # Monday after


def test_tet_2026_weekdays_are_named_and_its_weekends_are_plain_weekends() -> None:
    for day in days(date(2026, 2, 16), date(2026, 2, 20)):
        assert CALENDAR.holiday_name(day) == "Tết Nguyên Đán"
    assert CALENDAR.holiday_name(date(2026, 2, 14)) is None
    assert CALENDAR.holiday_name(date(2026, 2, 23)) is None


@pytest.mark.parametrize(
    ("worked", "swapped"),
    [
        (date(2024, 5, 4), date(2024, 4, 29)),
        (date(2025, 4, 26), date(2025, 5, 2)),
        (date(2026, 1, 10), date(2026, 1, 2)),
        (date(2026, 8, 22), date(2026, 8, 31)),
    ],
    ids=str,
)
def test_a_make_up_saturday_is_a_working_day_and_the_swapped_weekday_is_off(
    worked: date, swapped: date
) -> None:
    assert worked.weekday() == 5
    assert CALENDAR.is_working_day(worked)
    assert not CALENDAR.is_working_day(swapped)


def test_a_holiday_on_a_sunday_gives_the_monday_off() -> None:
    assert CALENDAR.holiday_name(date(2026, 4, 26)) == "Giỗ Tổ Hùng Vương"
    assert not CALENDAR.is_working_day(date(2026, 4, 27))


def test_quoc_khanh_2026_break_runs_saturday_to_wednesday() -> None:
    for day in days(date(2026, 8, 29), date(2026, 9, 2)):
        assert not CALENDAR.is_working_day(day), day
    assert CALENDAR.is_working_day(date(2026, 9, 3))


def test_a_custom_weekend_is_respected() -> None:
    six_day_week = WorkingCalendar({}, weekend=(6,))

    assert six_day_week.is_working_day(date(2026, 3, 14))  # Saturday
    assert not six_day_week.is_working_day(date(2026, 3, 15))


# --- counting working days -----------------------------------------------------------------------


def test_one_working_day_after_the_friday_before_tet_is_the_monday_after_it() -> None:
    assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CALENDAR.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_counting_across_the_year_end_skips_new_year_and_the_swapped_friday() -> None:
    # 1/1/2026 Thursday is Tết Dương lịch, Friday 2/1 was swapped for Saturday 10/1.
    assert CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert CALENDAR.add_working_days(date(2025, 12, 31), 5) == date(2026, 1, 9)
    assert CALENDAR.add_working_days(date(2025, 12, 31), 6) == date(2026, 1, 10)


def test_counting_across_the_2026_year_end() -> None:
    # Friday 1/1/2027 is Tết Dương lịch.
    assert CALENDAR.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_zero_working_days_is_the_day_itself_or_the_next_working_day() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 10), 0) == date(2026, 3, 10)
    assert CALENDAR.add_working_days(date(2026, 2, 14), 0) == date(2026, 2, 23)


def test_negative_counts_go_back_over_days_off() -> None:
    assert CALENDAR.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert CALENDAR.add_working_days(date(2026, 2, 22), -1) == date(2026, 2, 13)


def test_working_days_between_counts_the_arrival_day_not_the_departure_day() -> None:
    assert CALENDAR.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert CALENDAR.working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1
    assert CALENDAR.working_days_between(date(2026, 3, 10), date(2026, 3, 10)) == 0
    assert CALENDAR.working_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5


@settings(max_examples=300, deadline=None)
@given(st.dates(date(2023, 6, 1), date(2028, 6, 30)), st.integers(1, 400))
def test_adding_working_days_lands_on_a_working_day_that_far_away(start: date, n: int) -> None:
    due = CALENDAR.add_working_days(start, n)

    assert CALENDAR.is_working_day(due)
    assert CALENDAR.working_days_between(start, due) == n


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2023, 6, 1), date(2028, 6, 30)), st.integers(1, 400))
def test_going_back_working_days_is_counted_the_same_way(start: date, n: int) -> None:
    earlier = CALENDAR.add_working_days(start, -n)

    assert CALENDAR.is_working_day(earlier)
    assert CALENDAR.working_days_between(start, earlier) == -n


# --- answer deadlines ----------------------------------------------------------------------------


def test_a_case_received_on_friday_evening_with_one_working_day_is_due_monday_night() -> None:
    received = local(2026, 3, 13, 19, 0)  # Friday

    due = answer_due_at(received, 1, "working", TZ, CALENDAR)

    assert due == end_of(2026, 3, 16)
    assert due == datetime(2026, 3, 16, 16, 59, 59, 999999, tzinfo=UTC)
    assert due.tzinfo is UTC


def test_the_local_date_of_receipt_decides_not_the_utc_date() -> None:
    received = local(2026, 3, 13, 6, 30)  # Friday morning locally, still Thursday in UTC
    assert received.date() == date(2026, 3, 12)

    assert answer_due_at(received, 1, "working", TZ, CALENDAR) == end_of(2026, 3, 16)


def test_a_case_received_late_on_a_holiday_counts_from_the_next_working_day() -> None:
    received = local(2026, 4, 30, 23, 30)  # Ngày Chiến thắng; 1/5 and the weekend follow

    assert answer_due_at(received, 1, "working", TZ, CALENDAR) == end_of(2026, 5, 4)


def test_working_days_skip_tet_while_calendar_days_only_end_after_it() -> None:
    received = local(2026, 2, 9, 10, 0)  # Monday before the Tết 2026 break

    working = answer_due_at(received, 10, "working", TZ, CALENDAR)
    calendar = answer_due_at(received, 10, "calendar", TZ, CALENDAR)

    assert working == end_of(2026, 3, 2)
    assert calendar == end_of(2026, 2, 23)  # 19/2 falls in Tết: the period runs to Monday


def test_calendar_days_ending_on_a_working_day_stay_there() -> None:
    received = local(2026, 3, 2, 15, 0)

    assert answer_due_at(received, 7, "calendar", TZ, CALENDAR) == end_of(2026, 3, 9)


def test_answer_due_at_refuses_a_naive_instant_and_negative_days() -> None:
    with pytest.raises(ValueError, match="aware"):
        answer_due_at(datetime(2026, 3, 13, 19, 0), 1, "working", TZ, CALENDAR)
    with pytest.raises(ValueError, match="days"):
        answer_due_at(local(2026, 3, 13), -1, "working", TZ, CALENDAR)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(datetime(2024, 1, 1), datetime(2027, 6, 30), timezones=st.just(UTC)),
    st.integers(1, 60),
    st.sampled_from(DAY_KINDS),
)
def test_every_deadline_is_the_last_instant_of_a_later_working_day(
    received: datetime, n: int, kind: DayKind
) -> None:
    due = answer_due_at(received, n, kind, TZ, CALENDAR)

    assert due > received
    assert CALENDAR.is_working_day(due.astimezone(TZ).date())
    assert (due + timedelta(microseconds=1)).astimezone(TZ).time().isoformat() == "00:00:00"


def test_end_of_day_is_the_last_microsecond_of_the_local_day() -> None:
    assert end_of_day(date(2026, 2, 23), TZ).astimezone(TZ) == datetime(
        2026, 2, 23, 23, 59, 59, 999999, tzinfo=TZ
    )


# --- the clock pausing while the case waits for the citizen -------------------------------------


def test_a_wait_within_one_day_does_not_move_the_deadline() -> None:
    due = end_of(2026, 3, 20)

    moved = extend_for_pause(
        due, local(2026, 3, 10, 9), local(2026, 3, 10, 17), TZ, CALENDAR, "working"
    )

    assert moved == due


def test_a_wait_from_friday_afternoon_to_monday_morning_adds_one_working_day() -> None:
    due = end_of(2026, 3, 20)  # Friday

    moved = extend_for_pause(
        due, local(2026, 3, 13, 15), local(2026, 3, 16, 9), TZ, CALENDAR, "working"
    )

    assert moved == end_of(2026, 3, 23)


def test_a_wait_across_tet_adds_only_the_working_days_it_covered() -> None:
    due = end_of(2026, 2, 25)
    # Waiting from Thursday 12/2 to Tuesday 24/2: Friday 13/2, Monday 23/2 and Tuesday 24/2.
    moved = extend_for_pause(
        due, local(2026, 2, 12, 10), local(2026, 2, 24, 8), TZ, CALENDAR, "working"
    )

    assert moved == end_of(2026, 3, 2)


def test_the_time_left_before_the_wait_is_left_after_it() -> None:
    due = end_of(2026, 3, 18)  # Wednesday: Tuesday and Wednesday were left on Monday
    moved = extend_for_pause(
        due, local(2026, 3, 16, 10), local(2026, 3, 23, 10), TZ, CALENDAR, "working"
    )

    assert moved == end_of(2026, 3, 25)  # Tuesday and Wednesday after the Monday of resumption
    assert CALENDAR.working_days_between(date(2026, 3, 23), date(2026, 3, 25)) == 2


def test_a_calendar_deadline_moves_by_calendar_days_then_off_days() -> None:
    due = end_of(2026, 2, 11)  # Wednesday; three calendar days later is Saturday 14/2, in Tết

    moved = extend_for_pause(
        due, local(2026, 2, 2, 10), local(2026, 2, 5, 10), TZ, CALENDAR, "calendar"
    )

    assert moved == end_of(2026, 2, 23)


def test_a_wait_that_began_after_the_deadline_does_not_move_it() -> None:
    due = end_of(2026, 3, 10)

    moved = extend_for_pause(
        due, local(2026, 3, 11, 9), local(2026, 3, 16, 9), TZ, CALENDAR, "working"
    )

    assert moved == due


def test_a_wait_cannot_end_before_it_began() -> None:
    with pytest.raises(ValueError, match="before"):
        extend_for_pause(
            end_of(2026, 3, 20), local(2026, 3, 16), local(2026, 3, 13), TZ, CALENDAR, "working"
        )


# --- reminders -----------------------------------------------------------------------------------


def test_reminders_come_at_eight_local_three_and_one_working_days_before_across_a_weekend() -> None:
    due = end_of(2026, 3, 17)  # Tuesday

    moments = reminder_moments(due, (3, 1), tz=TZ, calendar=CALENDAR)

    assert moments == [local(2026, 3, 12, 8), local(2026, 3, 16, 8)]  # Thursday, Monday
    assert moments[0] == datetime(2026, 3, 12, 1, 0, tzinfo=UTC)


def test_reminders_skip_a_holiday_break() -> None:
    due = end_of(2026, 2, 24)  # Tuesday after Tết

    moments = reminder_moments(due, tz=TZ, calendar=CALENDAR)

    assert moments == [local(2026, 2, 12, 8), local(2026, 2, 23, 8)]


def test_reminders_use_a_make_up_saturday() -> None:
    due = end_of(2026, 1, 12)  # Monday; Saturday 10/1/2026 was a working day

    assert reminder_moments(due, (1,), tz=TZ, calendar=CALENDAR, at_hour=9) == [
        local(2026, 1, 10, 9)
    ]


def test_reminders_refuse_zero_days_before_and_impossible_hours() -> None:
    with pytest.raises(ValueError):
        reminder_moments(end_of(2026, 3, 17), (3, 0), tz=TZ, calendar=CALENDAR)
    with pytest.raises(ValueError):
        reminder_moments(end_of(2026, 3, 17), tz=TZ, calendar=CALENDAR, at_hour=24)


# --- the packaged holiday data -------------------------------------------------------------------


def test_every_packaged_date_parses_and_falls_in_2024_to_2027() -> None:
    entries = packaged_entries()

    assert set(entries) == {"holiday", "working_day"}
    for entry in entries["holiday"] + entries["working_day"]:
        assert type(entry["date"]) is date, entry
        assert entry["date"].year in range(2024, 2028), entry
        assert isinstance(entry["name"], str) and entry["name"].strip()


def test_every_make_up_working_day_is_a_weekend_day() -> None:
    for entry in packaged_entries()["working_day"]:
        assert isinstance(entry["date"], date)
        assert entry["date"].weekday() in (5, 6), entry


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_each_year_has_every_holiday_of_the_labour_code(year: int) -> None:
    fixed = [date(year, 1, 1), date(year, 4, 30), date(year, 5, 1), date(year, 9, 2)]
    for day in fixed:
        assert CALENDAR.holiday_name(day) is not None, day
    tet = [d for d in days(date(year, 1, 1), date(year, 3, 1)) if CALENDAR.holiday_name(d)]
    assert sum("Tết Nguyên Đán" in str(CALENDAR.holiday_name(d)) for d in tet) >= 5
    hung_kings = [
        d
        for d in days(date(year, 3, 1), date(year, 5, 1))
        if CALENDAR.holiday_name(d) == "Giỗ Tổ Hùng Vương"
    ]
    assert len(hung_kings) == 1
    national_day = [
        d
        for d in days(date(year, 8, 25), date(year, 9, 5))
        if CALENDAR.holiday_name(d) == "Quốc khánh"
    ]
    assert len(national_day) == 2


def test_the_lunar_holidays_fall_on_their_lunar_dates() -> None:
    # Tết (mùng 1) and Giỗ Tổ (10/3 lunar), from a Vietnamese lunar calendar (UTC+7).
    for day in (date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6)):
        assert CALENDAR.holiday_name(day) == "Tết Nguyên Đán", day
    for day in (date(2024, 4, 18), date(2025, 4, 7), date(2026, 4, 26), date(2027, 4, 16)):
        assert CALENDAR.holiday_name(day) == "Giỗ Tổ Hùng Vương", day


def test_each_make_up_working_day_pays_back_one_swapped_day_off() -> None:
    entries = packaged_entries()
    for year in range(2024, 2028):
        worked = [
            e
            for e in entries["working_day"]
            if isinstance(e["date"], date) and e["date"].year == year
        ]
        swapped = [
            e
            for e in entries["holiday"]
            if isinstance(e["date"], date)
            and e["date"].year == year
            and "hoán đổi" in str(e["name"])
        ]
        assert len(worked) == len(swapped), year


def test_holiday_data_errors_name_the_entry() -> None:
    twice = '[[holiday]]\ndate = 2026-02-16\nname = "Tết"\n[[working_day]]\ndate = 2026-02-16\nname = "x"\n'
    with pytest.raises(ValueError, match=r"working_day\[0\]\.date: 2026-02-16 is listed twice"):
        parse_holiday_data(twice)
    with pytest.raises(ValueError, match=r"holiday\[0\]\.date: expected a date"):
        parse_holiday_data('[[holiday]]\ndate = 2026-02-16T00:00:00\nname = "Tết"\n')
    with pytest.raises(ValueError, match=r"holiday\[0\]: needs exactly the keys date and name"):
        parse_holiday_data("[[holiday]]\ndate = 2026-02-16\n")
    with pytest.raises(ValueError, match="holidays: unknown section"):
        parse_holiday_data('[[holidays]]\ndate = 2026-02-16\nname = "Tết"\n')


# --- building calendars --------------------------------------------------------------------------


def test_operator_additions_win_over_the_packaged_days() -> None:
    calendar = load_vietnam_calendar(
        extra_holidays=[date(2026, 12, 24), date(2026, 8, 22)],
        extra_working_days=[date(2027, 2, 10)],
    )

    assert calendar.holiday_name(date(2026, 12, 24)) == LOCAL_HOLIDAY_NAME
    assert not calendar.is_working_day(date(2026, 8, 22))  # the make-up Saturday, cancelled
    assert calendar.is_working_day(date(2027, 2, 10))  # a provisional Tết day, worked after all


def test_named_operator_holidays_keep_their_names() -> None:
    calendar = load_vietnam_calendar({date(2026, 11, 24): "Ngày Văn hóa Việt Nam"})

    assert calendar.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert not calendar.is_working_day(date(2026, 11, 24))


def test_a_day_cannot_be_both_off_and_worked() -> None:
    with pytest.raises(ValueError, match="2026-12-24"):
        load_vietnam_calendar([date(2026, 12, 24)], [date(2026, 12, 24)])
    with pytest.raises(ValueError, match="2026-12-24"):
        WorkingCalendar({date(2026, 12, 24): "x"}, [date(2026, 12, 24)])


def test_a_week_needs_a_working_day() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar({}, weekend=range(7))
    with pytest.raises(ValueError):
        WorkingCalendar({}, weekend=(7,))
