"""Deadline reminders, escalations and progress notes on a real SQLite file, with a clock the
test moves: who hears what and when, what a restart or a downtime changes (nothing is repeated).

The sample config's people: hung (chair), lan (deputy; field "Đất đai"), minh (field "Đất đai").
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, parse_config, sample_config_text
from bot.domain.model import Case, CaseKind, CaseState, ChatRef, Sender
from bot.domain.ports import NewCase
from bot.domain.working_days import WorkingCalendar, answer_due_at, load_vietnam_calendar
from bot.services.deadlines import DeadlineSweeper, reschedule_case, schedule_for_new_case
from bot.services.mailbox import Mailbox
from bot.services.rendering import Renderer
from bot.storage.database import Database, to_db_time
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HUNG, LAN, MINH, CITIZEN = "1001", "1002", "1003", "2001"


def local(text: str) -> datetime:
    """A local time in the commune ("2027-02-02 08:00") as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


class Clock:
    """A clock that stands still until the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The instant the test set."""
        return self.at


@dataclass(frozen=True)
class Sent:
    """One queued outbox message, as the chat would receive it."""

    chat_id: str
    text: str
    buttons: list[str]
    member_id: str | None


class Office:
    """The mailbox's database and a deadline sweeper over it, on a test clock."""

    def __init__(self, db: Database, config: Config, clock: Clock) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.calendar: WorkingCalendar = load_vietnam_calendar()
        self.storage = SqliteStorage(db)
        self.render = Renderer(
            load_texts("vi"), config.commune.tz, {f.id: f.name for f in config.fields}
        )
        self.sweeper = DeadlineSweeper(
            self.storage, config, self.render, self.calendar, clock, batch=2
        )
        self._seen = 0
        self._codes = 0

    async def sweep_at(self, when: str) -> list[Sent]:
        """Move the clock to local time `when`, sweep, and return the messages it queued."""
        self.clock.at = local(when)
        await self.sweeper.sweep()
        return await self.new_messages()

    async def new_messages(self) -> list[Sent]:
        """Outbox messages queued since the last look."""
        rows = await self.db.read(
            "SELECT id, chat_id, payload, member_id FROM outbox WHERE id > ? ORDER BY id",
            (self._seen,),
        )
        if rows:
            self._seen = rows[-1]["id"]
        out = []
        for row in rows:
            payload = json.loads(row["payload"])
            buttons = [b["data"] for line in payload["buttons"] for b in line]
            out.append(Sent(row["chat_id"], payload["text"], buttons, row["member_id"]))
        return out

    async def receive(
        self,
        when: str,
        *,
        days: int = 5,
        field: str = "dat-dai",
        assignee: str | None = None,
        names: tuple[str, ...] = (),
    ) -> Case:
        """A case arriving at local time `when`, due in `days` working days, as intake stores it."""
        at = local(when)
        self._codes += 1
        async with self.storage.transaction() as uow:
            citizen = await uow.citizens.touch(
                Sender(ChatRef("telegram", CITIZEN), CITIZEN, "Nguyễn Văn An"), at
            )
            case = await uow.cases.create(
                NewCase(
                    code=f"MT-{at.astimezone(TZ):%y%m%d}-{self._codes:04d}-K7",
                    citizen_id=citizen.id,
                    field_id=field,
                    village=None,
                    kind=CaseKind.SUGGESTION,
                    anonymous=True,
                    shared_name=None,
                    shared_phone=None,
                    created_at=at,
                    due_at=answer_due_at(at, days, "working", TZ, self.calendar),
                )
            )
            await schedule_for_new_case(uow, self.config, self.calendar, case, at)
            if names:
                await uow.cases.exclude(case.id, names)
            if assignee is not None:
                case = replace(case, assignee_id=assignee, state=CaseState.ASSIGNED)
                await uow.cases.update(case, at)
        return case

    async def set_state(self, case: Case, state: CaseState) -> Case:
        """Move the case to `state` (as a member's action would)."""
        changed = replace(case, state=state)
        async with self.storage.transaction() as uow:
            await uow.cases.update(changed, self.clock.now())
        return changed

    async def rows(self, case: Case) -> list[tuple[str, int | None, datetime, str]]:
        """The case's reminder rows: (kind, days before, due at, status)."""
        found = await self.db.read(
            "SELECT kind, days_before, due_at, sent_at, skipped_at FROM case_reminders"
            " WHERE case_id = ? ORDER BY due_at, id",
            (case.id,),
        )
        return [
            (
                r["kind"],
                r["days_before"],
                datetime.fromisoformat(r["due_at"].replace("Z", "+00:00")),
                "sent" if r["sent_at"] else "skipped" if r["skipped_at"] else "pending",
            )
            for r in found
        ]

    async def audit(self, case: Case) -> list[tuple[str, str]]:
        """The case's reminder lines in the audit log: (action, detail)."""
        found = await self.db.read(
            "SELECT action, detail FROM audit_log WHERE case_id = ? AND action LIKE 'reminder_%'"
            " ORDER BY id",
            (case.id,),
        )
        return [(r["action"], r["detail"]) for r in found]


