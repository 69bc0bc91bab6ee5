"""The secretary's live attendance list: one message per meeting, edited in place by every answer,
move or cancel, across a restart, and posted anew when the old one can no longer be edited.

A one-off meeting for lan and minh (tests/e2e/test_meetings.py); hoa is the secretary, hung the
chair. The clock is moved to just after the day-before reminder and the sweep run at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import start
from bot.sandbox_chat import JsonDict, SandboxChat, visible_text
from sandbox import FaultSpec
from tests.e2e.conftest import World, running_world
from tests.e2e.test_deadline_reminders import ShiftedClock
from tests.e2e.test_meetings import TZ, with_meeting
from tests.e2e.test_meetings_planning import secretary, typed

HOA = 1004
ROLL = "Điểm danh"


@asynccontextmanager
async def reminded(tmp_path: Path) -> AsyncIterator[tuple[World, ShiftedClock, SandboxChat]]:
    """A running bot whose attendees have just been reminded; and its clock, and hoa."""
    clock = ShiftedClock()
    start_at = (datetime.now(TZ) + timedelta(days=2)).replace(second=0, microsecond=0)
    async with running_world(tmp_path, clock=clock, configure=with_meeting(start_at)) as world:
        hoa = await secretary(world)
        clock.move_to(start_at.astimezone(UTC) - timedelta(days=1) + timedelta(minutes=1))
        assert await world.app.metronome.sweep_now() == 2
        await world.lan.wait_for("Nhắc lịch họp")
        await world.minh.wait_for("Nhắc lịch họp")
        yield world, clock, hoa


async def lan_attends(world: World, hoa: SandboxChat) -> JsonDict:
    """lan presses «Tham dự»; returns the list it posts to hoa."""
    world.lan.press("Tham dự")
    await world.lan.wait_for("Ông/Bà tham dự")
    roll = await hoa.wait_for(ROLL)
    assert "Tham dự (1): Trần Thị Lan" in visible_text(roll)
    return roll


async def minh_is_away(world: World, reason: str = "Ốm") -> None:
    """minh presses «Vắng» and a reason."""
    world.minh.press("Vắng")
    await world.minh.wait_for("vì lý do gì")
    world.minh.press(reason)
    await world.minh.wait_for(f"lý do: {reason}")


async def rolls_in(world: World, hoa: SandboxChat) -> list[str]:
    """Every roll call in hoa's chat once the outbox is empty."""
    assert await world.app.dispatcher.drain(10)
    return [text for text in hoa.texts() if ROLL in text]


def edits_to(world: World, chat_id: int) -> int:
    """How many successful editMessageText calls went to a chat."""
    return sum(
        1
        for call in world.emu.calls
        if call.method == "editMessageText"
        and call.ok
        and str(call.params["chat_id"]) == str(chat_id)
    )


async def test_two_answers_fill_one_list_in_the_secretarys_chat(tmp_path: Path) -> None:
    async with reminded(tmp_path) as (world, _clock, hoa):
        roll = await lan_attends(world, hoa)
        assert "Chưa trả lời (1): Lê Quang Minh" in visible_text(roll)

        world.minh.press("Vắng")
        await world.minh.wait_for("vì lý do gì")
        world.minh.press("Lý do khác")
        await world.minh.wait_for("nhập ngắn gọn lý do")
        world.minh.say("Đi tập huấn <i>ở huyện</i>")
        await world.minh.wait_for("Đã ghi nhận")

        shown = await hoa.wait_for_edit(
            roll, ("Vắng (1): Lê Quang Minh (Đi tập huấn <i>ở huyện</i>)", "Chưa trả lời (0)")
        )
        assert "Tham dự (1): Trần Thị Lan" in visible_text(shown)
        assert len(await rolls_in(world, hoa)) == 1
        assert edits_to(world, HOA) == 1


