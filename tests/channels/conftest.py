"""Channel tests talk to the sandbox emulator through a real python-telegram-bot `Bot`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

# Before telegram is imported anywhere: RetryAfter.retry_after as a timedelta, without the
# deprecation warning that filterwarnings=error would turn into a failure.
os.environ["PTB_TIMEDELTA"] = "1"

from sandbox import BotApiEmulator

TOKEN = "123456:TEST"  # the tests' bot token: BotApiEmulator accepts only this one
CITIZEN = 5001  # a citizen who has written to the bot


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """The sandbox Bot API emulator on a free loopback port; CITIZEN has sent /start."""
    emulator = BotApiEmulator(token=TOKEN)
    await emulator.start(host="127.0.0.1", port=0)
    emulator.send_text(CITIZEN, "/start")
    yield emulator
    await emulator.stop()
