"""`python -m sandbox` in its own process, driven through EmulatorControl."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from sandbox import FaultSpec
from sandbox.control_client import ControlError, EmulatorControl
from tests.served_process import served_module

TOKEN = "777:PROCESS"


@pytest.fixture
async def emulator_root(tmp_path: Path) -> AsyncIterator[str]:
    """Start the emulator process on a free port; SIGTERM it afterwards."""
    args = ["--port", "0", "--token", TOKEN]
    async with served_module("sandbox", args, tmp_path / "port") as root:
        yield root


async def test_control_api_round_trip(emulator_root: str) -> None:
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    async with (
        EmulatorControl(emulator_root) as control,
        Bot(TOKEN, base_url=f"{emulator_root}/bot", request=request) as bot,
    ):
        sent = await control.send_text(42, "/gopy")
        assert sent["entities"][0]["type"] == "bot_command"
        updates = await bot.get_updates(timeout=1)
        assert updates[0].message is not None and updates[0].message.text == "/gopy"

        await bot.send_message(42, "Bạn muốn góp ý về lĩnh vực nào?")
        reply = await control.wait_for_bot_message(42, contains="lĩnh vực")
        assert reply["from"]["is_bot"] is True
        assert [m["text"] for m in await control.messages(42)] == [
            "/gopy",
            "Bạn muốn góp ý về lĩnh vực nào?",
        ]

        await control.inject_fault(FaultSpec(method="sendMessage", retry_after=3))
        with pytest.raises(RetryAfter):
            await bot.send_message(42, "x")
        stats = await control.stats()
        assert stats["stats"]["429"] == 1 and stats["stats"]["sendMessage"] == 2
        with pytest.raises(TimeoutError):
            await control.wait_for_bot_message(42, contains="never", timeout=0.2)
        with pytest.raises(ControlError):
            await control.press_button(42, 2, "no-such-button")

        await control.reset()
        assert await control.messages(42) == []


async def test_brief_control_calls_act_without_echoing_what_they_made(emulator_root: str) -> None:
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    async with (
        EmulatorControl(emulator_root) as control,
        Bot(TOKEN, base_url=f"{emulator_root}/bot", request=request) as bot,
    ):
        assert await control.send_text(42, "/gopy", brief=True) == {}
        updates = await bot.get_updates(timeout=1)
        assert updates[0].message is not None and updates[0].message.text == "/gopy"

        keyboard = {"inline_keyboard": [[{"text": "Gửi", "callback_data": "send"}]]}
        sent = await bot.send_message(42, "Gửi góp ý?", reply_markup=keyboard)
        assert await control.press_button(42, sent.message_id, "send", brief=True) == {}
        updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
        query = updates[0].callback_query
        assert query is not None and query.data == "send"
        with pytest.raises(ControlError):
            await control.press_button(42, sent.message_id, "no-such-button", brief=True)
