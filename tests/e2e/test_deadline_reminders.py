"""Deadlines through the running bot: the member is reminded, the chair hears of an overdue case,
the citizen gets a progress note. The clock is moved forward; the sweep is run at once rather
than waiting for the metronome's next tick.

Cases go to "Đất đai" (lan and minh; 30 working days); hung is the chair, lan also a deputy.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.sandbox_chat import button_labels, visible_text
from bot.storage.database import from_db_time
from tests.e2e.conftest import World, running_world, submit_case


class ShiftedClock:
    """The real clock moved by an offset the test sets (the app reads it; sleeps do not)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        """Real time plus the offset, in UTC."""
        return datetime.now(UTC) + self.offset

    def move_to(self, instant: datetime) -> None:
        """Make now() read `instant` (and run on from there)."""
        self.offset += instant - self.now()


async def reminder_time(world: World, kind: str, days_before: int | None = None) -> datetime:
    """When the case's reminder of `kind` falls due, as planned in the database."""
    rows = await world.app.db.read(
        "SELECT due_at FROM case_reminders WHERE kind = ? AND days_before IS ?",
        (kind, days_before),
    )
    (row,) = rows
    return from_db_time(row["due_at"])


async def sweep_at(world: World, clock: ShiftedClock, instant: datetime) -> int:
    """Move the clock to `instant` (plus a minute) and sweep as the metronome would."""
    clock.move_to(instant + timedelta(minutes=1))
    return await world.app.metronome.sweep_now()


async def test_members_of_the_field_are_reminded_before_the_deadline(tmp_path: Path) -> None:
    clock = ShiftedClock()
    async with running_world(tmp_path, clock=clock) as world:
        code = await submit_case(world.citizen)
        await world.lan.wait_for(code)
        await world.minh.wait_for(code)

        assert await sweep_at(world, clock, await reminder_time(world, "before", 3)) == 1
        reminder = await world.lan.wait_for("Nhắc hạn trả lời")
        assert code in visible_text(reminder)
        assert "còn 3 ngày làm việc" in visible_text(reminder)
        await world.minh.wait_for("Nhắc hạn trả lời")

        world.lan.press("📂 Mở phiếu", message=reminder)
        card = await world.lan.wait_for(code)
        assert "Nhận xử lý" in button_labels(card)
        assert not any(code in text for text in world.hung.texts())
        assert await world.app.metronome.sweep_now() == 0  # sent once


async def test_chair_hears_of_a_case_past_its_deadline(tmp_path: Path) -> None:
    clock = ShiftedClock()
    async with running_world(tmp_path, clock=clock) as world:
        code = await submit_case(world.citizen)
        await world.minh.wait_for(code)
        world.minh.press("Nhận xử lý")
        await world.minh.wait_for("Ông/Bà đã nhận xử lý")

        assert await sweep_at(world, clock, await reminder_time(world, "overdue")) == 1
        escalation = visible_text(await world.hung.wait_for("Phiếu quá hạn"))
        assert code in escalation and "Lê Quang Minh" in escalation
        holder = visible_text(await world.minh.wait_for("đã quá hạn"))
        assert code in holder
        # The late "n days left" reminders are moot once the deadline has passed.
        assert not any("Nhắc hạn" in text for text in world.minh.texts())


async def test_citizen_gets_a_progress_note_while_the_case_stays_open(tmp_path: Path) -> None:
    clock = ShiftedClock()
    async with running_world(tmp_path, clock=clock) as world:
        code = await submit_case(world.citizen)

        assert await sweep_at(world, clock, await reminder_time(world, "progress")) == 2
        note = visible_text(await world.citizen.wait_for("vẫn đang được xử lý"))
        assert code in note
