"""A restart (in-process) loses nothing, and an update delivered twice acts once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import start
from bot.domain.inbound import ButtonPress, Inbound, Message
from bot.domain.intake_dialog import TextInput
from bot.domain.model import ChatRef, Sender
from bot.sandbox_chat import visible_text
from tests.e2e.conftest import (
    World,
    choose_identity,
    fill_in_submission,
    open_content_step,
    running_world,
    submit_case,
)

CITIZEN_SENDER = Sender(ChatRef("telegram", "2001"), "2001", "Nguyễn Văn An", "an_nguyen")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[World]:
    """A running bot whose field members (not the chair) have started it."""
    async with running_world(tmp_path, started=("lan", "minh")) as world:
        yield world


async def restart(world: World) -> None:
    """Stop the running bot gracefully, then start a fresh one on the same file."""
    await world.app.stop()
    world.app = await start(world.app.config)


async def test_citizen_continues_at_the_same_step_after_a_restart(bot: World) -> None:
    citizen = bot.citizen
    await open_content_step(citizen, village="Thôn Tây")
    citizen.say("Phần viết trước khi khởi động lại.")
    await citizen.wait_for("(1 phần)")
    await restart(bot)
    citizen.say("Phần viết sau khi khởi động lại.")
    await citizen.wait_for("(2 phần)")
    summary = visible_text(await choose_identity(citizen))
    assert "Thôn Tây" in summary
    assert "Phần viết trước khi khởi động lại." in summary
    assert "Phần viết sau khi khởi động lại." in summary


async def test_answer_written_after_a_restart_reaches_the_citizen(bot: World) -> None:
    code = await submit_case(bot.citizen)
    card = await bot.lan.wait_for(code)
    await restart(bot)
    bot.lan.say("Trả lời sau khi khởi động lại.", reply_to=card["message_id"])
    answer = await bot.citizen.wait_for("Trả lời sau khi khởi động lại.")
    assert code in visible_text(answer)


async def test_updates_sent_while_the_bot_is_down_are_handled_after_it_starts(
    bot: World,
) -> None:
    code = await submit_case(bot.citizen)
    card = await bot.lan.wait_for(code)
    await bot.app.stop()
    bot.lan.say("Trả lời gửi lúc hòm thư tạm dừng.", reply_to=card["message_id"])
    bot.app = await start(bot.app.config)
    await bot.citizen.wait_for("Trả lời gửi lúc hòm thư tạm dừng.")


# The same update twice ------------------------------------------------------------------------


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
    await open_content_step(world.citizen)
    message = Inbound("987655", CITIZEN_SENDER, Message(TextInput("Chỉ một lần.")))
    await world.app.mailbox.handle(message)
    await world.app.mailbox.handle(message)
    await world.citizen.wait_for("(1 phần)")
    await world.citizen.settle(quiet=0.5)
    assert not any("(2 phần)" in t for t in world.citizen.texts())
