"""The commonest updates read straight from their JSON give the mailbox exactly the event that
PTB's objects and handler table give it; every other shape is left to PTB."""

from __future__ import annotations

import copy
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder

from bot.channels.telegram_updates import PRESSED_MESSAGE_KEYS, chat_key_of, read_update
from bot.config import parse_config, sample_config_text
from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import TextInput
from bot.domain.model import ChatRef, Sender
from bot.domain.ports import SystemClock
from bot.handlers import lean_updates
from bot.handlers.lean_updates import lean_inbound
from bot.handlers.telegram_handlers import press_button, receive_message, register
from bot.handlers.translate import to_inbound
from bot.services.mailbox import Mailbox
from bot.services.rendering import Renderer
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts

BOT = Bot("123456:TEST")
GROUP = -100777
AN = {"id": 2001, "is_bot": False, "first_name": "Văn An", "last_name": "Nguyễn"}
AN_CHAT = {"id": 2001, "type": "private", "first_name": "Văn An", "last_name": "Nguyễn"}
HOMTHU = {"id": 42, "is_bot": True, "first_name": "Hòm thư", "username": "homthu_bot"}


def text(words: str, *, entities: list[dict[str, Any]] | None = None, **sender: Any) -> Any:
    message: dict[str, Any] = {
        "message_id": 7,
        "from": {**AN, **sender},
        "chat": AN_CHAT,
        "date": 1790000000,
        "text": words,
    }
    if entities is not None:
        message["entities"] = entities
    return {"update_id": 11, "message": message}


def command(words: str, length: int) -> Any:
    return text(words, entities=[{"type": "bot_command", "offset": 0, "length": length}])


def press(data: str = "d:f:dat-dai", *, date: int = 1790000000, **pressed: Any) -> Any:
    message = {
        "message_id": 55,
        "date": date,
        "chat": AN_CHAT,
        "from": HOMTHU,
        "text": "Bước 1/5: Ông/Bà vui lòng chọn lĩnh vực",
        "reply_markup": {"inline_keyboard": [[{"text": "Đất đai", "callback_data": data}]]},
        **pressed,
    }
    query = {"id": "2001123", "from": AN, "message": message, "chat_instance": "9", "data": data}
    return {"update_id": 12, "callback_query": query}


def hashtag(words: str, length: int) -> Any:
    return text(words, entities=[{"type": "hashtag", "offset": 0, "length": length}])


COMMON = {
    "text": text("Đường vào thôn Đông bị lấn chiếm"),
    "text with a hashtag": hashtag("#khẩn đường ngập", 5),
    "a command": command("/gopy", 5),
    "a command with its text": command("/tracuu  MT-261127-0042-K7 ", 7),
    "a command to the bot by name": command("/TraCuu@homthu_bot MT-1", 18),
    "a command further on": text(
        "xem /trogiup", entities=[{"type": "bot_command", "offset": 4, "length": 8}]
    ),
    "no entities at all": text("/gopy", entities=[]),
    "a sender without a last name": text("Xin chào", last_name=None),
    "a sender with an empty last name": text("Xin chào", last_name=""),
    "a sender with every user field": text(
        "Xin chào",
        username="an_nguyen",
        language_code="vi",
        is_premium=True,
        added_to_attachment_menu=False,
    ),
    "a press": press(),
    "a press on a message too old to show": press(date=0),
    "a press on a message with a topic id": press(message_thread_id=3, is_topic_message=False),
}


