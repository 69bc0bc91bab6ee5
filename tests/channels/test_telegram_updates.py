"""Updates are read into PTB objects without the parts no handler reads, and an unreadable one
is skipped without its content reaching the log."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram import Bot

from bot.channels.telegram_updates import read_update
from bot.domain.inbound import ButtonPress
from bot.handlers.translate import to_inbound

BOT = Bot("123456:TEST")
GROUP = -100777


def press(chat: dict[str, Any], *, thread: int | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 55,
        "date": 1790000000,
        "chat": chat,
        "from": {"id": 42, "is_bot": True, "first_name": "Hòm thư"},
        "text": "Ông/Bà vui lòng chọn lĩnh vực: Nguyễn Văn An, 0912 345 678",
        "reply_markup": {
            "inline_keyboard": [
                [{"text": f"Lĩnh vực {n}", "callback_data": f"d:f:{n}"}] for n in range(8)
            ]
        },
    }
    if thread is not None:
        message |= {"message_thread_id": thread, "is_topic_message": True}
    return {
        "update_id": 9,
        "callback_query": {
            "id": "77",
            "from": {"id": 1001, "is_bot": False, "first_name": "An"},
            "chat_instance": "1",
            "data": "d:f:3",
            "message": message,
        },
    }


def test_a_press_keeps_chat_sender_and_data_but_not_the_pressed_message_body() -> None:
    update = read_update(press({"id": 1001, "type": "private", "first_name": "An"}), BOT)
    assert update is not None
    inbound = to_inbound(update)
    assert inbound is not None
    assert inbound.action == ButtonPress("d:f:3")
    assert inbound.sender.chat.chat_id == "1001"
    query = update.callback_query
    assert query is not None and query.message is not None
    assert query.message.message_id == 55
    assert getattr(query.message, "text", None) is None  # never read, so never parsed
    assert getattr(query.message, "reply_markup", None) is None


def test_a_press_in_a_committee_topic_keeps_its_topic() -> None:
    raw = press({"id": GROUP, "type": "supergroup", "title": "BCĐ", "is_forum": True}, thread=12)
    update = read_update(raw, BOT)
    assert update is not None
    inbound = to_inbound(update, GROUP)
    assert inbound is not None and inbound.thread_id == "12"


def test_the_caller_s_update_is_left_as_it_was() -> None:
    raw = press({"id": 1001, "type": "private", "first_name": "An"})
    read_update(raw, BOT)
    assert "reply_markup" in raw["callback_query"]["message"]


def test_unreadable_updates_are_skipped_and_their_content_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    good = {
        "update_id": 3,
        "message": {
            "message_id": 1,
            "date": 1790000000,
            "chat": {"id": 1001, "type": "private"},
            "from": {"id": 1001, "is_bot": False, "first_name": "An"},
            "text": "Đường thôn 3 bị ngập",
        },
    }
    broken = {"update_id": 4, "message": {"chat": "Nguyễn Văn Bình 0987 654 321"}}
    assert read_update(good, BOT) is not None
    assert read_update(broken, BOT) is None
    assert "skipped an update that could not be read" in caplog.text
    assert "Bình" not in caplog.text and "0987" not in caplog.text
