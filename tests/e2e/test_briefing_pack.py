"""The briefing pack through the running bot: with a meeting's first reminder the chair and the
secretary receive the figures, the chart and the Word report, and again with the last one; the
chair, deputies and secretary can ask for it with /baocaohop; everyone else is refused politely.

The meeting is a one-off for lan and minh; hung chairs, lan is deputy, hoa is the secretary.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document

from bot.config import Config, MeetingConfig
from bot.sandbox_chat import JsonDict, SandboxChat, visible_text
from tests.e2e.conftest import World, running_world, submit_case
from tests.e2e.test_deadline_reminders import ShiftedClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Giao ban tháng 12"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def with_meeting(start: datetime) -> Callable[[Config], Config]:
    """A one-off meeting at local `start` for lan and minh, reminded two days and one day ahead."""

    def configure(config: Config) -> Config:
        meeting = MeetingConfig(
            id="giao-ban",
            title=TITLE,
            attendees=("lan", "minh"),
            place="Phòng họp UBND xã",
            start=start.replace(tzinfo=None),
            remind_before=(timedelta(days=2), timedelta(days=1)),
        )
        return replace(config, meetings=(meeting,))

    return configure


async def received_pack(world: World, chat: SandboxChat) -> tuple[str, JsonDict, JsonDict]:
    """Wait for a whole pack in `chat`: its text, the chart (photo) and the report (document)."""
    text = visible_text(await chat.wait_for("Báo cáo phục vụ hội nghị giao ban"))
    photo = await chat.wait_for("Biểu đồ phục vụ giao ban")
    document = await chat.wait_for("tệp Word để chỉnh sửa")
    return text, photo, document


def downloaded(world: World, message: JsonDict) -> bytes:
    """The bytes of a document the bot uploaded to the emulator."""
    stored = world.emu.state.files.get(message["document"]["file_id"])
    assert stored is not None
    return stored.data


async def test_the_chair_and_secretary_get_the_pack_with_the_first_and_last_reminder(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = (datetime.now(TZ) + timedelta(days=3)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hoa = SandboxChat(world.emu, 1004, "Phạm Thị", "Hoa")
        hoa.say("/start")
        await hoa.wait_for("kết nối với hòm thư")
        code = await submit_case(world.citizen, anonymous=False, phone="0912345678")
        assert await world.app.dispatcher.drain(10)
        for chat in (hoa, *world.members()):
            chat.mark_read()

        clock.move_to(start.astimezone(UTC) - timedelta(days=2) + timedelta(minutes=1))
        assert await world.app.metronome.sweep_now() == 2
        for chat in (world.hung, hoa):
            text, photo, document = await received_pack(world, chat)
            assert TITLE in text and "Tiếp nhận: 1" in text and "Đất đai: 1 / 0 / 0" in text
            assert "Nguyễn Văn An" not in text and "0912345678" not in text
            assert photo["photo"]
            assert document["document"]["mime_type"] == DOCX
            report = Document(io.BytesIO(downloaded(world, document)))
            paragraphs = [p.text for p in report.paragraphs if p.text]
            assert paragraphs[0] == "BÁO CÁO" and TITLE in paragraphs[1]
            cells = [c.text for t in report.tables for c in t._cells]
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells[1] and "Đất đai" in cells
            assert "Nguyễn Văn An" not in "".join(cells + paragraphs)
        await world.lan.wait_for("Nhắc lịch họp")
        assert not any("Báo cáo phục vụ" in t for t in world.lan.texts() + world.minh.texts())
        assert code  # named, yet never named in the pack

        world.hung.mark_read()
        clock.move_to(start.astimezone(UTC) - timedelta(days=1) + timedelta(minutes=1))
        assert await world.app.metronome.sweep_now() == 2
        await received_pack(world, world.hung)
        assert await world.app.metronome.sweep_now() == 0


async def test_leaders_ask_for_the_pack_and_others_are_refused(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = (datetime.now(TZ) + timedelta(days=3)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        await world.app.metronome.sweep_now()  # stores the coming occurrence
        world.lan.say("/baocaohop")  # a deputy
        text, _photo, _document = await received_pack(world, world.lan)
        assert TITLE in text and f"{start:%d/%m/%Y %H:%M}" in text

        world.minh.say("/baocaohop")
        await world.minh.wait_for("dành cho Trưởng ban, Phó ban và thư ký")
        world.citizen.say("/baocaohop")
        await world.citizen.wait_for("chỉ dành cho thành viên")
        assert not any("Báo cáo phục vụ" in t for t in world.minh.texts() + world.citizen.texts())


async def test_without_meetings_the_command_says_there_is_nothing_to_report(tmp_path: Path) -> None:
    async with running_world(tmp_path, configure=lambda c: replace(c, meetings=())) as world:
        world.hung.say("/baocaohop")
        await world.hung.wait_for("Chưa có cuộc họp nào để lập báo cáo")
