"""Automatic assignment: new cases of a field with auto_assign go round-robin to members on duty."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config
from bot.sandbox_chat import visible_text
from tests.e2e.conftest import World, running_world, submit_case

TITLE = "Phiếu được giao tự động cho Ông/Bà"


def auto_assign_land(config: Config) -> Config:
    """The sandbox config with "Đất đai" (Lan and Minh) assigned automatically."""
    fields = tuple(replace(f, auto_assign=True) if f.id == "dat-dai" else f for f in config.fields)
    return replace(config, fields=fields)


def off_duty(member_id: str) -> Callable[[Config], Config]:
    def configure(config: Config) -> Config:
        members = tuple(
            replace(m, on_duty=False) if m.id == member_id else m for m in config.members
        )
        return replace(auto_assign_land(config), members=members)

    return configure


@pytest.fixture
async def auto_world(tmp_path: Path) -> AsyncIterator[World]:
    async with running_world(tmp_path, configure=auto_assign_land) as running:
        yield running


async def assignee(world: World, code: str) -> tuple[str, str | None]:
    [row] = await world.app.db.read("SELECT state, assignee_id FROM cases WHERE code = ?", (code,))
    return row["state"], row["assignee_id"]


async def test_consecutive_cases_go_to_lan_then_minh_then_lan(auto_world: World) -> None:
    world = auto_world
    first = await submit_case(world.citizen, texts=("Lấn chiếm đất công ở thôn Đông.",))
    card = await world.lan.wait_for(first)
    assert TITLE in visible_text(card)
    notice = await world.minh.wait_for(first)
    assert "đã được giao tự động cho Trần Thị Lan" in visible_text(notice)
    await world.citizen.wait_for("đã được giao cho thành viên Ban chỉ đạo")

    second = await submit_case(world.citizen, texts=("Tranh chấp ranh giới đất.",))
    card = await world.minh.wait_for(second)
    assert TITLE in visible_text(card)
    notice = await world.lan.wait_for(second)
    assert "đã được giao tự động cho Lê Quang Minh" in visible_text(notice)

    third = await submit_case(world.citizen, texts=("Cấp sổ đỏ chậm.",))
    await world.lan.wait_for(TITLE)

    assert await assignee(world, first) == ("assigned", "lan")
    assert await assignee(world, second) == ("assigned", "minh")
    assert await assignee(world, third) == ("assigned", "lan")
    events = await world.app.db.read(
        "SELECT actor, note FROM case_events WHERE action = 'assign' ORDER BY id"
    )
    assert [tuple(e) for e in events] == [("system", "lan"), ("system", "minh"), ("system", "lan")]


async def test_a_member_off_duty_is_skipped(tmp_path: Path) -> None:
    async with running_world(tmp_path, configure=off_duty("lan")) as world:
        first = await submit_case(world.citizen, texts=("Lấn chiếm đất công.",))
        second = await submit_case(world.citizen, texts=("Tranh chấp ranh giới.",))
        await world.minh.wait_for(second)

        assert await assignee(world, first) == ("assigned", "minh")
        assert await assignee(world, second) == ("assigned", "minh")


async def test_other_fields_keep_the_shared_queue(auto_world: World) -> None:
    world = auto_world
    code = await submit_case(world.citizen, field="Hạ tầng – giao thông")
    card = await world.lan.wait_for(code)
    assert "Phiếu góp ý mới" in visible_text(card)
    assert await assignee(world, code) == ("received", None)


async def test_a_case_naming_a_member_is_left_to_the_chair(auto_world: World) -> None:
    world = auto_world
    code = await submit_case(world.citizen, texts=("Ông Lê Quang Minh lấn chiếm đất công.",))
    await world.hung.wait_for(code)
    assert await assignee(world, code) == ("received", None)