async def test_moving_then_cancelling_edit_the_same_list(tmp_path: Path) -> None:
    async with reminded(tmp_path) as (world, _clock, hoa):
        roll = await lan_attends(world, hoa)
        await minh_is_away(world)
        await hoa.wait_for_edit(roll, "Vắng (1): Lê Quang Minh (Ốm)")

        new_start = (datetime.now(TZ) + timedelta(days=4)).replace(
            hour=14, minute=30, second=0, microsecond=0
        )
        hoa.say("/lichhop")
        hoa.press("Dời lịch 1", message=await hoa.wait_for("Lịch họp sắp tới"))
        await hoa.wait_for("sang lúc nào")
        hoa.say(typed(new_start))
        await hoa.wait_for("Đã dời")
        moved = await hoa.wait_for_edit(roll, ("Đã dời lịch", typed(new_start)))
        assert "Chưa trả lời (2): Trần Thị Lan, Lê Quang Minh" in visible_text(moved)

        hoa.say("/lichhop")
        hoa.press("Hủy 1", message=await hoa.wait_for("Lịch họp sắp tới"))
        hoa.press("Xác nhận hủy", message=await hoa.wait_for("chắc chắn hủy"))
        await hoa.wait_for("Đã hủy")
        await hoa.wait_for_edit(roll, "Cuộc họp này đã bị hủy")
        assert len(await rolls_in(world, hoa)) == 1


async def test_a_move_before_any_answer_posts_no_list(tmp_path: Path) -> None:
    async with reminded(tmp_path) as (world, _clock, hoa):
        hoa.say("/lichhop")
        hoa.press("Hủy 1", message=await hoa.wait_for("Lịch họp sắp tới"))
        hoa.press("Xác nhận hủy", message=await hoa.wait_for("chắc chắn hủy"))
        await hoa.wait_for("Đã hủy")
        assert await rolls_in(world, hoa) == []


async def test_after_a_restart_the_next_answer_edits_the_same_list(tmp_path: Path) -> None:
    async with reminded(tmp_path) as (world, clock, hoa):
        roll = await lan_attends(world, hoa)
        assert await world.app.dispatcher.drain(10)
        await world.app.stop()
        world.app = await start(world.app.config, clock=clock)

        await minh_is_away(world)
        await hoa.wait_for_edit(roll, ("Vắng (1): Lê Quang Minh (Ốm)", "Tham dự (1)"))
        assert len(await rolls_in(world, hoa)) == 1


async def test_a_list_that_cannot_be_edited_is_posted_anew_and_kept_from_then_on(
    tmp_path: Path,
) -> None:
    async with reminded(tmp_path) as (world, _clock, hoa):
        roll = await lan_attends(world, hoa)
        assert await world.app.dispatcher.drain(10)
        # As if hoa had deleted it: Telegram refuses the edit.
        world.emu.inject_fault(
            FaultSpec(
                method="editMessageText",
                status=400,
                description="Bad Request: message to edit not found",
                chat_id=HOA,
            )
        )
        await minh_is_away(world)
        fresh = await hoa.wait_for("Vắng (1): Lê Quang Minh (Ốm)")
        assert fresh["message_id"] != roll["message_id"]
        assert "Vắng (0)" in visible_text(hoa.current(roll))  # the old one stays as it was

        # The next change edits the message now showing the list.
        world.lan.press("Vắng")
        await world.lan.wait_for("vì lý do gì")
        world.lan.press("Bận công tác")
        await world.lan.wait_for("lý do: Bận công tác")
        await hoa.wait_for_edit(fresh, ("Vắng (2)", "Trần Thị Lan (Bận công tác)"))
        assert len(await rolls_in(world, hoa)) == 2
        assert edits_to(world, HOA) == 1


async def test_asking_for_the_list_makes_the_newest_message_the_live_one(tmp_path: Path) -> None:
    async with reminded(tmp_path) as (world, _clock, hoa):
        first = await lan_attends(world, hoa)
        hoa.say("/diemdanh")
        asked = await hoa.wait_for(ROLL)
        assert asked["message_id"] != first["message_id"]

        await minh_is_away(world)
        await hoa.wait_for_edit(asked, "Vắng (1): Lê Quang Minh (Ốm)")
        assert "Vắng (0)" in visible_text(hoa.current(first))
        assert len(await rolls_in(world, hoa)) == 2
