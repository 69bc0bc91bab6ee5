"""A restart (in-process) loses nothing, and an update delivered twice acts once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import Homthu, start
from bot.config import Config
from bot.demo import sandbox_config
from bot.domain.inbound import ButtonPress, Inbound, Message
from bot.domain.intake_dialog import TextInput
from bot.domain.model import ChatRef, Sender
from bot.sandbox_chat import SandboxChat, visible_text
from sandbox import BotApiEmulator
from tests.e2e.conftest import World, submit_case

CITIZEN_SENDER = Sender(ChatRef("telegram", "2001"), "2001", "Nguyễn Văn An", "an_nguyen")


@dataclass
class Restartable:
    """A bot that a test can stop and start again on the same database and emulator."""

    emu: BotApiEmulator
    config: Config
    app: Homthu
    citizen: SandboxChat
    lan: SandboxChat

    async def restart(self) -> None:
        """Stop the running bot gracefully, then start a fresh one on the same file."""
        await self.app.stop()
        self.app = await start(self.config)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Restartable]:
    """A running bot whose members have started it."""
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    config = sandbox_config(tmp_path, emu)
    app = await start(config)
    running = Restartable(
        emu,
        config,
        app,
        citizen=SandboxChat(emu, 2001, "Nguyễn", "Văn An", username="an_nguyen"),
        lan=SandboxChat(emu, 1002, "Trần Thị", "Lan"),
    )
    try:
        for chat in (running.lan, SandboxChat(emu, 1003, "Lê Quang", "Minh")):
            chat.say("/start")
            await chat.wait_for("kết nối với hòm thư")
            await chat.settle(quiet=0.2)
        yield running
    finally:
        await running.app.stop()
        await emu.stop()


async def test_citizen_continues_at_the_same_step_after_a_restart(bot: Restartable) -> None:
    citizen = bot.citizen
    citizen.say("/gopy")
    await citizen.wait_for("dữ liệu cá nhân")
    citizen.press("Đồng ý")
    await citizen.wait_for("Bước 1/5")
    citizen.press("Đất đai")
    await citizen.wait_for("Bước 2/5")
    citizen.press("Thôn Tây")
    await citizen.wait_for("Bước 3/5")
    citizen.say("Phần viết trước khi khởi động lại.")
    await citizen.wait_for("(1 phần)")
    await bot.restart()
    citizen.say("Phần viết sau khi khởi động lại.")
    await citizen.wait_for("(2 phần)")
    citizen.press("Tiếp tục")
    await citizen.wait_for("Bước 4/5")
    citizen.press("Ẩn danh")
    summary = visible_text(await citizen.wait_for("kiểm tra lại"))
    assert "Thôn Tây" in summary
    assert "Phần viết trước khi khởi động lại." in summary
    assert "Phần viết sau khi khởi động lại." in summary


async def test_answer_written_after_a_restart_reaches_the_citizen(bot: Restartable) -> None:
    code = await submit_case(bot.citizen)
    card = await bot.lan.wait_for(code)
    await bot.restart()
    bot.lan.say("Trả lời sau khi khởi động lại.", reply_to=card["message_id"])
    answer = await bot.citizen.wait_for("Trả lời sau khi khởi động lại.")
    assert code in visible_text(answer)


async def test_updates_sent_while_the_bot_is_down_are_handled_after_it_starts(
    bot: Restartable,
) -> None:
    code = await submit_case(bot.citizen)
    card = await bot.lan.wait_for(code)
    await bot.app.stop()
    bot.lan.say("Trả lời gửi lúc hòm thư tạm dừng.", reply_to=card["message_id"])
    bot.app = await start(bot.config)
    await bot.citizen.wait_for("Trả lời gửi lúc hòm thư tạm dừng.")


# The same update twice ------------------------------------------------------------------------


async def fill_in_submission(citizen: SandboxChat) -> None:
    """Walk /gopy up to the confirmation."""
    citizen.say("/gopy")
    await citizen.wait_for("dữ liệu cá nhân")
    citizen.press("Đồng ý")
    await citizen.wait_for("Bước 1/5")
    citizen.press("Đất đai")
    await citizen.wait_for("Bước 2/5")
    citizen.press("Bỏ qua")
    await citizen.wait_for("Bước 3/5")
    citizen.say("Nội dung.")
    await citizen.wait_for("(1 phần)")
    citizen.press("Tiếp tục")
    await citizen.wait_for("Bước 4/5")
    citizen.press("Ẩn danh")
    await citizen.wait_for("kiểm tra lại")


async def test_a_redelivered_send_press_creates_one_case_only(world: World) -> None:
    await fill_in_submission(world.citizen)
    press = Inbound("987654", CITIZEN_SENDER, ButtonPress("d:send"))
    await world.app.mailbox.handle(press)
    await world.app.mailbox.handle(press)
    await world.citizen.wait_for("Mã tra cứu")
    replies = [visible_text(m) for m in await world.citizen.settle(quiet=0.5)]
    assert len(await world.app.db.read("SELECT id FROM cases")) == 1
    assert sum("Mã tra cứu" in t for t in world.citizen.texts()) == 1
    assert not any("không còn hiệu lực" in t for t in replies)


async def test_a_redelivered_message_is_added_to_the_draft_once(world: World) -> None:
    world.citizen.say("/gopy")
    await world.citizen.wait_for("dữ liệu cá nhân")
    world.citizen.press("Đồng ý")
    await world.citizen.wait_for("Bước 1/5")
    world.citizen.press("Đất đai")
    await world.citizen.wait_for("Bước 2/5")
    world.citizen.press("Bỏ qua")
    await world.citizen.wait_for("Bước 3/5")
    message = Inbound("987655", CITIZEN_SENDER, Message(TextInput("Chỉ một lần.")))
    await world.app.mailbox.handle(message)
    await world.app.mailbox.handle(message)
    await world.citizen.wait_for("(1 phần)")
    await world.citizen.settle(quiet=0.5)
    assert not any("(2 phần)" in t for t in world.citizen.texts())
