"""The chair and the secretary plan meetings from the chat: create one step by step, move or
cancel one occurrence (every attendee told), and see who answered what. The clock is moved
forward and the sweep run at once, as in tests/e2e/test_meetings.py.

hung is the chair, hoa the secretary, lan and minh are members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import app as bot_app
from bot.config import Config, RecurrenceConfig
from bot.domain.meetings import RecurrenceKind
from bot.sandbox_chat import SandboxChat, button_labels, visible_text
from tests.e2e.conftest import World, running_world
from tests.e2e.test_deadline_reminders import ShiftedClock
from tests.e2e.test_meetings import TITLE, TZ, with_meeting

AGENDA = "https://drive.example.vn/hop-thon-dong"


def soon(days: int) -> datetime:
    """A local start `days` ahead, on the minute."""
    return (datetime.now(TZ) + timedelta(days=days)).replace(second=0, microsecond=0)


def typed(local: datetime) -> str:
    """A date-time as a Vietnamese official types it."""
    return f"{local:%d/%m/%Y %H:%M}"


def no_meetings(config: Config) -> Config:
    """The sample config without its configured meetings."""
    return replace(config, meetings=())


async def secretary(world: World) -> SandboxChat:
    """hoa, who has started the bot and read its welcome."""
    hoa = SandboxChat(world.emu, 1004, "Phạm Thị", "Hoa")
    hoa.say("/start")
    await hoa.wait_for("kết nối với hòm thư")
    assert await world.app.dispatcher.drain(10)
    hoa.mark_read()
    return hoa


async def sweep_at(world: World, clock: ShiftedClock, local: datetime) -> int:
    """Move the clock to a local instant and sweep; how many reminders went out."""
    clock.move_to(local.astimezone(UTC))
    sent = await world.app.metronome.sweep_now()
    assert await world.app.dispatcher.drain(10)
    return sent


async def audited(world: World, action: str) -> list[str]:
    """The audit details of one kind of action."""
    rows = await world.app.db.read("SELECT detail FROM audit_log WHERE action = ?", (action,))
    return [str(row["detail"]) for row in rows]


async def test_the_chair_creates_a_meeting_step_by_step_and_attendees_are_reminded(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(3)
    async with running_world(tmp_path, clock=clock, configure=no_meetings) as world:
        hung = world.hung
        hung.say("/lichhop")
        listing = await hung.wait_for("Lịch họp sắp tới")
        assert "Chưa có cuộc họp nào" in visible_text(listing)
        hung.press("➕ Tạo cuộc họp", message=listing)
        await hung.wait_for("nhập tên cuộc họp")
        hung.say("Họp bàn <b>đường</b> thôn Đông")
        await hung.wait_for("bắt đầu lúc nào")
        hung.say("chiều mai")
        await hung.wait_for("Chưa đọc được ngày giờ")
        hung.say("01/01/2020 08:00")
        await hung.wait_for("đã qua")
        hung.say(typed(start))
        await hung.wait_for("Họp ở đâu")
        hung.say("Nhà văn hóa thôn Đông")
        await hung.wait_for("tài liệu họp")
        hung.say("javascript:alert(1)")
        await hung.wait_for("Đường dẫn chưa hợp lệ")
        hung.say(AGENDA)
        await hung.wait_for("Mời những ai")
        hung.press("Xong (0 người)")
        await hung.wait_for("chọn ít nhất một người")
        hung.press("☐ Trần Thị Lan")
        await hung.wait_for("Mời những ai")
        hung.press("☐ Lê Quang Minh")
        picker = await hung.wait_for("Mời những ai")
        assert "☑ Trần Thị Lan" in button_labels(picker)
        hung.press("Xong (2 người)", message=picker)
        done = visible_text(await hung.wait_for("Đã tạo cuộc họp"))
        assert typed(start) in done and "2 người" in done

        for attendee in (world.lan, world.minh):
            notice = await attendee.wait_for("Lịch họp mới")
            text = visible_text(notice)
            assert "Họp bàn <b>đường</b> thôn Đông" in text  # shown as typed, not as markup
            assert typed(start) in text and "Nhà văn hóa thôn Đông" in text and AGENDA in text
            assert button_labels(notice) == ["Tham dự", "Vắng"]
        assert not any("Lịch họp mới" in t for t in hung.texts())  # hung is not invited

        hung.say("/lichhop")
        listing = visible_text(await hung.wait_for("Lịch họp sắp tới"))
        assert "Họp bàn <b>đường</b> thôn Đông" in listing
        assert await audited(world, "meeting_created")

        # The chat-created meeting goes through the sweeper: each reminder once.
        assert await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1)) == 2
        reminder = visible_text(await world.lan.wait_for("Nhắc lịch họp"))
        assert AGENDA in reminder and typed(start) in reminder
        assert await world.app.metronome.sweep_now() == 0
        assert await sweep_at(world, clock, start - timedelta(hours=2) + timedelta(minutes=1)) == 2
        await world.minh.wait_for("Nhắc lịch họp")
        world.minh.press("Tham dự")
        await world.minh.wait_for("Ông/Bà tham dự")

        # The briefing pack knows chat-created meetings too.
        hung.say("/baocaohop")
        pack = visible_text(await hung.wait_for("Báo cáo phục vụ hội nghị giao ban"))
        assert "Họp bàn <b>đường</b> thôn Đông" in pack and typed(start) in pack


async def test_only_the_chair_deputies_and_secretary_plan_meetings(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = soon(2)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        world.minh.say("/lichhop")
        listing = await world.minh.wait_for("Lịch họp sắp tới")
        assert button_labels(listing) == []  # a member sees the list, not the planning buttons
        world.minh.say("/diemdanh")
        await world.minh.wait_for("dành cho Trưởng ban, Phó ban hoặc Thư ký")
        world.minh.press_data(listing["message_id"], "g:new:0")
        await world.minh.wait_for("dành cho Trưởng ban, Phó ban hoặc Thư ký")
        occurrence = (await world.app.db.read("SELECT id FROM meeting_occurrences"))[0]["id"]
        world.minh.press_data(listing["message_id"], f"g:cancelok:{occurrence}")
        await world.minh.wait_for("dành cho Trưởng ban, Phó ban hoặc Thư ký")
        world.lan.say("/lichhop")  # a deputy may
        assert "➕ Tạo cuộc họp" in button_labels(await world.lan.wait_for("Lịch họp sắp tới"))
        world.lan.say("/trogiup")
        assert "/diemdanh" in visible_text(await world.lan.wait_for("Lịch họp (Trưởng ban"))
        world.minh.say("/trogiup")
        assert "/diemdanh" not in visible_text(await world.minh.wait_for("/lichhop"))

        # /huy leaves a half-made meeting behind; the next text is not taken as its title.
        world.hung.say("/lichhop")
        world.hung.press("➕ Tạo cuộc họp", message=await world.hung.wait_for("Lịch họp"))
        await world.hung.wait_for("nhập tên cuộc họp")
        world.hung.say("/huy")
        await world.hung.wait_for("lịch họp không thay đổi")
        world.hung.say("Họp gì đó")
        await world.hung.wait_for("Để trả lời người dân")
        rows = await world.app.db.read("SELECT COUNT(*) AS n FROM chat_meetings")
        assert rows[0]["n"] == 0
        assert not await audited(world, "meeting_cancelled")


def monthly_on(local: datetime) -> Callable[[Config], Config]:
    """test_meetings' meeting made monthly on `local`'s day and time, reminded 1 day and 2 hours
    ahead."""

    def configure(config: Config) -> Config:
        (one_off,) = with_meeting(local)(config).meetings
        meeting = replace(
            one_off,
            start=None,
            recurrence=RecurrenceConfig(RecurrenceKind.MONTHLY, day=local.day),
            time=local.time(),
            remind_before=(timedelta(days=1), timedelta(hours=2)),
        )
        return replace(config, meetings=(meeting,))

    return configure


async def test_moving_one_occurrence_tells_everyone_and_asks_them_again(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = soon(3).replace(hour=9, minute=0)
    new_start = (start + timedelta(days=2)).replace(hour=14, minute=30)
    configure = monthly_on(start)
    async with running_world(tmp_path, clock=clock, configure=configure) as world:
        hoa = await secretary(world)
        assert await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1)) == 2
        world.lan.press("Tham dự", message=await world.lan.wait_for("Nhắc lịch họp"))
        await world.lan.wait_for("Ông/Bà tham dự")

        hung = world.hung
        hung.say("/lichhop")
        listing = await hung.wait_for("Lịch họp sắp tới")
        assert visible_text(listing).count(TITLE) == 2  # this month's and next month's
        hung.press("Dời lịch 1", message=listing)
        await hung.wait_for("sang lúc nào")
        hung.say("32/13/2026 25:00")
        await hung.wait_for("Chưa đọc được ngày giờ")
        hung.say(typed(new_start))
        done = visible_text(await hung.wait_for("Đã dời"))
        assert typed(start) in done and typed(new_start) in done

        for attendee in (world.lan, world.minh):
            notice = await attendee.wait_for("Dời lịch họp")
            text = visible_text(notice)
            assert f"{typed(start)} → {typed(new_start)}" in text
            assert TITLE in text and "Phòng họp UBND xã" in text
            assert button_labels(notice) == ["Tham dự", "Vắng"]
        assert await audited(world, "meeting_moved")

        # Answers are asked again: lan's «Tham dự» was for the old time.
        hoa.say("/diemdanh")
        roll = visible_text(await hoa.wait_for("Điểm danh"))
        assert "Chưa trả lời (2): Trần Thị Lan, Lê Quang Minh" in roll
        assert typed(new_start) in roll

        # Only that occurrence moved: next month's stays where it was.
        hung.say("/lichhop")
        listing_text = visible_text(await hung.wait_for("Lịch họp sắp tới"))
        assert typed(new_start) in listing_text and typed(start) not in listing_text
        assert f"{start + timedelta(days=1):%H:%M}" in listing_text.split("\n", 2)[2]

        # The old 2-hour reminder is not sent; the new ones are, with the new time.
        assert await sweep_at(world, clock, start - timedelta(hours=2) + timedelta(minutes=1)) == 0
        assert (
            await sweep_at(world, clock, new_start - timedelta(days=1) + timedelta(minutes=1)) == 2
        )
        reminder = visible_text(await world.minh.wait_for("Nhắc lịch họp"))
        assert typed(new_start) in reminder
        # A later sweep does not plan the moved occurrence again at its old time.
        assert await world.app.metronome.sweep_now() == 0


async def test_a_meeting_moved_to_a_few_hours_ahead_is_not_reminded_at_once(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(2)
    new_start = soon(0) + timedelta(hours=5)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hoa = await secretary(world)
        world.hung.say("/lichhop")
        world.hung.press("Dời lịch 1", message=await world.hung.wait_for("Lịch họp sắp tới"))
        await world.hung.wait_for("sang lúc nào")
        world.hung.say(typed(new_start))
        await world.hung.wait_for("Đã dời")
        await world.lan.wait_for("Dời lịch họp")
        # Its day-before reminder is already past: the notice of the move stands for it.
        assert await world.app.metronome.sweep_now() == 0
        assert await world.app.metronome.sweep_now() == 0
        await sweep_at(world, clock, new_start - timedelta(minutes=59))
        summary = visible_text(await hoa.wait_for("Cuộc họp sắp bắt đầu"))
        assert typed(new_start) in summary
        assert not any("Nhắc lịch họp" in t for t in world.lan.texts())


async def test_cancelling_a_meeting_tells_everyone_and_stops_its_reminders(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(2)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hung = world.hung
        hung.say("/lichhop")
        hung.press("Hủy 1", message=await hung.wait_for("Lịch họp sắp tới"))
        confirm = await hung.wait_for("chắc chắn hủy")
        hung.press("Xác nhận hủy", message=confirm)
        await hung.wait_for("Đã hủy")
        for attendee in (world.lan, world.minh):
            notice = await attendee.wait_for("Hủy cuộc họp")
            assert TITLE in visible_text(notice) and typed(start) in visible_text(notice)
        assert await audited(world, "meeting_cancelled")

        hung.say("/lichhop")
        assert TITLE not in visible_text(await hung.wait_for("Lịch họp sắp tới"))
        hung.press("Xác nhận hủy", message=confirm)  # pressed again: nothing more happens
        await hung.wait_for("đã bắt đầu hoặc đã bị hủy")
        assert await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1)) == 0
        assert not any("Nhắc lịch họp" in t for t in world.lan.texts())


async def test_a_member_gives_their_own_reason_and_the_secretary_sees_the_list(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(2)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hoa = await secretary(world)
        await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1))
        world.minh.press("Vắng", message=await world.minh.wait_for("Nhắc lịch họp"))
        await world.minh.wait_for("vì lý do gì")
        world.minh.press("Lý do khác")
        await world.minh.wait_for("nhập ngắn gọn lý do")
        world.minh.say("x" * 201)
        await world.minh.wait_for("quá giới hạn 200 ký tự")
        world.minh.say("Đi tập huấn <i>ở huyện</i>")
        answer = visible_text(await world.minh.wait_for("Đã ghi nhận"))
        assert "lý do: Đi tập huấn <i>ở huyện</i>" in answer
        notice = visible_text(await hoa.wait_for("Lê Quang Minh"))
        assert "Đi tập huấn <i>ở huyện</i>" in notice

        hoa.say("/diemdanh")
        roll = visible_text(await hoa.wait_for("Điểm danh"))
        assert "Vắng (1): Lê Quang Minh (Đi tập huấn <i>ở huyện</i>)" in roll
        assert "Chưa trả lời (1): Trần Thị Lan" in roll
        assert "Tham dự (0): không có" in roll


async def test_the_secretary_gets_one_summary_an_hour_before(tmp_path: Path) -> None:
    clock = ShiftedClock()
    start = soon(2)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        hoa = await secretary(world)
        await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1))
        world.lan.press("Tham dự", message=await world.lan.wait_for("Nhắc lịch họp"))
        await world.lan.wait_for("Ông/Bà tham dự")
        await sweep_at(world, clock, start - timedelta(hours=2))
        assert not any("sắp bắt đầu" in t for t in hoa.texts())

        await sweep_at(world, clock, start - timedelta(minutes=59))
        summary = visible_text(await hoa.wait_for("Cuộc họp sắp bắt đầu"))
        assert "Tham dự (1): Trần Thị Lan" in summary
        assert "Chưa trả lời (1): Lê Quang Minh" in summary
        await sweep_at(world, clock, start - timedelta(minutes=30))
        await hoa.settle(quiet=0.3)
        assert sum("sắp bắt đầu" in t for t in hoa.texts()) == 1
        assert not any("sắp bắt đầu" in t for t in world.lan.texts())


async def test_a_meeting_removed_from_the_config_is_neither_shown_nor_reminded(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(2)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        world.hung.say("/lichhop")
        assert TITLE in visible_text(await world.hung.wait_for("Lịch họp sắp tới"))
        config = world.app.config
        await world.app.stop()
        world.app = await start_with(replace(config, meetings=()), clock)
        await world.app.metronome.sweep_now()  # the start-up sweep, done before we look

        world.hung.say("/lichhop")
        assert TITLE not in visible_text(await world.hung.wait_for("Lịch họp sắp tới"))
        assert await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1)) == 0
        assert not any("Nhắc lịch họp" in t for t in world.lan.texts())


async def test_a_meeting_whose_time_changed_in_the_config_is_reminded_at_the_new_time(
    tmp_path: Path,
) -> None:
    clock = ShiftedClock()
    start = soon(2)
    later = start + timedelta(hours=3)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start)) as world:
        config = world.app.config
        await world.app.stop()
        world.app = await start_with(with_meeting(later)(config), clock)
        await world.app.metronome.sweep_now()  # the start-up sweep, done before we look

        world.hung.say("/lichhop")
        listing = visible_text(await world.hung.wait_for("Lịch họp sắp tới"))
        assert listing.count(TITLE) == 1 and typed(later) in listing
        assert await sweep_at(world, clock, start - timedelta(days=1) + timedelta(minutes=1)) == 0
        assert await sweep_at(world, clock, later - timedelta(days=1) + timedelta(minutes=1)) == 2
        assert typed(later) in visible_text(await world.lan.wait_for("Nhắc lịch họp"))


async def start_with(config: Config, clock: ShiftedClock) -> bot_app.Homthu:
    """A fresh bot on the same database with a changed config."""
    return await bot_app.start(config, clock=clock)