async def open_office(path: Path, clock: Clock) -> Office:
    """The sample config's committee on the database at `path`."""
    config = parse_config(sample_config_text(), path.parent / "homthu.toml", env={})
    db = await Database.open(path)
    office = Office(db, config, clock)
    await Mailbox(office.storage, config, office.render, clock).sync_members()
    return office


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    """A fresh database with the sample committee."""
    office = await open_office(tmp_path / "homthu.sqlite3", Clock(local("2027-01-29 14:00")))
    try:
        yield office
    finally:
        await office.db.close()


def to(messages: list[Sent], chat_id: str) -> list[Sent]:
    """The messages for one chat."""
    return [m for m in messages if m.chat_id == chat_id]


# Planning -------------------------------------------------------------------------------------

# A Friday-afternoon case due in 5 working days, received just before Tết 2027 (4–10 February
# off): Mon 1, Tue 2, Wed 3, then Thu 11 and Fri 12 February.
TET_CASE = "2027-01-29 14:00"


async def test_friday_case_is_reminded_across_the_weekend_and_not_for_a_moment_already_past(
    office: Office,
) -> None:
    # Due Wed 2 December 2026 (Mon, Tue, Wed). "3 working days before" is Friday 08:00 itself,
    # already past at 15:00: that reminder is not planned.
    case = await office.receive("2026-11-27 15:00", days=3)
    assert case.due_at == local("2026-12-02 23:59:59.999999")
    assert await office.rows(case) == [
        ("before", 1, local("2026-12-01 08:00"), "pending"),
        ("overdue", None, local("2026-12-03 08:00"), "pending"),
        ("progress", None, local("2026-12-09 08:00"), "pending"),
    ]


async def test_reminders_count_working_days_across_tet(office: Office) -> None:
    case = await office.receive(TET_CASE)
    assert case.due_at == local("2027-02-12 23:59:59.999999")
    assert await office.rows(case) == [
        ("before", 3, local("2027-02-02 08:00"), "pending"),
        ("before", 1, local("2027-02-11 08:00"), "pending"),
        ("overdue", None, local("2027-02-13 08:00"), "pending"),
        ("progress", None, local("2027-02-19 08:00"), "pending"),
    ]


# Reminders before the deadline ----------------------------------------------------------------


async def test_sweep_sends_a_reminder_only_once_it_is_due(office: Office) -> None:
    case = await office.receive(TET_CASE)
    assert await office.sweep_at("2027-02-02 07:59") == []
    sent = await office.sweep_at("2027-02-02 08:00")
    assert {m.chat_id for m in sent} == {LAN, MINH}
    for message in sent:
        assert case.code in message.text
        assert "còn 3 ngày làm việc" in message.text
        assert "12/02/2027" in message.text
        assert message.buttons == [f"m:card:{case.id}"]
    assert await office.sweep_at("2027-02-02 09:00") == []
    assert await office.audit(case) == [("reminder_before", "to=lan,minh days_before=3")]


async def test_reminder_goes_to_the_assignee_alone(office: Office) -> None:
    case = await office.receive(TET_CASE, assignee="minh")
    sent = await office.sweep_at("2027-02-11 08:00")
    assert [m.chat_id for m in sent] == [MINH]
    assert "còn 1 ngày làm việc" in sent[0].text
    assert sent[0].member_id == "minh"
    assert case.code in sent[0].text


