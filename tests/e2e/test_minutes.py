"""Minutes through the running bot: after a meeting the secretary confirms who attended (from the
replies to the invitation), records conclusions one message each, and a restart between the
prompt and the text loses nothing. The clock is moved past the meeting's start.

The meeting is a one-off for lan and minh; hoa is the secretary, hung the chair (lan a deputy).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import start
from bot.sandbox_chat import SandboxChat, button_labels, visible_text
from tests.e2e.conftest import World, running_world
from tests.e2e.test_deadline_reminders import ShiftedClock
from tests.e2e.test_meetings import TITLE, TZ, with_meeting


@dataclass
class Minutes:
    """A world whose meeting took place a few hours ago, and its secretary."""

    world: World
    clock: ShiftedClock
    hoa: SandboxChat
    start: datetime  # local

    async def open(self) -> dict[str, object]:
        """/bienban, pick the meeting: its minutes card."""
        self.hoa.say("/bienban")
        await self.hoa.wait_for("Mời Ông/Bà chọn cuộc họp")
        self.hoa.press(f"{TITLE} · {self.start:%d/%m/%Y %H:%M}")
        return await self.hoa.wait_for("Biên bản «")

    async def add_conclusion(self, text: str) -> dict[str, object]:
        """From the newest message offering it: «Thêm kết luận», then the text; the receipt."""
        self.hoa.press("Thêm kết luận")
        await self.hoa.wait_for("kết luận của cuộc họp")
        self.hoa.say(text)
        return await self.hoa.wait_for("Đã ghi kết luận")


@asynccontextmanager
async def meeting_held(tmp_path: Path, *, lan_attends: bool = True) -> AsyncIterator[Minutes]:
    """A meeting planned, lan (optionally) answering «Tham dự», then the clock past its start."""
    clock = ShiftedClock()
    start_at = (datetime.now(TZ) + timedelta(days=2)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start_at)) as world:
        hoa = SandboxChat(world.emu, 1004, "Phạm Thị", "Hoa")
        hoa.say("/start")
        await hoa.wait_for("kết nối với hòm thư")
        clock.move_to(start_at.astimezone(UTC) - timedelta(days=1) + timedelta(minutes=1))
        await world.app.metronome.sweep_now()
        reminder = await world.lan.wait_for("Nhắc lịch họp")
        if lan_attends:
            world.lan.press("Tham dự", message=reminder)
            await world.lan.wait_for("Ông/Bà tham dự")
        clock.move_to(start_at.astimezone(UTC) + timedelta(hours=3))
        assert await world.app.dispatcher.drain(10)
        hoa.mark_read()
        yield Minutes(world, clock, hoa, start_at)


async def test_the_secretary_confirms_attendance_from_the_replies_and_corrects_it(
    tmp_path: Path,
) -> None:
    async with meeting_held(tmp_path) as m:
        card = visible_text(await m.open())
        assert "Có mặt: Trần Thị Lan" in card and "Vắng: Lê Quang Minh" in card
        assert "chưa được xác nhận" in card

        m.hoa.press("Điểm danh")
        view = await m.hoa.wait_for("Điểm danh «")
        assert button_labels(view) == ["✅ Trần Thị Lan", "❌ Lê Quang Minh", "Xác nhận điểm danh"]
        m.hoa.press("❌ Lê Quang Minh", message=view)  # he came after all
        view = await m.hoa.wait_for("có mặt 2/2")
        assert "✅ Lê Quang Minh" in button_labels(view)
        m.hoa.press("Xác nhận điểm danh", message=view)
        await m.hoa.wait_for("Đã ghi nhận điểm danh: có mặt 2/2")
        card = visible_text(await m.hoa.wait_for("Biên bản «"))
        assert "Có mặt: Trần Thị Lan, Lê Quang Minh" in card
        assert "chưa được xác nhận" not in card
        rows = await m.world.app.db.read(
            "SELECT member_id, attended, recorded_by FROM meeting_attendance ORDER BY member_id"
        )
        assert [tuple(r) for r in rows] == [("lan", 1, "hoa"), ("minh", 1, "hoa")]


async def test_conclusions_are_recorded_one_message_each_and_listed(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        await m.open()
        first = await m.add_conclusion("Giao tổ công tác kiểm tra đường vào thôn Đông.")
        assert "kết luận số 1" in visible_text(first)
        assert button_labels(first)[:2] == ["Giao nhiệm vụ", "Gắn với phiếu"]

        m.hoa.press("Thêm kết luận", message=first)
        await m.hoa.wait_for("kết luận của cuộc họp")
        m.hoa.say("x" * 1501)
        await m.hoa.wait_for("Kết luận quá dài (1501 ký tự; tối đa 1500)")
        m.hoa.say("Tăng cường tuyên truyền về phân loại rác tại nguồn.")
        await m.hoa.wait_for("kết luận số 2")

        m.hoa.press("Xem biên bản")
        card = visible_text(await m.hoa.wait_for("Kết luận (2)"))
        assert "1. Giao tổ công tác kiểm tra đường vào thôn Đông." in card
        assert "2. Tăng cường tuyên truyền" in card
        rows = await m.world.app.db.read("SELECT created_by, text FROM meeting_conclusions")
        assert [r["created_by"] for r in rows] == ["hoa", "hoa"]


async def test_a_conclusion_typed_after_a_restart_is_recorded(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        await m.open()
        m.hoa.press("Thêm kết luận")
        await m.hoa.wait_for("kết luận của cuộc họp")
        await m.world.app.stop()
        m.world.app = await start(m.world.app.config, clock=m.clock)
        m.hoa.say("Kết luận gửi sau khi khởi động lại.")
        await m.hoa.wait_for("Đã ghi kết luận số 1")


async def test_huy_drops_the_waiting_conclusion(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        await m.open()
        m.hoa.press("Thêm kết luận")
        await m.hoa.wait_for("kết luận của cuộc họp")
        m.hoa.say("/huy")
        await m.hoa.wait_for("Đã hủy bước đang ghi biên bản")
        m.hoa.say("Câu này không phải kết luận.")
        await m.hoa.wait_for("Để trả lời người dân")
        assert await m.world.app.db.read("SELECT id FROM meeting_conclusions") == []


async def test_only_the_secretary_and_chairs_keep_minutes(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        card = await m.open()
        occurrence = int(str(_data(card, "b:att:")).split(":")[2])
        m.world.minh.say("/bienban")
        await m.world.minh.wait_for("dành cho thư ký, Trưởng ban và Phó ban")
        m.world.minh.press_data(card_id(card), f"b:add:{occurrence}")
        await m.world.minh.wait_for("dành cho thư ký")
        m.world.citizen.press_data(card_id(card), f"b:open:{occurrence}")
        await m.world.citizen.wait_for("chỉ dành cho thành viên")
        m.hoa.press_data(card_id(card), f"b:open:{occurrence + 99}")
        await m.hoa.wait_for("không hợp lệ")
        m.hoa.press_data(card_id(card), f"b:flip:{occurrence}:hung")  # not an attendee
        await m.hoa.wait_for("không hợp lệ")
        m.hoa.press_data(card_id(card), f"b:open:{occurrence}x")
        await m.hoa.wait_for("không hợp lệ")
        m.world.hung.say("/bienban")  # the chair may
        await m.world.hung.wait_for("Mời Ông/Bà chọn cuộc họp")
        assert await m.world.app.db.read("SELECT * FROM meeting_attendance") == []


async def test_a_meeting_yet_to_come_has_no_minutes(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start_at = (datetime.now(TZ) + timedelta(days=2)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start_at)) as world:
        await world.app.metronome.sweep_now()
        [[occurrence]] = await world.app.db.read("SELECT id FROM meeting_occurrences")
        world.hung.say("/bienban")
        listing = await world.hung.wait_for("Chưa có cuộc họp nào đã diễn ra")
        world.hung.press_data(listing["message_id"], f"b:add:{occurrence}")
        await world.hung.wait_for("chưa diễn ra")


def card_id(message: dict[str, object]) -> int:
    """A message's id, for pressing forged buttons under it."""
    return int(str(message["message_id"]))


def _data(message: dict[str, object], prefix: str) -> str:
    markup = message["reply_markup"]
    assert isinstance(markup, dict)
    for row in markup["inline_keyboard"]:
        for button in row:
            if str(button["callback_data"]).startswith(prefix):
                return str(button["callback_data"])
    raise AssertionError(f"no {prefix} button")


async def test_help_shows_minutes_to_the_secretary_and_tasks_to_every_member(
    tmp_path: Path,
) -> None:
    async with meeting_held(tmp_path) as m:
        m.hoa.say("/trogiup")
        assert "/bienban" in visible_text(await m.hoa.wait_for("Biên bản họp"))
        m.world.minh.say("/trogiup")
        help_text = visible_text(await m.world.minh.wait_for("/nhiemvu"))
        assert "/bienban" not in help_text
