"""Meeting reminders on a real SQLite file with a clock the test moves: each attendee is reminded
once per configured moment, across restarts; a reminder missed while the bot was down is sent at
start-up only if the meeting has not started; a meeting on a holiday is flagged to the secretary.

The sample config's people: hung (chair, 1001), lan (1002), minh (1003), hoa (secretary, 1004).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config, MeetingConfig, RecurrenceConfig, parse_config, sample_config_text
from bot.domain.meetings import RecurrenceKind
from bot.domain.working_days import load_vietnam_calendar
from bot.scheduler import next_occurrences
from bot.services.mailbox import Mailbox
from bot.services.meetings import MeetingSweeper
from bot.services.rendering import Renderer
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HUNG, LAN, MINH, HOA = "1001", "1002", "1003", "1004"


def local(text: str) -> datetime:
    """A local time in the commune ("2027-03-10 08:00") as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


def meeting(start: str, **changes: object) -> MeetingConfig:
    """A one-off briefing for lan and minh, reminded a day and two hours ahead."""
    base = MeetingConfig(
        id="giao-ban",
        title="Giao ban tháng 3",
        attendees=("lan", "minh"),
        place="Phòng họp UBND xã",
        start=datetime.fromisoformat(start),
        remind_before=(timedelta(days=1), timedelta(hours=2)),
        pack=(),  # the briefing pack has its own tests: tests/reports/test_briefing*.py
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class Clock:
    """A clock that stands still until the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The instant the test set."""
        return self.at


class Office:
    """The database and a meeting sweeper over it, on a test clock."""

    def __init__(self, db: Database, config: Config, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        storage = SqliteStorage(db)
        render = Renderer(load_texts("vi"), TZ, {f.id: f.name for f in config.fields})
        self.sweeper = MeetingSweeper(
            storage, config, render, load_vietnam_calendar(), clock, next_occurrences, batch=2
        )
        self.storage = storage
        self.render = render
        self.config = config

    async def sweep_at(self, when: str) -> list[tuple[str, str, list[str]]]:
        """Move the clock to local `when`, sweep, return what was queued: (chat, text, buttons)."""
        self.clock.at = local(when)
        before = await self.db.read("SELECT COALESCE(MAX(id), 0) AS n FROM outbox")
        await self.sweeper.sweep()
        rows = await self.db.read(
            "SELECT chat_id, payload FROM outbox WHERE id > ? ORDER BY id", (before[0]["n"],)
        )
        out = []
        for row in rows:
            payload = json.loads(row["payload"])
            buttons = [b["data"] for line in payload["buttons"] for b in line]
            out.append((row["chat_id"], payload["text"], buttons))
        return out


async def open_office(path: Path, clock: Clock, *meetings: MeetingConfig) -> Office:
    """The sample committee with `meetings`, on the database at `path`."""
    config = parse_config(sample_config_text(), path.parent / "homthu.toml", env={})
    config = replace(config, meetings=meetings)
    db = await Database.open(path)
    office = Office(db, config, clock)
    await Mailbox(office.storage, config, office.render, clock).sync_members()
    return office


async def test_each_attendee_is_reminded_once_at_each_moment(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3", Clock(local("2027-03-01 08:00")), meeting("2027-03-10T08:00")
    )
    try:
        assert await office.sweep_at("2027-03-09 07:59") == []
        day_before = await office.sweep_at("2027-03-09 08:00")
        assert sorted(chat for chat, _text, _buttons in day_before) == [LAN, MINH]
        _chat, text, buttons = day_before[0]
        assert "Giao ban tháng 3" in text and "10/03/2027 08:00" in text
        assert "Phòng họp UBND xã" in text
        assert [b.split(":")[:2] for b in buttons] == [["g", "yes"], ["g", "no"]]
        assert await office.sweep_at("2027-03-09 12:00") == []
        assert len(await office.sweep_at("2027-03-10 06:00")) == 2
        # An hour ahead, only the secretary hears from the bot: who answered what, once.
        summary = await office.sweep_at("2027-03-10 07:00")
        assert [chat for chat, _t, _b in summary] == [HOA]
        assert "Cuộc họp sắp bắt đầu" in summary[0][1]
        assert "Chưa trả lời (2): Trần Thị Lan, Lê Quang Minh" in summary[0][1]
        assert await office.sweep_at("2027-03-10 07:30") == []
    finally:
        await office.db.close()


async def test_a_restart_neither_repeats_nor_loses_a_reminder(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    clock = Clock(local("2027-03-01 08:00"))
    office = await open_office(path, clock, meeting("2027-03-10T08:00"))
    assert len(await office.sweep_at("2027-03-09 08:05")) == 2
    await office.db.close()

    office = await open_office(path, clock, meeting("2027-03-10T08:00"))
    try:
        assert await office.sweep_at("2027-03-09 08:06") == []
        assert len(await office.sweep_at("2027-03-10 06:01")) == 2
        rows = await office.db.read("SELECT COUNT(*) AS n FROM meeting_reminders")
        assert rows[0]["n"] == 4
    finally:
        await office.db.close()


async def test_reminders_missed_while_down_send_only_the_latest_before_the_meeting(
    tmp_path: Path,
) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3", Clock(local("2027-03-01 08:00")), meeting("2027-03-10T08:00")
    )
    try:
        await office.sweep_at("2027-03-01 08:00")  # plans the rows
        # Down from before the day-before reminder until after the two-hour one.
        caught_up = await office.sweep_at("2027-03-10 07:30")
        # The attendees' latest reminders, and the secretary's summary (also due by now).
        assert sorted(chat for chat, _t, _b in caught_up) == [LAN, MINH, HOA]
        statuses = await office.db.read(
            "SELECT sent_at IS NOT NULL AS sent, skipped_at IS NOT NULL AS skipped"
            " FROM meeting_reminders ORDER BY due_at, member_id"
        )
        assert [(r["sent"], r["skipped"]) for r in statuses] == [(0, 1), (0, 1), (1, 0), (1, 0)]
    finally:
        await office.db.close()


async def test_reminders_missed_until_the_meeting_started_are_dropped(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3", Clock(local("2027-03-01 08:00")), meeting("2027-03-10T08:00")
    )
    try:
        await office.sweep_at("2027-03-01 08:00")
        assert await office.sweep_at("2027-03-10 09:00") == []
        rows = await office.db.read(
            "SELECT COUNT(*) AS n FROM meeting_reminders WHERE skipped_at IS NOT NULL"
        )
        assert rows[0]["n"] == 4
    finally:
        await office.db.close()


async def test_a_meeting_on_a_public_holiday_is_flagged_to_the_secretary_once(
    tmp_path: Path,
) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3",
        Clock(local("2027-04-01 08:00")),
        meeting("2027-04-30T08:00", id="le", remind_before=()),
    )
    try:
        flagged = await office.sweep_at("2027-04-01 08:00")
        assert [chat for chat, _t, _b in flagged] == [HOA]
        assert "trùng ngày nghỉ" in flagged[0][1] and "30/04/2027 08:00" in flagged[0][1]
        assert await office.sweep_at("2027-04-02 08:00") == []
    finally:
        await office.db.close()


async def test_recurring_meetings_store_the_next_two_occurrences(tmp_path: Path) -> None:
    monthly = MeetingConfig(
        id="thang",
        title="Giao ban tháng",
        attendees=("lan",),
        place="Phòng họp",
        recurrence=RecurrenceConfig(RecurrenceKind.MONTHLY, day=5),
        time=time(8, 0),
        remind_before=(timedelta(days=1),),
        pack=(),
    )
    office = await open_office(tmp_path / "h.sqlite3", Clock(local("2027-05-20 08:00")), monthly)
    try:
        await office.sweep_at("2027-05-20 08:00")
        await office.sweep_at("2027-05-21 08:00")
        rows = await office.db.read("SELECT starts_at FROM meeting_occurrences ORDER BY starts_at")
        assert [r["starts_at"][:16] for r in rows] == ["2027-06-05T01:00", "2027-07-05T01:00"]
        reminded = await office.sweep_at("2027-06-04 08:00")
        assert [chat for chat, _t, _b in reminded] == [LAN]
    finally:
        await office.db.close()


async def test_a_meeting_removed_from_the_config_loses_its_pending_reminders(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    clock = Clock(local("2027-03-01 08:00"))
    office = await open_office(path, clock, meeting("2027-03-10T08:00"))
    await office.sweep_at("2027-03-01 08:00")
    await office.db.close()

    office = await open_office(path, clock)
    try:
        assert await office.sweep_at("2027-03-02 08:00") == []
        rows = await office.db.read(
            "SELECT COUNT(*) AS n FROM meeting_reminders WHERE skipped_at IS NOT NULL"
        )
        assert rows[0]["n"] == 4
        assert await office.sweep_at("2027-03-10 07:30") == []  # nor the secretary's summary
    finally:
        await office.db.close()


async def test_a_meeting_put_back_in_the_config_is_reminded_again(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    clock = Clock(local("2027-03-01 08:00"))
    for meetings in ((meeting("2027-03-10T08:00"),), (), (meeting("2027-03-10T08:00"),)):
        office = await open_office(path, clock, *meetings)
        await office.sweep_at("2027-03-01 08:00")
        await office.db.close()
    office = await open_office(path, clock, meeting("2027-03-10T08:00"))
    try:
        assert sorted(c for c, _t, _b in await office.sweep_at("2027-03-09 08:00")) == [LAN, MINH]
    finally:
        await office.db.close()
