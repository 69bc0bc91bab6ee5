"""The committee supergroup: each case in its own forum topic, where members work as in private."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import CommitteeGroupConfig, Config
from bot.sandbox_chat import JsonDict, button_labels, visible_text
from tests.e2e.conftest import World, running_world, submit_case

GROUP = -1001234567890
STRANGER = 4242


def with_group(config: Config) -> Config:
    """The sample config with the committee group turned on."""
    return replace(config, committee_group=CommitteeGroupConfig(chat_id=GROUP))


@pytest.fixture
async def group_world(tmp_path: Path) -> AsyncIterator[World]:
    """A running bot whose committee group is a forum supergroup."""
    async with running_world(tmp_path, configure=with_group) as world:
        world.emu.add_group(GROUP, "Ban tiếp nhận góp ý", forum=True)
        world.emu.add_user(STRANGER, "Người", "Lạ")
        yield world


async def posted_case(world: World, *, anonymous: bool = True) -> tuple[str, JsonDict]:
    """A submitted case and its card in the group's topic."""
    code = await submit_case(world.citizen, anonymous=anonymous)
    card = await world.emu.wait_for_bot_message(GROUP, contains=code, timeout=10)
    return code, card


async def bot_reply_in(world: World, after: int, contains: str) -> JsonDict:
    """The bot's next message in the group containing `contains`."""
    return await world.emu.wait_for_bot_message(
        GROUP, contains=contains, after_count=after, timeout=10
    )


async def test_each_case_is_posted_in_its_own_topic_with_the_member_buttons(
    group_world: World,
) -> None:
    code, card = await posted_case(group_world)
    second, second_card = await posted_case(group_world)

    topics = group_world.emu.topics(GROUP)
    assert [t["name"] for t in topics] == [f"{code} · Đất đai", f"{second} · Đất đai"]
    assert card["message_thread_id"] == topics[0]["message_thread_id"]
    assert second_card["message_thread_id"] == topics[1]["message_thread_id"]
    assert button_labels(card)[:2] == ["Nhận xử lý", "Trả lời"]
    assert "Nguyễn" not in visible_text(card)  # anonymous: no identity in the group either
    await group_world.lan.wait_for(code)  # members still get it in private too


async def test_a_member_answers_by_replying_to_the_card_in_the_topic(group_world: World) -> None:
    _code, card = await posted_case(group_world)
    after = len(group_world.emu.bot_messages(GROUP))

    group_world.emu.send_text(
        1002,
        "Xã đã cho kiểm tra và giải tỏa lối đi.",
        reply_to=card["message_id"],
        chat_id=GROUP,
        thread_id=card["message_thread_id"],
    )

    await group_world.citizen.wait_for("giải tỏa lối đi")
    confirmation = await bot_reply_in(group_world, after, "Đã gửi câu trả lời")
    assert confirmation["message_thread_id"] == card["message_thread_id"]


async def test_a_plain_message_in_the_topic_stays_an_internal_note(group_world: World) -> None:
    code, card = await posted_case(group_world)
    group_world.citizen.mark_read()
    after = len(group_world.emu.bot_messages(GROUP))

    group_world.emu.send_text(
        1003, "Cần hỏi thêm địa chính.", chat_id=GROUP, thread_id=card["message_thread_id"]
    )

    saved = await bot_reply_in(group_world, after, "ghi chú nội bộ")
    assert saved["message_thread_id"] == card["message_thread_id"]
    group_world.emu.press_button(
        1003, card["message_id"], f"m:history:{_case_id(card)}", chat_id=GROUP
    )
    await bot_reply_in(group_world, after, "Cần hỏi thêm địa chính.")
    assert await group_world.citizen.settle() == []
    notes = await group_world.app.db.read(
        "SELECT m.kind, m.body FROM case_messages m JOIN cases c ON c.id = m.case_id"
        " WHERE c.code = ? AND m.kind = 'internal'",
        (code,),
    )
    assert [n["body"] for n in notes] == ["Cần hỏi thêm địa chính."]


async def test_someone_who_is_not_a_member_is_ignored_in_the_group(group_world: World) -> None:
    _code, card = await posted_case(group_world)
    group_world.citizen.mark_read()
    thread = card["message_thread_id"]
    before = len(group_world.emu.bot_messages(GROUP))

    group_world.emu.send_text(STRANGER, "Cho tôi xem với.", chat_id=GROUP, thread_id=thread)
    group_world.emu.send_text(
        STRANGER, "Trả lời hộ.", reply_to=card["message_id"], chat_id=GROUP, thread_id=thread
    )
    group_world.emu.send_text(1002, "Ghi chú sau.", chat_id=GROUP, thread_id=thread)

    await bot_reply_in(group_world, before, "ghi chú nội bộ")
    assert len(group_world.emu.bot_messages(GROUP)) == before + 1
    assert await group_world.citizen.settle() == []


def _case_id(card: JsonDict) -> str:
    """The case id carried by the card's history button."""
    for row in card["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith("m:history:"):
                return str(button["callback_data"].rsplit(":", 1)[1])
    raise AssertionError("the card has no history button")