async def test_member_named_in_a_case_never_hears_about_it(office: Office) -> None:
    # The case names Lan: it went to the chair, and so do its reminders and its escalation.
    await office.receive(TET_CASE, names=("lan",))
    before = await office.sweep_at("2027-02-11 08:00")
    overdue = await office.sweep_at("2027-02-13 08:00")
    assert [m.chat_id for m in before] == [HUNG]
    assert [m.chat_id for m in overdue] == [HUNG]
    assert to(before + overdue, LAN) == []


async def test_answered_or_closed_cases_get_no_reminders(office: Office) -> None:
    answered = await office.set_state(await office.receive(TET_CASE), CaseState.ANSWERED)
    closed = await office.set_state(await office.receive(TET_CASE), CaseState.CLOSED)
    for when in ("2027-02-02 08:00", "2027-02-11 08:00", "2027-02-13 08:00", "2027-02-19 08:00"):
        assert await office.sweep_at(when) == []
    for case in (answered, closed):
        assert {status for *_, status in await office.rows(case)} == {"skipped"}
        assert await office.audit(case) == []


# Escalation -----------------------------------------------------------------------------------


async def test_overdue_case_is_escalated_once_to_the_chairs_and_its_holder_is_told(
    office: Office,
) -> None:
    case = await office.receive(TET_CASE, assignee="minh")
    await office.sweep_at("2027-02-11 08:00")
    assert await office.sweep_at("2027-02-12 23:59") == []  # the last day is not over yet
    sent = await office.sweep_at("2027-02-13 08:00")
    chairs = sorted((m for m in sent if m.chat_id in (HUNG, LAN)), key=lambda m: m.chat_id)
    assert [m.chat_id for m in chairs] == [HUNG, LAN]
    for message in chairs:
        assert "Phiếu quá hạn" in message.text
        assert case.code in message.text
        assert "Lê Quang Minh" in message.text
        assert message.buttons == [f"m:card:{case.id}"]
    (holder,) = to(sent, MINH)
    assert "đã quá hạn" in holder.text and case.code in holder.text
    assert await office.sweep_at("2027-02-13 09:00") == []
    assert await office.sweep_at("2027-02-15 08:00") == []
    assert [a for a, _ in await office.audit(case)] == ["reminder_before", "reminder_overdue"]


async def test_escalation_of_an_unclaimed_case_tells_the_field_members(office: Office) -> None:
    case = await office.receive(TET_CASE)
    sent = await office.sweep_at("2027-02-13 08:00")
    assert sorted(m.chat_id for m in sent) == [HUNG, LAN, MINH]  # Lan once: as deputy
    assert "chưa có ai nhận" in to(sent, HUNG)[0].text
    assert "đã quá hạn" in to(sent, MINH)[0].text
    assert await office.audit(case) == [("reminder_overdue", "to=hung,lan,minh")]


# Progress notes to the citizen ----------------------------------------------------------------


async def test_progress_notes_repeat_weekly_while_open_and_stop_once_answered(
    office: Office,
) -> None:
    case = await office.receive(TET_CASE)
    await office.sweep_at("2027-02-13 08:00")
    first = to(await office.sweep_at("2027-02-19 08:00"), CITIZEN)
    assert len(first) == 1
    assert case.code in first[0].text and "vẫn đang được xử lý" in first[0].text
    assert to(await office.sweep_at("2027-02-25 08:00"), CITIZEN) == []
    assert len(to(await office.sweep_at("2027-02-26 08:00"), CITIZEN)) == 1
    await office.set_state(case, CaseState.ANSWERED)
    assert await office.sweep_at("2027-03-05 08:00") == []
    assert await office.sweep_at("2027-03-12 08:00") == []
    progress = [
        (at, status) for kind, _, at, status in await office.rows(case) if kind == "progress"
    ]
    assert progress == [
        (local("2027-02-19 08:00"), "sent"),
        (local("2027-02-26 08:00"), "sent"),
        (local("2027-03-05 08:00"), "skipped"),
    ]


async def test_a_reply_to_a_progress_note_is_about_its_case(office: Office) -> None:
    case = await office.receive(TET_CASE)
    await office.sweep_at("2027-02-19 08:00")
    rows = await office.db.read(
        "SELECT case_id, link_role FROM outbox WHERE chat_id = ?", (CITIZEN,)
    )
    assert [(r["case_id"], r["link_role"]) for r in rows] == [(case.id, "citizen_notice")]


# Restarts and downtime ------------------------------------------------------------------------


