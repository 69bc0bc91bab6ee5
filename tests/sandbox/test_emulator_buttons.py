"""Inline buttons and reply keyboards, pressed by emulated users."""

from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackContext, CallbackQueryHandler, MessageHandler, filters

from sandbox import BotApiEmulator

USER = 42
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ẩn danh", callback_data="anon")]])


async def test_pressed_button_reaches_the_handler(
    emu: BotApiEmulator, bot: Bot, polling_app: Any
) -> None:
    emu.send_text(USER, "hi")
    prompt = await bot.send_message(USER, "Gửi ẩn danh?", reply_markup=KEYBOARD)
    outcomes: list[str] = []

    async def on_press(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        query = update.callback_query
        assert query is not None
        outcomes.append(query.data or "")
        await query.answer("Đã ghi nhận")
        try:
            await query.answer("lần hai")
        except BadRequest as error:
            outcomes.append(str(error))

    async with polling_app(CallbackQueryHandler(on_press)):
        query = emu.press_button(USER, prompt.message_id, "anon")
        await emu.wait_until(lambda: len(outcomes) == 2)
    assert outcomes[0] == "anon"
    assert "query is too old" in outcomes[1].lower()
    assert emu.callback_answer(query["id"]) == {"text": "Đã ghi nhận"}


def test_pressing_a_missing_button_is_a_test_error(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "hi")
    with pytest.raises(ValueError, match="no button"):
        emu.press_button(USER, 1, "anon")


async def test_forged_press_is_delivered(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "hi")
    prompt = await bot.send_message(USER, "Gửi ẩn danh?", reply_markup=KEYBOARD)
    emu.press_button(USER, prompt.message_id, "t:999:close", forged=True)
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].callback_query is not None
    assert updates[-1].callback_query.data == "t:999:close"


async def test_contact_button_shares_the_users_own_number(emu: BotApiEmulator, bot: Bot) -> None:
    emu.add_user(USER, "Lan", "Trần")
    emu.send_text(USER, "/start")
    button = KeyboardButton("Chia sẻ số điện thoại", request_contact=True)
    await bot.send_message(USER, "Số của bạn?", reply_markup=ReplyKeyboardMarkup([[button]]))
    assert emu.reply_keyboard(USER) is not None
    message = emu.tap_keyboard(USER, "Chia sẻ số điện thoại")
    assert message["contact"]["user_id"] == USER
    updates = await bot.get_updates(timeout=0)
    contact = updates[-1].message.contact if updates[-1].message else None
    assert contact is not None and contact.user_id == USER and contact.first_name == "Lan"
    await bot.send_message(USER, "Cảm ơn", reply_markup=ReplyKeyboardRemove())
    assert emu.reply_keyboard(USER) is None


async def test_user_reply_to_a_bot_message_carries_it(
    emu: BotApiEmulator, bot: Bot, polling_app: Any
) -> None:
    emu.send_text(USER, "hi")
    case = await bot.send_message(USER, "Phiếu MT-261127-0042-K7", reply_markup=KEYBOARD)
    replies: list[str] = []

    async def on_reply(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert update.message is not None and update.message.reply_to_message is not None
        replies.append(update.message.reply_to_message.text or "")

    async with polling_app(MessageHandler(filters.REPLY, on_reply)):
        emu.send_text(USER, "Đã xử lý xong", reply_to=case.message_id)
        await emu.wait_until(lambda: replies != [])
    assert replies == ["Phiếu MT-261127-0042-K7"]


async def test_forged_press_on_a_deleted_message_is_inaccessible(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.send_text(USER, "hi")
    emu.press_button(USER, 99, "t:1:close", forged=True)
    updates = await bot.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query is not None and query.message is not None
    assert not query.message.is_accessible
