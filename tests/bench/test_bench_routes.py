"""The bench emulator's HTTP routes, as `bench.intake` uses them from another process."""

import asyncio
import time
from typing import Any

import aiohttp

from bench.emulator import Timeline
from bench.people import LoadResult, Step, steps_to_json
from sandbox import BotApiEmulator


async def test_people_run_in_the_emulator_and_their_outcomes_come_back(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, _timeline = bench
    steps = steps_to_json([Step("say", "một", "Đã nhận: một"), Step("press", "Gửi", "Mã tra cứu")])
    async with aiohttp.ClientSession(emu.root, trust_env=False) as http:
        body = {"people": [{"user_id": u, "name": f"Dân {u}", "steps": steps} for u in (51, 52)]}
        async with http.post("/_bench/people", json=body) as response:
            assert (await response.json())["people"] == 2
        assert emu.state.people[51].first_name == "Dân 51"
        async with http.post("/_bench/run", json={"timeout": 10, "rate": None}) as response:
            result = LoadResult.from_json(await response.json())
        async with http.get("/_bench/timeline") as response:
            timeline = await response.json()
        async with http.get("/_bench/feed", params={"since": "0", "timeout": "0"}) as response:
            feed = await response.json()
        first_answer = emu.bot_messages(feed["messages"][0][0])[0]
        async with http.post("/_bench/reset") as response:
            assert response.status == 200
        async with http.get("/_bench/timeline") as response:
            after_reset = await response.json()

    assert result.errors == [] and len(result.finished) == 2
    assert {u[1] for u in timeline["updates"]} == {51, 52} and len(timeline["updates"]) == 4
    assert sorted(chat for chat, _t in timeline["bot_messages"]) == [51, 51, 52, 52]
    assert timeline["polls"], "each getUpdates arrival is stamped"
    assert feed["next"] == 4
    _chat, message_id, _t, text, buttons = feed["messages"][0]
    assert text.startswith("Đã nhận") and buttons == [["Gửi", "send"]]
    assert first_answer["message_id"] == message_id and first_answer["text"] == text
    assert after_reset["updates"] == [] and after_reset["bot_messages"] == []
    assert emu.state.people == {}


async def test_a_feed_request_waits_for_the_next_bot_message(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, _timeline = bench
    emu.add_user(61, "Dân 61")
    async with aiohttp.ClientSession(emu.root, trust_env=False) as http:

        async def feed() -> dict[str, Any]:
            params = {"since": "0", "timeout": "5"}
            async with http.get("/_bench/feed", params=params) as response:
                payload: dict[str, Any] = await response.json()
            return payload

        waiting = asyncio.create_task(feed())
        await asyncio.sleep(0.1)
        assert not waiting.done()
        started = time.monotonic()
        emu.send_text(61, "chào")
        payload = await waiting

    assert time.monotonic() - started < 4
    assert [m[3] for m in payload["messages"]] == ["Đã nhận: chào"]
