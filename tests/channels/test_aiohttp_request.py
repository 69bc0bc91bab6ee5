"""AiohttpRequest's own details (the shared contract: test_request_contract.py), and the whole bot
on each http_client."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import pytest
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from bot.app import start
from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from bot.channels.telegram_raw_bot import RawResultBot
from bot.demo import sandbox_config
from bot.sandbox_chat import SandboxChat
from sandbox import BotApiEmulator

TOKEN = "123456:TEST"


async def test_a_refused_connection_names_aiohttps_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError, match=r"aiohttp\.ClientConnectorError"):
            await request.post(f"http://127.0.0.1:{closed_port}/bot{TOKEN}/getMe")


def test_proxy_credentials_become_a_proxy_authorization_header() -> None:
    request = AiohttpRequest(proxy="http://u:p%40ss@proxy.example:3128")

    assert str(request._proxy) == "http://proxy.example:3128"
    assert request._proxy_headers == {"Proxy-Authorization": "Basic dTpwQHNz"}  # u:p@ss


@pytest.mark.parametrize(
    ("http_client", "request_class"),
    [("builtin", BuiltinRequest), ("aiohttp", AiohttpRequest), ("httpx", HTTPXRequest)],
)
async def test_the_whole_bot_runs_on_any_http_client(
    tmp_path: Path, http_client: str, request_class: type
) -> None:
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    try:
        config = sandbox_config(tmp_path, emu)
        config = dataclasses.replace(
            config, telegram=dataclasses.replace(config.telegram, http_client=http_client)
        )
        app = await start(config)
        try:
            assert isinstance(app.telegram.bot, RawResultBot)
            assert isinstance(app.telegram.bot.request, request_class)
            citizen = SandboxChat(emu, 2001, "Nguyễn", "Văn An")
            citizen.say("/start")
            welcome = await citizen.wait_for("Xin chào")
            assert "Xin chào" in welcome["text"]
        finally:
            await app.stop()
    finally:
        await emu.stop()
