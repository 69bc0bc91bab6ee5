"""Fixtures for the emulator's tests: a running emulator and real PTB clients pointed at it."""

import os

# Before telegram is imported: reading RetryAfter.retry_after must not warn (filterwarnings=error).
os.environ["PTB_TIMEDELTA"] = "1"

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder, BaseHandler
from telegram.request import HTTPXRequest

from sandbox import BotApiEmulator

TOKEN = "123456:TEST"


def local_request(**kwargs: Any) -> HTTPXRequest:
    """An HTTPXRequest that never consults proxy variables."""
    return HTTPXRequest(httpx_kwargs={"trust_env": False}, **kwargs)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A started emulator; stopped (waking any poller) after the test."""
    emulator = BotApiEmulator(token=TOKEN, bot_username="homthu_bot")
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A real, initialized `telegram.Bot` talking to the emulator."""
    async with Bot(
        TOKEN,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        request=local_request(),
    ) as client:
        yield client


AppFactory = Callable[
    ..., contextlib.AbstractAsyncContextManager[Application[Any, Any, Any, Any, Any, Any]]
]


@pytest.fixture
def polling_app(emu: BotApiEmulator) -> AppFactory:
    """Run a polling PTB Application with the given handlers for the length of a `with`."""

    @contextlib.asynccontextmanager
    async def run(
        *handlers: BaseHandler[Any, Any, Any],
    ) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .request(local_request())
            .get_updates_request(local_request())
            .build()
        )
        for handler in handlers:
            app.add_handler(handler)
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(timeout=5)
            await app.start()
            try:
                yield app
            finally:
                await app.updater.stop()
                await app.stop()

    return run
