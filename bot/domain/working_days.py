"""Working days on the Vietnamese public-sector calendar, and the deadlines counted in them.

Counting follows the Civil Code 2015 rules on periods (Art. 147–148), which administrative
deadlines borrow:

- A period of N days starts the day *after* the event: the local day a case arrives never counts,
  whatever the hour. A case received on Friday afternoon with 1 working day is due on Monday
  (the first working day after Friday), and so is one received at 23:30 on Saturday.
- In working days, day N is the N-th working day after the receipt day (weekends, public
  holidays and compensatory days off skipped; make-up Saturdays counted).
- In calendar days, day N is the receipt day plus N; when that day is a day off, the period runs
  to the next working day.
- A period ends at the end of its last local day: 23:59:59.999999 in the commune's time zone,
  returned as an aware UTC instant. A case is overdue once ``now > due_at``.

Dates here are local dates in the commune's zone; instants are aware datetimes, returned in UTC.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Literal
from zoneinfo import ZoneInfo

DayKind = Literal["working", "calendar"]
DAY_KINDS: tuple[DayKind, ...] = ("working", "calendar")
WEEKEND = (5, 6)  # Saturday and Sunday, as date.weekday() numbers them
HOLIDAY_DATA = "holidays_vn.toml"
LOCAL_HOLIDAY_NAME = "Ngày nghỉ theo quyết định của địa phương"

_ONE_DAY = timedelta(days=1)


class WorkingCalendar:
    """Which local dates are working days: weekdays, minus holidays, plus make-up working days."""

    def __init__(
        self,
        holidays: Mapping[date, str],
        extra_working_days: Collection[date] = (),
        weekend: Collection[int] = WEEKEND,
    ) -> None:
        weekend_days = frozenset(weekend)
        if not weekend_days <= set(range(7)):
            raise ValueError("weekend days are numbered 0 (Monday) to 6 (Sunday)")
        if len(weekend_days) == 7:
            raise ValueError("a week needs at least one working day")
        for day in (*holidays, *extra_working_days):
            # A datetime is a date too, but would never equal the dates we look up.
            if isinstance(day, datetime) or not isinstance(day, date):
                raise TypeError(f"expected a date, got {day!r}")
        clash = sorted(set(holidays) & set(extra_working_days))
        if clash:
            raise ValueError(f"{clash[0].isoformat()} is both a holiday and a working day")
        self._holidays = dict(holidays)
        self._working = frozenset(extra_working_days)
        self._weekend = weekend_days

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on `day`."""
        if day in self._working:
            return True
        if day in self._holidays:
            return False
        return day.weekday() not in self._weekend

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday or day off on `day`, or None."""
        return self._holidays.get(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (before it when n < 0); `start` never counts.

        n = 0 gives `start` itself when it is a working day, else the next working day.
        """
        if n == 0:
            return start if self.is_working_day(start) else self.add_working_days(start, 1)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days passed going from `a` to `b`: those in (a, b], or minus those in [b, a).

        So ``working_days_between(d, add_working_days(d, n)) == n`` for every n other than 0.
        """
        if a <= b:
            return sum(self.is_working_day(a + k * _ONE_DAY) for k in range(1, (b - a).days + 1))
        return -sum(self.is_working_day(b + k * _ONE_DAY) for k in range((a - b).days))


def load_vietnam_calendar(
    extra_holidays: Mapping[date, str] | Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
) -> WorkingCalendar:
    """The packaged Vietnamese calendar (2024–2027) with the operator's additions applied.

    The operator's word wins: an extra working day cancels a packaged day off (say, when a
    provisional day differs from what the Government finally announces), and an extra holiday
    cancels a packaged make-up working day. Dates without a name are named LOCAL_HOLIDAY_NAME.
    """
    holidays, working = _packaged_calendar()
    if isinstance(extra_holidays, Mapping):
        added = dict(extra_holidays)
    else:
        added = dict.fromkeys(extra_holidays, LOCAL_HOLIDAY_NAME)
    worked = frozenset(extra_working_days)
    clash = sorted(set(added) & worked)
    if clash:
        raise ValueError(
            f"{clash[0].isoformat()} is both an extra holiday and an extra working day"
        )
    merged = {day: name for day, name in holidays.items() if day not in worked} | added
    return WorkingCalendar(merged, (working - set(added)) | worked)


def parse_holiday_data(
    text: str, source: str = HOLIDAY_DATA
) -> tuple[dict[date, str], frozenset[date]]:
    """Read a holiday file: ``[[holiday]]`` and ``[[working_day]]`` entries of `date` and `name`."""
    data = tomllib.loads(text)
    unknown = sorted(set(data) - {"holiday", "working_day"})
    if unknown:
        raise ValueError(f"{source}: {unknown[0]}: unknown section")
    holidays: dict[date, str] = {}
    working: dict[date, str] = {}
    for section, found in (("holiday", holidays), ("working_day", working)):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise ValueError(f"{source}: {section}: expected [[{section}]] entries")
        for index, entry in enumerate(entries):
            where = f"{source}: {section}[{index}]"
            if not isinstance(entry, dict) or set(entry) != {"date", "name"}:
                raise ValueError(f"{where}: needs exactly the keys date and name")
            day, name = entry["date"], entry["name"]
            if isinstance(day, datetime) or not isinstance(day, date):
                raise ValueError(f"{where}.date: expected a date like 2026-02-16")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"{where}.name: expected a non-empty string")
            if day in holidays or day in working:
                raise ValueError(f"{where}.date: {day.isoformat()} is listed twice")
            found[day] = name.strip()
    return holidays, frozenset(working)


def answer_due_at(
    received_at: datetime,
    days: int,
    kind: DayKind,
    tz: ZoneInfo,
    calendar: WorkingCalendar,
) -> datetime:
    """When a case received at `received_at` must be answered: the end of its last local day."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days}")
    return end_of_day(due_day(local_day(received_at, tz), days, kind, calendar), tz)


