"""A call in the answer to a webhook POST ("making requests when getting updates"): Telegram
performs it, and the bot never hears the result."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BotApiEmulator, FaultSpec
from sandbox.webhook import WEBHOOK_ANSWER

USER = 42
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ẩn danh", callback_data="anon")]])

Answer = Callable[[dict[str, Any]], web.Response]


class Hook:
    """A webhook endpoint that answers each update as the test says."""

    def __init__(self) -> None:
        self.answer: Answer = lambda _body: web.Response(text="ok")
        self.seen: list[dict[str, Any]] = []
        self.url = ""
        self.runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.seen.append(body)
        return self.answer(body)

    async def serve(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/hook"


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    receiver = Hook()
    await receiver.serve()
    yield receiver
    if receiver.runner is not None:
        await receiver.runner.cleanup()


def answer_query(body: dict[str, Any]) -> web.Response:
    query = body.get("callback_query")
    if query is None:
        return web.Response(text="ok")
    return web.json_response(
        {"method": "answerCallbackQuery", "callback_query_id": query["id"], "text": "Đã nhận"}
    )


async def press(emu: BotApiEmulator, bot: Bot) -> str:
    """The user presses a button of a bot message; returns the callback query's id."""
    emu.send_text(USER, "xin chào")
    prompt = await bot.send_message(USER, "Gửi ẩn danh?", reply_markup=KEYBOARD)
    return str(emu.press_button(USER, prompt.message_id, "anon")["id"])


async def test_a_json_answer_stops_the_spinner_without_a_request(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    hook.answer = answer_query
    query_id = await press(emu, bot)
    await bot.set_webhook(hook.url)
    await emu.wait_until(lambda: emu.callback_answer(query_id) is not None)

    assert emu.callback_answer(query_id) == {"text": "Đã nhận"}
    (call,) = [c for c in emu.calls if c.method == "answerCallbackQuery"]
    assert call.webhook_reply and call.ok
    assert all(d.accepted for d in emu.webhook_deliveries)


async def test_an_urlencoded_answer_is_performed_too(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    hook.answer = lambda body: web.Response(
        text=f"method=sendMessage&chat_id={USER}&text=Xin+ch%C3%A0o",
        content_type="application/x-www-form-urlencoded",
    )
    emu.send_text(USER, "hi")
    await bot.set_webhook(hook.url)
    message = await emu.wait_for_bot_message(USER, contains="Xin chào")
    assert message["text"] == "Xin chào"
    (call,) = [c for c in emu.calls if c.method == "sendMessage"]
    assert call.webhook_reply


async def test_a_failing_or_unknown_call_in_an_answer_does_not_undo_the_delivery(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    hook.answer = lambda body: web.json_response({"method": "sendMessage", "chat_id": ""})
    emu.send_text(USER, "một")
    await bot.set_webhook(hook.url)
    await emu.wait_until(lambda: emu.stats["sendMessage:400"] == 1)
    hook.answer = lambda body: web.json_response({"method": "noSuchMethod"})
    emu.send_text(USER, "hai")
    await emu.wait_until(lambda: len(emu.unknown_calls) == 1)

    assert emu.unknown_calls[0].webhook_reply
    assert [d.status for d in emu.webhook_deliveries] == [200, 200]
    assert emu.pending_updates() == 0


async def test_a_lost_answer_is_delivered_again_and_its_call_is_not_made(
    emu: BotApiEmulator, bot: Bot, hook: Hook
) -> None:
    hook.answer = answer_query
    await bot.set_webhook(hook.url)
    emu.send_text(USER, "xin chào")
    prompt = await bot.send_message(USER, "Gửi ẩn danh?", reply_markup=KEYBOARD)
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    emu.inject_fault(FaultSpec(method=WEBHOOK_ANSWER, timeout=True))
    query_id = emu.press_button(USER, prompt.message_id, "anon")["id"]
    await emu.wait_until(lambda: emu.callback_answer(query_id) is not None)

    statuses = [
        d.status for d in emu.webhook_deliveries if d.update_id == hook.seen[-1]["update_id"]
    ]
    assert statuses == [0, 200]  # the bot answered both times; Telegram heard the second
    assert emu.stats["answerCallbackQuery"] == 1  # only the answer that arrived was acted on
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Read timeout expired"
