"""Builders for briefing-pack tests: November's cases (tests/reports/seed.py), a monthly meeting
whose previous occurrence was on 3 November, and conclusions as the minutes feature records them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.config import Config, MeetingConfig
from bot.domain.meetings import Occurrence
from bot.storage.database import Tx, to_db_time
from bot.storage.unit_of_work import SqliteUnitOfWork
from tests.reports.seed import local

TITLE = "Giao ban tháng 12"
PREVIOUS = local(2026, 11, 3, 8).astimezone(UTC)
STARTS = local(2026, 12, 7, 8).astimezone(UTC)


def with_briefing_meeting(config: Config, **changes: object) -> Config:
    """The sample config with one meeting, reminded two days and one day ahead."""
    meeting = MeetingConfig(
        id="giao-ban",
        title=TITLE,
        attendees=("hung", "lan", "minh", "hoa"),
        place="Phòng họp UBND xã",
        start=STARTS.astimezone(config.commune.tz).replace(tzinfo=None),
        remind_before=(timedelta(days=2), timedelta(days=1)),
    )
    return replace(config, meetings=(replace(meeting, **changes),))  # type: ignore[arg-type]


async def store_occurrences(tx: Tx, *, previous: bool = True) -> Occurrence:
    """The meeting's occurrence on 7 December (and, if asked, the one on 3 November)."""
    meetings = SqliteUnitOfWork(tx).meetings
    if previous:
        await meetings.add_occurrence("giao-ban", PREVIOUS, None)
    occurrence_id = await meetings.add_occurrence("giao-ban", STARTS, None)
    found = await meetings.occurrence(occurrence_id)
    assert found is not None
    return found


async def add_conclusion(
    tx: Tx,
    text: str,
    *,
    owner: str | None = None,
    due_on: str | None = None,
    case_code: str | None = None,
    done_at: datetime | None = None,
) -> None:
    """A conclusion row as the minutes feature writes it."""
    case_id = None
    if case_code is not None:
        row = await tx.fetch_one("SELECT id FROM cases WHERE code = ?", (case_code,))
        assert row is not None
        case_id = row["id"]
    await tx.insert(
        "INSERT INTO meeting_conclusions (occurrence_id, text, owner_member_id, due_on, case_id,"
        " done_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'hoa', ?)",
        (
            1,
            text,
            owner,
            due_on,
            case_id,
            to_db_time(done_at) if done_at else None,
            to_db_time(PREVIOUS + timedelta(hours=2)),
        ),
    )