def due_day(start: date, days: int, kind: DayKind, calendar: WorkingCalendar) -> date:
    """The last local day of a period of `days` (working or calendar) counted from `start`."""
    if kind == "working":
        return calendar.add_working_days(start, days)
    if kind == "calendar":
        return calendar.add_working_days(start + days * _ONE_DAY, 0)
    raise ValueError(f'kind must be "working" or "calendar", got {kind!r}')


def extend_for_pause(
    due_at: datetime,
    paused_from: datetime,
    resumed_at: datetime,
    tz: ZoneInfo,
    calendar: WorkingCalendar,
    kind: DayKind,
) -> datetime:
    """Push `due_at` back by the days the case waited for the citizen.

    The wait is counted like any period: the local day it began is excluded, the local day the
    citizen answered is included; working days for a "working" deadline, calendar days for a
    "calendar" one. So a wait that starts and ends on the same day adds nothing, and one from
    Friday afternoon to Monday morning adds one working day (Monday). The new deadline is the end
    of the due day moved by that many days (a calendar one then runs on to a working day). A wait
    that began after `due_at` leaves it unchanged: the case was already overdue.
    """
    due = local_day(due_at, tz)
    waited_from, waited_to = local_day(paused_from, tz), local_day(resumed_at, tz)
    if resumed_at < paused_from:
        raise ValueError("resumed_at is before paused_from")
    if paused_from >= due_at or waited_to == waited_from:
        return due_at
    if kind == "working":
        moved = calendar.add_working_days(
            due, calendar.working_days_between(waited_from, waited_to)
        )
    else:
        moved = due_day(due, (waited_to - waited_from).days, kind, calendar)
    return end_of_day(moved, tz) if moved != due else due_at


def reminder_moments(
    due_at: datetime,
    before_working_days: Sequence[int] = (3, 1),
    *,
    tz: ZoneInfo,
    calendar: WorkingCalendar,
    at_hour: int = 8,
) -> list[datetime]:
    """When to remind the assignee: UTC instants, ascending, one per N in `before_working_days`.

    Each is `at_hour`:00 local time on the working day N working days before the due day.
    Moments already past are returned too; skipping them is the caller's decision.
    """
    if not 0 <= at_hour <= 23:
        raise ValueError(f"at_hour must be 0 to 23, got {at_hour}")
    if any(n < 1 for n in before_working_days):
        raise ValueError(f"reminders come at least 1 working day before, got {before_working_days}")
    due = local_day(due_at, tz)
    days = {calendar.add_working_days(due, -n) for n in before_working_days}
    return sorted(local_moment(day, at_hour, tz) for day in days)


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    """The local date of an aware instant in `tz`."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"expected an aware instant (UTC), got naive {instant.isoformat()}")
    return instant.astimezone(tz).date()


def local_moment(day: date, hour: int, tz: ZoneInfo) -> datetime:
    """`hour`:00 local time on `day`, as a UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last microsecond of local `day` (23:59:59.999999 local), as a UTC instant."""
    # Derived from the next midnight so a zone whose clocks jump near midnight stays right.
    next_midnight = datetime.combine(day + _ONE_DAY, time(), tzinfo=tz).astimezone(UTC)
    return next_midnight - timedelta(microseconds=1)


@cache
def _packaged_calendar() -> tuple[Mapping[date, str], frozenset[date]]:
    text = resources.files("bot.domain").joinpath(HOLIDAY_DATA).read_text(encoding="utf-8")
    return parse_holiday_data(text)
