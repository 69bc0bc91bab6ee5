"""Fixtures for the benchmark harness's tests: the bench emulator, in-process, and a real PTB
bot polling it (a small form: a text is answered with a keyboard, a press with a receipt)."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bench.emulator import Timeline, bench_emulator
from sandbox import BotApiEmulator

TOKEN = "123456:BENCH"
SILENT = "im lặng"  # a text the bot never answers


@pytest.fixture
async def bench() -> AsyncIterator[tuple[BotApiEmulator, Timeline]]:
    """The benchmark's emulator with its `/_bench/` routes and timeline, started."""
    emu, timeline = bench_emulator(TOKEN)
    await emu.start()
    yield emu, timeline
    await emu.stop()


async def _answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    if message.text == SILENT:
        return
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Gửi", callback_data="send")]])
    await message.reply_text(f"Đã nhận: {message.text}", reply_markup=keyboard)


async def _answer_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    await context.bot.send_message(query.message.chat.id, f"Mã tra cứu: {query.data}")


@pytest.fixture
async def form_bot(
    bench: tuple[BotApiEmulator, Timeline],
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """A polling PTB Application: texts get "Đã nhận" and a Gửi button, presses a receipt."""
    emu, _timeline = bench
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    polling = HTTPXRequest(httpx_kwargs={"trust_env": False})
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .request(request)
        .get_updates_request(polling)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _answer_text))
    app.add_handler(CallbackQueryHandler(_answer_press))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        await app.start()
        try:
            yield app
        finally:
            with contextlib.suppress(RuntimeError):
                await app.updater.stop()
            await app.stop()
