"""Webhook delivery: updates POSTed with the secret header, retried until accepted."""

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot

from sandbox import BotApiEmulator

USER = 42


class Receiver:
    """A tiny webhook endpoint that fails its first `failures` requests."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.bodies: list[dict[str, object]] = []
        self.secrets: list[str | None] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if self.failures > 0:
            self.failures -= 1
            return web.Response(status=500)
        self.bodies.append(await request.json())
        return web.Response()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(failures=1)
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


async def test_updates_are_posted_with_the_secret_and_retried(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token="bi-mat_1")
    emu.send_text(USER, "qua webhook")
    await emu.wait_until(lambda: len(receiver.bodies) == 1)
    assert receiver.secrets == ["bi-mat_1", "bi-mat_1"]
    message = receiver.bodies[0]["message"]
    assert isinstance(message, dict) and message["text"] == "qua webhook"
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message is not None and "500" in info.last_error_message


async def test_deleting_the_webhook_returns_to_polling(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    await bot.delete_webhook()
    emu.send_text(USER, "qua polling")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["qua polling"]
    assert receiver.bodies == []
