"""The roster from the chat: invite links, deactivation, and the chair's audit log."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config
from bot.sandbox_chat import SandboxChat, visible_text
from tests.e2e.conftest import World, running_world, submit_case

INVITE = re.compile(r"start=(inv_[A-Za-z0-9_-]+)")


def without_minhs_telegram_id(config: Config) -> Config:
    members = tuple(replace(m, telegram_id=None) if m.id == "minh" else m for m in config.members)
    return replace(config, members=members)


@pytest.fixture
async def invite_world(tmp_path: Path) -> AsyncIterator[World]:
    """Minh is configured without a Telegram id, so he can only join through an invite."""
    async with running_world(
        tmp_path, configure=without_minhs_telegram_id, started=("hung", "lan")
    ) as world:
        yield world


async def invite_link(chair: SandboxChat, member_id: str) -> str:
    chair.say(f"/moi {member_id}")
    message = await chair.wait_for("Đường dẫn mời")
    match = INVITE.search(visible_text(message))
    assert match, visible_text(message)
    return match.group(1)


async def test_an_invited_member_joins_and_receives_the_cases_of_their_field(
    invite_world: World,
) -> None:
    world = invite_world
    token = await invite_link(world.hung, "minh")
    newcomer = SandboxChat(world.emu, 3003, "Lê Quang", "Minh")
    newcomer.say(f"/start {token}")
    await newcomer.wait_for("kết nối với hòm thư với vai trò thành viên")
    await world.hung.wait_for("đã kết nối với hòm thư qua đường dẫn mời")
    code = await submit_case(world.citizen, field="Môi trường – vệ sinh")
    card = await newcomer.wait_for(code)
    assert "Phiếu góp ý mới" in visible_text(card)


async def test_an_invite_works_once(invite_world: World) -> None:
    world = invite_world
    token = await invite_link(world.hung, "minh")
    first = SandboxChat(world.emu, 3003, "Lê Quang", "Minh")
    first.say(f"/start {token}")
    await first.wait_for("vai trò thành viên")
    stranger = SandboxChat(world.emu, 3004, "Người", "Lạ")
    stranger.say(f"/start {token}")
    await stranger.wait_for("không hợp lệ, đã dùng hoặc đã hết hạn")
    stranger.say("/viec")
    await stranger.wait_for("chỉ dành cho thành viên")


async def test_only_the_chair_creates_invites(invite_world: World) -> None:
    world = invite_world
    world.citizen.say("/moi minh")
    await world.citizen.wait_for("chỉ dành cho thành viên")


async def test_deactivating_a_member_returns_their_cases_to_the_field(world: World) -> None:
    code = await submit_case(world.citizen)
    card = await world.minh.wait_for(code)
    world.minh.press("Nhận xử lý", message=card)
    await world.minh.wait_for("Ông/Bà đã nhận xử lý")
    world.hung.say("/tamdung minh")
    await world.hung.wait_for("Đã tạm dừng thành viên")
    await world.minh.wait_for("tạm dừng vai trò thành viên")
    returned = await world.lan.wait_for("trả về lĩnh vực")
    assert code in visible_text(returned)
    [row] = await world.app.db.read("SELECT state, assignee_id FROM cases WHERE code = ?", (code,))
    assert (row["state"], row["assignee_id"]) == ("received", None)
    world.minh.say("/viec")
    await world.minh.wait_for("chỉ dành cho thành viên")
    world.hung.say("/kichhoat minh")
    await world.hung.wait_for("kích hoạt lại")
    world.minh.say("/viec")
    await world.minh.wait_for("Phiếu Ông/Bà đang xử lý")


async def test_the_chair_reads_the_audit_log_with_a_spreadsheet(world: World) -> None:
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    world.hung.say("/nhatky")
    log = await world.hung.wait_for("Nhật ký")
    assert "lan: claim" in visible_text(log)
    document = await world.hung.wait_for("Nhật ký thao tác")
    assert document["document"]["file_name"].endswith(".xlsx")
    world.minh.say("/nhatky")
    await world.minh.wait_for("dành cho Trưởng ban")
