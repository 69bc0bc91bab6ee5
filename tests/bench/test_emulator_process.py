"""`python -m bench.emulator` in its own process, as `bench.intake` runs it: people given over
HTTP act inside it against a bot in another process (here, this test's PTB Bot)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bench.people import LoadResult, Step, steps_to_json
from tests.served_process import served_module

TOKEN = "777:BENCHPROCESS"


@pytest.fixture
async def bench_root(tmp_path: Path) -> AsyncIterator[str]:
    """Start the bench emulator process on a free port; SIGTERM it afterwards."""
    args = ["--token", TOKEN]
    async with served_module("bench.emulator", args, tmp_path / "port", 10.0) as root:
        yield root


async def echo(bot: Bot) -> None:
    """A bare echo bot: every text comes back as it was written."""
    offset = None
    while True:
        for update in await bot.get_updates(offset=offset, timeout=1):
            offset = update.update_id + 1
            if update.message is not None and update.message.text is not None:
                await bot.send_message(update.message.chat.id, update.message.text)


async def test_people_given_over_http_finish_against_a_bot_in_another_process(
    bench_root: str,
) -> None:
    steps = [Step("say", f"Tin nhắn số {k}", f"Tin nhắn số {k}") for k in range(1, 4)]
    people = [{"user_id": u, "name": f"Dân {u}", "steps": steps_to_json(steps)} for u in (7, 8)]
    request = HTTPXRequest(httpx_kwargs={"trust_env": False})
    polling = HTTPXRequest(httpx_kwargs={"trust_env": False})
    async with (
        aiohttp.ClientSession(bench_root, trust_env=False) as http,
        Bot(
            TOKEN, base_url=f"{bench_root}/bot", request=request, get_updates_request=polling
        ) as bot,
    ):
        async with http.post("/_bench/people", json={"people": people}) as response:
            assert response.status == 200
        bot_task = asyncio.create_task(echo(bot))
        try:
            async with http.post("/_bench/run", json={"timeout": 10}) as response:
                result = LoadResult.from_json(await response.json())
            async with http.get("/_bench/timeline") as response:
                timeline = await response.json()
        finally:
            bot_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await bot_task

    assert result.errors == [] and [p.user_id for p in result.finished] == [7, 8]
    assert len(timeline["updates"]) == 6 and len(timeline["bot_messages"]) == 6
    assert all(
        p.answered_at is not None and p.answered_at <= timeline["now"] for p in result.people
    )
