"""Members the bot cannot reach: recorded, reported to the chair once, their cases re-routed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox_chat import button_labels, visible_text
from tests.e2e.conftest import World, running_world, submit_case

ENVIRONMENT = "Môi trường – vệ sinh"  # minh is its only member
UNREACHABLE = "Không gửi được tin nhắn cho thành viên"


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Like the shared world, except that minh has never pressed /start."""
    async with running_world(tmp_path, started=("hung", "lan")) as running:
        yield running


async def unreachable_reason(world: World, member_id: str) -> str | None:
    """Why the bot cannot reach a member, as stored (None when reachable)."""
    assert await world.app.dispatcher.drain(10)
    rows = await world.app.db.read(
        "SELECT unreachable_reason FROM members WHERE id = ?", (member_id,)
    )
    reason = rows[0][0]
    return None if reason is None else str(reason)


async def test_member_who_never_started_the_bot_is_recorded_unreachable(world: World) -> None:
    await submit_case(world.citizen, field=ENVIRONMENT)
    assert await unreachable_reason(world, "minh") is not None


async def test_chair_is_told_once_about_a_member_who_never_started(world: World) -> None:
    await submit_case(world.citizen, field=ENVIRONMENT)
    await submit_case(world.other_citizen, field="Đất đai")
    await submit_case(world.citizen, field=ENVIRONMENT)
    assert await world.app.dispatcher.drain(10)
    await world.hung.settle(quiet=0.3)
    warnings = [t for t in world.hung.texts() if UNREACHABLE in t]
    assert len(warnings) == 1
    assert "Lê Quang Minh" in warnings[0]


async def test_case_whose_only_member_is_unreachable_goes_to_the_chair(world: World) -> None:
    code = await submit_case(world.citizen, field=ENVIRONMENT)
    card = await world.hung.wait_for(code)
    assert "chuyển đến Trưởng ban" in visible_text(card)
    assert button_labels(card) == ["Nhận xử lý", "Trả lời", "Lịch sử", "Thao tác ▸"]


async def test_chair_answers_a_rerouted_case_and_the_citizen_receives_it(world: World) -> None:
    code = await submit_case(world.citizen, field=ENVIRONMENT)
    card = await world.hung.wait_for(code)
    world.hung.press("Trả lời", message=card)
    await world.hung.wait_for("Mời Ông/Bà gửi nội dung trả lời")
    world.hung.say("Tổ vệ sinh sẽ đến thu gom trong tuần.")
    answer = await world.citizen.wait_for("Tổ vệ sinh sẽ đến thu gom trong tuần.")
    assert code in visible_text(answer)


async def test_case_of_a_shared_field_stays_with_the_reachable_member(world: World) -> None:
    code = await submit_case(world.citizen, field="Đất đai")
    await world.lan.wait_for(code)
    await world.hung.wait_for(UNREACHABLE)
    assert code not in " ".join(world.hung.texts())


async def test_member_who_starts_the_bot_later_receives_the_next_case(world: World) -> None:
    first = await submit_case(world.citizen, field=ENVIRONMENT)
    await world.hung.wait_for(first)
    world.minh.say("/start")
    await world.minh.wait_for("kết nối với hòm thư")
    assert await unreachable_reason(world, "minh") is None
    second = await submit_case(world.other_citizen, field=ENVIRONMENT)
    card = await world.minh.wait_for(second)
    assert "Phiếu góp ý mới" in visible_text(card)
    await world.hung.settle(quiet=0.3)
    assert second not in " ".join(world.hung.texts())
