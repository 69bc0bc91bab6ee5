"""Meetings through the running bot: an attendee is reminded in their private chat, answers
«Tham dự» or «Vắng» with a reason, the secretary sees the attendance list in one message kept
current, the chair gets each answer with the counts, and /lichhop lists the meeting. The clock
is moved forward and the sweep run at once.

The meeting is a one-off for lan and minh; hoa is the secretary, hung the chair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config, MeetingConfig
from bot.sandbox_chat import SandboxChat, button_labels, visible_text
from tests.e2e.conftest import running_world
from tests.e2e.test_deadline_reminders import ShiftedClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Giao ban tháng 12"


def with_meeting(start: datetime) -> Callable[[Config], Config]:
    """Add a one-off meeting at local `start` for lan and minh, reminded a day ahead."""

    def configure(config: Config) -> Config:
        meeting = MeetingConfig(
            id="giao-ban",
            title=TITLE,
            attendees=("lan", "minh"),
            place="Phòng họp UBND xã",
            start=start.replace(tzinfo=None),
            remind_before=(timedelta(days=1),),
            pack=(),  # the briefing pack: tests/e2e/test_briefing_pack.py
        )
        return replace(config, meetings=(meeting,))

    return configure


async def test_attendees_answer_the_reminder_and_the_secretary_sees_it(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = (datetime.now(TZ) + timedelta(days=2)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hoa = SandboxChat(world.emu, 1004, "Phạm Thị", "Hoa")
        hoa.say("/start")
        await hoa.wait_for("kết nối với hòm thư")
        assert await world.app.dispatcher.drain(10)
        hoa.mark_read()

        clock.move_to(start.astimezone(UTC) - timedelta(days=1) + timedelta(minutes=1))
        assert await world.app.metronome.sweep_now() == 2
        reminder = await world.lan.wait_for("Nhắc lịch họp")
        assert TITLE in visible_text(reminder) and "Phòng họp UBND xã" in visible_text(reminder)
        assert f"{start:%d/%m/%Y %H:%M}" in visible_text(reminder)
        assert button_labels(reminder) == ["Tham dự", "Vắng"]
        await world.minh.wait_for("Nhắc lịch họp")

        world.lan.press("Tham dự", message=reminder)
        await world.lan.wait_for("Ông/Bà tham dự")
        roll = await hoa.wait_for("Điểm danh")
        assert "Tham dự (1): Trần Thị Lan" in visible_text(roll)
        assert "Chưa trả lời (1): Lê Quang Minh" in visible_text(roll)
        notice = visible_text(await world.hung.wait_for("Trần Thị Lan"))
        assert "tham dự" in notice and "Chưa trả lời 1" in notice

        world.minh.press("Vắng")
        await world.minh.wait_for("vì lý do gì")
        world.minh.press("Ốm")
        await world.minh.wait_for("lý do: Ốm")
        notice = visible_text(await world.hung.wait_for("Lê Quang Minh"))
        assert "vắng" in notice and "Ốm" in notice
        assert "Tham dự 1 · Vắng 1 · Chưa trả lời 0" in notice
        # The secretary's list is the same message, edited: no new message per answer.
        await hoa.wait_for_edit(roll, ("Vắng (1): Lê Quang Minh (Ốm)", "Chưa trả lời (0)"))
        assert await world.app.dispatcher.drain(10)
        assert sum("Điểm danh" in text for text in hoa.texts()) == 1

        world.hung.say("/lichhop")
        listing = visible_text(await world.hung.wait_for("Lịch họp sắp tới"))
        assert TITLE in listing and "Tham dự 1 · Vắng 1 · Chưa trả lời 0" in listing
        assert await world.app.metronome.sweep_now() == 0  # each reminder goes once


async def test_only_attendees_answer_and_only_members_list_meetings(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = (datetime.now(TZ) + timedelta(days=2)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        clock.move_to(start.astimezone(UTC) - timedelta(days=1) + timedelta(minutes=1))
        await world.app.metronome.sweep_now()
        reminder = await world.lan.wait_for("Nhắc lịch họp")
        world.hung.press_data(reminder["message_id"], reminder_data(reminder, "yes"))
        await world.hung.wait_for("không có tên trong danh sách")
        world.citizen.say("/lichhop")
        await world.citizen.wait_for("chỉ dành cho thành viên")


def reminder_data(message: dict[str, object], verb: str) -> str:
    """The callback data of a reminder's button with this verb."""
    markup = message["reply_markup"]
    assert isinstance(markup, dict)
    for row in markup["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(f"g:{verb}:"):
                return str(button["callback_data"])
    raise AssertionError(f"no g:{verb} button")
