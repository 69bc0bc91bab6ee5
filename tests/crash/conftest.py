"""Crash fixtures: the emulator on the test's loop, a killable bot process, and the people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.sandbox_chat import SandboxChat
from sandbox import BotApiEmulator
from tests.crash.harness import WAIT, BotProcess, pending_outbox, write_config


@dataclass
class Crash:
    """A bot process that tests kill and restart, and the chats that outlive it."""

    emu: BotApiEmulator
    bot: BotProcess
    db_path: Path
    citizen: SandboxChat
    hung: SandboxChat  # chair; in no field
    lan: SandboxChat  # "Đất đai" (with minh)
    minh: SandboxChat  # "Đất đai" (with lan)
    hoa: SandboxChat  # secretary, reception; in no field

    def members(self) -> list[SandboxChat]:
        """Every member's chat."""
        return [self.hung, self.lan, self.minh, self.hoa]

    async def boot(self) -> None:
        """First start: the members say /start, as they must before the bot can write to them."""
        await self.bot.start()
        for member in self.members():
            member.say("/start")
        for member in self.members():
            await member.wait_for("kết nối với hòm thư", timeout=WAIT)
            await member.settle(quiet=0.1)

    async def boot_to_confirmation(self, text: str) -> None:
        """First start, then the citizen's dialog up to the summary with its **Gửi** button, and
        nothing left in the outbox: the next press submits."""
        await self.boot()
        await walk_to_content(self.citizen)
        self.citizen.say(text)
        await self.citizen.wait_for("(1 phần)", timeout=WAIT)
        await confirm_anonymously(self.citizen)
        await self.outbox_drained()

    async def outbox_drained(self) -> None:
        """Wait until the bot has sent (and recorded) everything it queued."""
        await self.bot.wait_until(
            lambda: not pending_outbox(self.db_path), "the outbox to drain", WAIT
        )


@pytest.fixture
async def crash(tmp_path: Path) -> AsyncIterator[Crash]:
    """An emulator and a (not yet started) bot process on a fresh database in tmp_path."""
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    config_path, db_path = write_config(tmp_path, emu)
    bot = BotProcess(emu, config_path, tmp_path / "bot.log")
    try:
        yield Crash(
            emu=emu,
            bot=bot,
            db_path=db_path,
            citizen=SandboxChat(emu, 2001, "Nguyễn", "Văn An"),
            hung=SandboxChat(emu, 1001, "Nguyễn Văn", "Hùng"),
            lan=SandboxChat(emu, 1002, "Trần Thị", "Lan"),
            minh=SandboxChat(emu, 1003, "Lê Quang", "Minh"),
            hoa=SandboxChat(emu, 1004, "Phạm Thị", "Hoa"),
        )
    finally:
        await bot.cleanup()
        await emu.stop()


async def walk_to_content(citizen: SandboxChat) -> None:
    """/gopy, consent, field "Đất đai", village: the citizen is asked for the content."""
    citizen.say("/gopy")
    await citizen.wait_for("dữ liệu cá nhân", timeout=WAIT)
    citizen.press("Đồng ý")
    await citizen.wait_for("Bước 1/5", timeout=WAIT)
    citizen.press("Đất đai")
    await citizen.wait_for("Bước 2/5", timeout=WAIT)
    citizen.press("Thôn Đông")
    await citizen.wait_for("Bước 3/5", timeout=WAIT)


async def confirm_anonymously(citizen: SandboxChat) -> None:
    """From the content step with content given: on, anonymously, to the summary to confirm."""
    citizen.press("Tiếp tục")
    await citizen.wait_for("Bước 4/5", timeout=WAIT)
    citizen.press("Ẩn danh")
    await citizen.wait_for("kiểm tra lại", timeout=WAIT)
