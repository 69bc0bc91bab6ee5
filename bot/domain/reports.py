"""Reports on the caseload: the period a report covers and the figures it shows (pure)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from statistics import median
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError

_FIRST_YEAR, _LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    """Local calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def utc_bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants [first moment of `start`, first moment after `end`) in the commune."""
        first = datetime.combine(self.start, time(0), tzinfo=tz)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz)
        return first.astimezone(UTC), after.astimezone(UTC)

    def label(self) -> str:
        """How officials write the period: 01/11/2026 – 30/11/2026."""
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def slug(self) -> str:
        """The period in a file name: 2026-11-01_2026-11-30."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def parse_period(text: str, today: date) -> Period:
    """Read the period a member asks for; `today` is the commune's local date.

    Accepted, with or without Vietnamese accents: "" (this month), "thang 11/2026" or "11/2026",
    "quy 4/2026" or "Q4/2026", "nam 2026" or "2026", "01/11/2026-30/11/2026", one day
    "27/11/2026", and a number of days such as "7" (the last 7 days, today included).
    Anything else is a `UserError`.
    """
    words = _plain(text)
    if not words:
        return month_period(today.year, today.month)
    if match := re.fullmatch(r"(?:thang\s*)?(\d{1,2})\s*(?:[/.-]|nam)\s*(\d{4})", words):
        return month_period(_year(match[2]), _month(match[1]))
    if match := re.fullmatch(r"thang\s*(\d{1,2})", words):
        return month_period(today.year, _month(match[1]))
    if match := re.fullmatch(r"(?:quy|q)\s*([1-4])(?:\s*(?:[/.-]|nam)?\s*(\d{4}))?", words):
        year = _year(match[2]) if match[2] else today.year
        first_month = 3 * int(match[1]) - 2
        return Period(date(year, first_month, 1), _month_end(year, first_month + 2))
    if match := re.fullmatch(r"(?:nam\s*)?(\d{4})", words):
        year = _year(match[1])
        return Period(date(year, 1, 1), date(year, 12, 31))
    if match := re.fullmatch(
        r"(?:tu\s*)?(\d{1,2}/\d{1,2}/\d{4})\s*(?:-|–|—|den)\s*(\d{1,2}/\d{1,2}/\d{4})", words
    ):
        start, end = _day(match[1]), _day(match[2])
        if end < start:
            raise UserError("report_period_invalid")
        return Period(start, end)
    if match := re.fullmatch(r"(?:ngay\s*)?(\d{1,2}/\d{1,2}/\d{4})", words):
        day = _day(match[1])
        return Period(day, day)
    if (match := re.fullmatch(r"(\d{1,3})(?:\s*ngay)?", words)) and int(match[1]) > 0:
        return Period(today - timedelta(days=int(match[1]) - 1), today)
    raise UserError("report_period_invalid")


class ExportFormat(StrEnum):
    """The file an export comes as."""

    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True)
class ExportRequest:
    """What `/xuat [period] [xlsx|csv] [danh-tinh]` asks for."""

    period: Period
    format: ExportFormat = ExportFormat.XLSX
    include_identity: bool = False


_IDENTITY_WORD = re.compile(r"(?<!\S)danh[ _-]?tinh(?!\S)")
_FORMAT_WORD = re.compile(r"(?<!\S)(xlsx|excel|csv)(?!\S)")


def parse_export_request(text: str, today: date) -> ExportRequest:
    """Read `/xuat`'s words in any order: a period, a format, and "danh-tinh" for identity."""
    words = _plain(text)
    include_identity = _IDENTITY_WORD.search(words) is not None
    words = _IDENTITY_WORD.sub(" ", words)
    formats = {"csv" if found == "csv" else "xlsx" for found in _FORMAT_WORD.findall(words)}
    if len(formats) > 1:
        raise UserError("report_period_invalid")
    chosen = ExportFormat(formats.pop()) if formats else ExportFormat.XLSX
    period = parse_period(_FORMAT_WORD.sub(" ", words), today)
    return ExportRequest(period, chosen, include_identity)


def month_period(year: int, month: int) -> Period:
    """One calendar month."""
    return Period(date(year, month, 1), _month_end(year, month))


def _plain(text: str) -> str:
    """Lower case, accents removed (đ too), full-width digits folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(text: str) -> int:
    month = int(text)
    if not 1 <= month <= 12:
        raise UserError("report_period_invalid")
    return month


def _year(text: str) -> int:
    year = int(text)
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise UserError("report_period_invalid")
    return year


def _day(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise UserError("report_period_invalid")
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("report_period_invalid") from None


@dataclass(frozen=True)
class RatingSummary:
    """What citizens said after their answer: scores 1–5 and whether it was resolved."""

    count: int = 0
    average: float | None = None
    resolved: int = 0
    unresolved: int = 0


@dataclass(frozen=True)
class Statistics:
    """The figures of one period, over the cases received in it.

    Keys are ids as stored: states, field ids, village names (None when not given) and member
    ids (None when nobody has the case); rendering turns them into words.
    """

    received: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    by_village: dict[str | None, int] = field(default_factory=dict)
    by_assignee: dict[str | None, int] = field(default_factory=dict)
    # (field id, state) → count, for the chart.
    by_field_and_state: dict[tuple[str, str], int] = field(default_factory=dict)
    median_first_response: timedelta | None = None
    median_answer: timedelta | None = None
    overdue: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    ratings: RatingSummary = field(default_factory=RatingSummary)
    reopened: int = 0


def median_duration(durations: list[timedelta]) -> timedelta | None:
    """The median of some durations, or None when there are none."""
    if not durations:
        return None
    seconds = median(d.total_seconds() for d in durations)
    return timedelta(seconds=round(seconds))


@dataclass(frozen=True)
class ExportRow:
    """One case as an export shows it; identity only when the chair asked and it was shared."""

    code: str
    created_at: datetime
    field_id: str
    village: str | None
    kind: str
    state: str
    assignee: str | None
    due_at: datetime
    answered_at: datetime | None
    answer: str | None
    rating: int | None
    shared_name: str | None = None
    shared_phone: str | None = None
