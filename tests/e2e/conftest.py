"""End-to-end fixtures: the sandbox emulator, a real bot running against it, and people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import Homthu
from bot.demo import sandbox_bot
from bot.sandbox_chat import SandboxChat
from sandbox import BotApiEmulator


@dataclass
class World:
    """The running bot and the people around it (members from the packaged sample config)."""

    emu: BotApiEmulator
    app: Homthu
    citizen: SandboxChat
    other_citizen: SandboxChat
    hung: SandboxChat  # chair
    lan: SandboxChat  # member of "Đất đai", "Hạ tầng – giao thông", "Khác"
    minh: SandboxChat  # member of "Đất đai", "Môi trường – vệ sinh", "An ninh trật tự"

    def members(self) -> list[SandboxChat]:
        """Every member's chat."""
        return [self.hung, self.lan, self.minh]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """A bot on a fresh SQLite file in tmp_path, with members who have started it."""
    async with sandbox_bot(tmp_path) as (emu, app):
        chats = World(
            emu=emu,
            app=app,
            citizen=SandboxChat(emu, 2001, "Nguyễn", "Văn An", username="an_nguyen"),
            other_citizen=SandboxChat(emu, 2002, "Trần", "Bình"),
            hung=SandboxChat(emu, 1001, "Nguyễn Văn", "Hùng"),
            lan=SandboxChat(emu, 1002, "Trần Thị", "Lan"),
            minh=SandboxChat(emu, 1003, "Lê Quang", "Minh"),
        )
        for chat in chats.members():
            chat.mark_read()
        yield chats


async def submit_case(
    citizen: SandboxChat,
    *,
    field: str = "Đất đai",
    village: str | None = "Thôn Đông",
    texts: tuple[str, ...] = ("Đường vào thôn bị lấn chiếm.",),
    anonymous: bool = True,
    phone: str | None = None,
) -> str:
    """Walk the whole /gopy dialog and return the tracking code from the receipt."""
    citizen.say("/gopy")
    first = await citizen.wait_for(("Bước 1/5", "dữ liệu cá nhân"))
    if "dữ liệu cá nhân" in first["text"]:
        citizen.press("Đồng ý")
        await citizen.wait_for("Bước 1/5")
    citizen.press(field)
    await citizen.wait_for("Bước 2/5")
    if village is None:
        citizen.press("Bỏ qua")
    else:
        citizen.press(village)
    await citizen.wait_for("Bước 3/5")
    for index, text in enumerate(texts, 1):
        citizen.say(text)
        await citizen.wait_for(f"({index} phần)")
    citizen.press("Tiếp tục")
    await citizen.wait_for("Bước 4/5")
    if anonymous:
        citizen.press("Ẩn danh")
    else:
        citizen.press("Gửi kèm họ tên")
        await citizen.wait_for("số điện thoại")
        if phone is None:
            citizen.emu.tap_keyboard(citizen.user_id, "Bỏ qua")
        else:
            citizen.emu.send_contact(citizen.user_id, phone, own=True)
    await citizen.wait_for("kiểm tra lại")
    citizen.press("Gửi")
    receipt = await citizen.wait_for("Mã tra cứu")
    return str(receipt["text"]).split("Mã tra cứu: ", 1)[1].split()[0]