async def test_a_restart_sends_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "restart.sqlite3"
    clock = Clock(local(TET_CASE))
    first = await open_office(path, clock)
    try:
        await first.receive(TET_CASE)
        assert len(await first.sweep_at("2027-02-02 08:00")) == 2
    finally:
        await first.db.close()

    again = await open_office(path, clock)
    try:
        await again.new_messages()  # what the first process queued
        assert await again.sweep_at("2027-02-02 08:00") == []
        assert await again.sweep_at("2027-02-02 08:01") == []
        assert len(await again.sweep_at("2027-02-11 08:00")) == 2  # the next one, once
    finally:
        await again.db.close()


async def test_after_downtime_only_the_latest_late_reminder_is_sent(office: Office) -> None:
    # Down from before 2 February until the morning of the due day: both reminders are late.
    case = await office.receive(TET_CASE, assignee="lan")
    sent = await office.sweep_at("2027-02-12 09:30")
    assert [m.chat_id for m in sent] == [LAN]
    assert "hôm nay" in sent[0].text
    assert [(k, d, s) for k, d, _, s in await office.rows(case) if k == "before"] == [
        ("before", 3, "skipped"),
        ("before", 1, "sent"),
    ]
    assert await office.audit(case) == [("reminder_before", "to=lan days_before=1")]


async def test_after_a_long_downtime_the_escalation_and_one_progress_note_go_out_once(
    office: Office,
) -> None:
    case = await office.receive(TET_CASE, assignee="minh")
    sent = await office.sweep_at("2027-03-10 10:00")
    assert not any("Nhắc hạn" in m.text for m in sent)  # the deadline passed: no "n days left"
    assert len([m for m in sent if "Phiếu quá hạn" in m.text]) == 2  # hung and lan
    assert len(to(sent, CITIZEN)) == 1
    assert await office.sweep_at("2027-03-10 11:00") == []
    # The notes keep their weekly cadence (19/2, 26/2, 5/3, 12/3) instead of catching up.
    pending = [at for kind, _, at, status in await office.rows(case) if status == "pending"]
    assert pending == [local("2027-03-12 08:00")]


async def test_many_cases_due_at_once_are_all_swept(office: Office) -> None:
    # More cases than one batch (the fixture's batch is 2).
    cases = [await office.receive(TET_CASE) for _ in range(5)]
    sent = await office.sweep_at("2027-02-02 08:00")
    assert len(sent) == 2 * len(cases)
    async with office.storage.transaction() as uow:
        assert await uow.reminders.pending_count() == 3 * len(cases)


# Rescheduling ---------------------------------------------------------------------------------


async def test_rescheduling_after_the_deadline_moved_replaces_the_pending_reminders(
    office: Office,
) -> None:
    case = await office.receive(TET_CASE)
    await office.sweep_at("2027-02-02 08:00")
    moved = replace(case, due_at=local("2027-02-19 23:59:59.999999"))
    async with office.db.transaction() as tx:  # no service moves a deadline yet
        await tx.execute(
            "UPDATE cases SET due_at = ? WHERE id = ?", (to_db_time(moved.due_at), case.id)
        )
    async with office.storage.transaction() as uow:
        await reschedule_case(uow, office.config, office.calendar, moved, office.clock.now())
    assert await office.sweep_at("2027-02-11 08:00") == []
    assert await office.sweep_at("2027-02-13 08:00") == []
    sent = await office.sweep_at("2027-02-16 08:00")
    assert {m.chat_id for m in sent} == {LAN, MINH}
    assert "còn 3 ngày làm việc" in sent[0].text


async def test_a_reopened_case_is_escalated_once_when_rescheduled(office: Office) -> None:
    case = await office.receive(TET_CASE)
    case = await office.set_state(case, CaseState.ANSWERED)
    assert await office.sweep_at("2027-02-13 08:00") == []  # answered in time: no escalation
    case = await office.set_state(case, CaseState.IN_PROGRESS)
    async with office.storage.transaction() as uow:
        await reschedule_case(uow, office.config, office.calendar, case, office.clock.now())
    sent = await office.sweep_at("2027-02-14 08:00")
    assert len([m for m in sent if "Phiếu quá hạn" in m.text]) == 2
    async with office.storage.transaction() as uow:
        await reschedule_case(uow, office.config, office.calendar, case, office.clock.now())
    assert await office.sweep_at("2027-02-14 09:00") == []
