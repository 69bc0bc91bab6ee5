"""Forum topics: createForumTopic, posting into a topic, and members writing in one."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from sandbox import BotApiEmulator

GROUP = -1001234567890


async def test_create_forum_topic_returns_the_thread_id_name_and_colour(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_group(GROUP, "Ban tiếp nhận", forum=True)

    topic = await bot.create_forum_topic(GROUP, "MT-271126-0001-K7 · Đất đai")

    assert topic.name == "MT-271126-0001-K7 · Đất đai"
    assert topic.icon_color == 7322096
    assert emu.topics(GROUP) == [topic.to_dict()]
    opening = emu.messages(GROUP)[-1]
    assert opening["message_id"] == topic.message_thread_id
    assert opening["forum_topic_created"]["name"] == topic.name


async def test_topics_need_a_forum_supergroup(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_group(GROUP, "Ban tiếp nhận")
    with pytest.raises(BadRequest, match="not a forum"):
        await bot.create_forum_topic(GROUP, "Phiếu")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.create_forum_topic(-1009, "Phiếu")


async def test_a_message_sent_to_a_thread_lands_in_that_topic(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_group(GROUP, "Ban tiếp nhận", forum=True)
    topic = await bot.create_forum_topic(GROUP, "Phiếu")

    sent = await bot.send_message(GROUP, "Phiếu mới", message_thread_id=topic.message_thread_id)

    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    with pytest.raises(BadRequest, match="thread not found"):
        await bot.send_message(GROUP, "Lạc chỗ", message_thread_id=999)


async def test_a_member_writing_in_a_topic_replies_to_its_opening_unless_replying(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.add_group(GROUP, "Ban tiếp nhận", forum=True)
    topic = await bot.create_forum_topic(GROUP, "Phiếu")
    thread = topic.message_thread_id
    card = await bot.send_message(GROUP, "Phiếu mới", message_thread_id=thread)

    plain = emu.send_text(1001, "ghi chú", chat_id=GROUP, thread_id=thread)
    reply = emu.send_text(
        1001, "trả lời", reply_to=card.message_id, chat_id=GROUP, thread_id=thread
    )

    assert plain["message_thread_id"] == thread and plain["is_topic_message"]
    assert plain["reply_to_message"]["message_id"] == thread
    assert reply["reply_to_message"]["message_id"] == card.message_id
    with pytest.raises(ValueError, match="no topic"):
        emu.send_text(1001, "lạc", chat_id=GROUP, thread_id=999)