def without_none(data: Any) -> Any:
    """The JSON as Telegram sends it: absent fields left out, not null."""
    if isinstance(data, dict):
        return {k: without_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [without_none(v) for v in data]
    return data


def through_ptb(data: Any, committee_chat_id: int | None = None) -> Inbound | None:
    update = read_update(data, BOT)
    assert update is not None, "PTB could not read an update the lean reader took"
    return to_inbound(update, committee_chat_id)


@pytest.mark.parametrize("name", COMMON)
def test_a_common_update_gives_the_event_ptb_gives(name: str) -> None:
    data = without_none(COMMON[name])
    inbound = lean_inbound(data)
    assert inbound is not None
    assert inbound == through_ptb(data)
    assert inbound == through_ptb(data, GROUP)  # the committee group changes nothing in private


def test_what_the_mailbox_is_given() -> None:
    an = Sender(ChatRef("telegram", "2001"), "2001", "Văn An Nguyễn", None)
    assert lean_inbound(COMMON["a command with its text"]) == Inbound(
        "11", an, Command("tracuu", "MT-261127-0042-K7")
    )
    assert lean_inbound(press(date=0)) == Inbound("12", an, ButtonPress("d:f:dat-dai"))
    inbound = lean_inbound(without_none(COMMON["a sender without a last name"]))
    assert inbound == Inbound("11", replace(an, full_name="Văn An"), Message(TextInput("Xin chào")))


def in_group(data: Any) -> Any:
    group = {"id": GROUP, "type": "supergroup", "title": "BCĐ"}
    changed = copy.deepcopy(data)
    body = changed.get("message") or changed["callback_query"]["message"]
    body["chat"] = group
    return changed


def message_with(**changes: Any) -> Any:
    """A text message with some fields changed (None: left out)."""
    return {"update_id": 1, "message": {**text("x")["message"], **changes}}


def press_with(**changes: Any) -> Any:
    """A press with some fields of its callback query changed (None: left out)."""
    return {"update_id": 1, "callback_query": {**press()["callback_query"], **changes}}


PHOTO = [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]
UNUSUAL = {
    "a message in the committee group": in_group(text("ghi chú")),
    "a press in the committee group": in_group(press()),
    "a reply": message_with(reply_to_message={"message_id": 3, "date": 1, "chat": AN_CHAT}),
    "a photo": message_with(text=None, photo=PHOTO),
    "a message without text": message_with(text=None),
    "a bot's message": text("tôi là bot", is_bot=True),
    "a message with a field not known here": message_with(link_preview_options={}),
    "an entity for a mentioned user": text(
        "@An", entities=[{"type": "text_mention", "offset": 0, "length": 3, "user": AN}]
    ),
    "an edited message": {"update_id": 1, "edited_message": text("sửa")["message"]},
    "a press on an inline message": press_with(message=None, inline_message_id="x"),
    "a press of a game button": press_with(game_short_name="g"),
    "a press by a bot": press_with(**{"from": HOMTHU}),
    "two kinds in one update": {**text("x"), "callback_query": press()["callback_query"]},
    "an id that is a string": {"update_id": "1", "message": text("x")["message"]},
    "a message id that is true": message_with(message_id=True),
    "a date past the year 6000": message_with(date=2**40),
    "a chat without its type": message_with(chat={"id": 2001}),
    "a sender without a first name": message_with(**{"from": {"id": 2001, "is_bot": False}}),
    "a sender whose first name is empty": text("x", first_name=""),
    "not an update": {"update_id": 1},
}


@pytest.mark.parametrize("name", UNUSUAL)
def test_an_unusual_update_is_left_to_ptb(name: str) -> None:
    assert lean_inbound(without_none(UNUSUAL[name])) is None


# Random variants: whatever the lean reader takes, PTB reads and translates the same way.

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=6),
    st.just({}),
    st.just([]),
    st.just({"id": 1}),
    st.just(AN),
    st.just(AN_CHAT),
    st.just([{"type": "bot_command", "offset": 0, "length": 3}]),
).map(copy.deepcopy)
KEYS = st.sampled_from(
    sorted(
        set(lean_updates._USER)
        | set(lean_updates._PRIVATE_CHAT)
        | set(lean_updates._TEXT_MESSAGE)
        | set(lean_updates._PRESS)
        | set(lean_updates._PRESSED_MESSAGE)
        | set(lean_updates._ENTITY)
        | {"update_id", "message", "callback_query", "photo", "reply_to_message"}
    )
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def variants(draw: st.DrawFn) -> Any:
    """A common update with a few of its values replaced, keys dropped or keys added."""
    data = copy.deepcopy(without_none(draw(st.sampled_from(list(COMMON.values())))))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        if not path:
            continue
        *parents, last = path
        holder = data
        for step in parents:
            holder = holder[step]
        change = draw(st.sampled_from(["replace", "drop", "add"]))
        if change == "replace":
            holder[last] = draw(JSON_VALUES)
        elif change == "drop" and isinstance(holder, dict):
            del holder[last]
        elif change == "add" and isinstance(
            holder.get(last) if isinstance(holder, dict) else None, dict
        ):
            holder[last][draw(KEYS)] = draw(JSON_VALUES)
    return data


@settings(max_examples=400, deadline=None)
@given(variants())
def test_whatever_the_lean_reader_takes_ptb_reads_into_the_same_event(data: Any) -> None:
    inbound = lean_inbound(data)
    if inbound is not None:
        assert inbound == through_ptb(data)


def test_the_lean_reader_keeps_what_read_update_keeps_of_a_pressed_message() -> None:
    assert set(lean_updates._PRESSED_MESSAGE) == PRESSED_MESSAGE_KEYS


# The handler table: PTB would give every common update to one of the two callbacks that hand
# `to_inbound`'s event to the mailbox, which is all the lean path does.


@pytest.fixture
async def table(tmp_path: Path, db: Database) -> Application[Any, Any, Any, Any, Any, Any]:
    config = parse_config(sample_config_text(), tmp_path / "config.toml", env={})
    render = Renderer(load_texts("vi"), config.commune.tz, {f.id: f.name for f in config.fields})
    app = ApplicationBuilder().bot(BOT).updater(None).build()
    register(app, Mailbox(SqliteStorage(db), config, render, SystemClock()), GROUP)
    return app


@pytest.mark.parametrize("name", COMMON)
async def test_ptb_s_table_hands_a_common_update_to_the_mailbox(
    name: str, table: Application[Any, Any, Any, Any, Any, Any]
) -> None:
    update = read_update(without_none(COMMON[name]), BOT)
    assert isinstance(update, Update)
    chosen = [
        handler.callback
        for handlers in table.handlers.values()
        for handler in handlers
        if handler.check_update(update) not in (None, False)
    ]
    expected = press_button if update.callback_query is not None else receive_message
    assert chosen == [expected]


@pytest.mark.parametrize("name", [*COMMON, *UNUSUAL])
def test_updates_of_one_chat_keep_their_order_key(name: str) -> None:
    data = without_none({**COMMON, **UNUSUAL}[name])
    update = read_update(data, BOT)
    if update is None:
        return
    chat, user = update.effective_chat, update.effective_user
    assert chat_key_of(data) == (chat.id if chat else user.id if user else 0)
