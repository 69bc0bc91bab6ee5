"""The raw wire format: every request encoding Telegram accepts, and its error envelopes."""

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from sandbox import BotApiEmulator, FaultSpec

USER = 42


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(trust_env=False) as session:
        yield session


async def call(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, dict[str, object]]:
    async with session.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_json_form_and_query_encodings_are_all_understood(
    emu: BotApiEmulator, http: aiohttp.ClientSession
) -> None:
    emu.send_text(USER, "hi")
    api = f"{emu.base_url}{emu.token}"
    markup = {"inline_keyboard": [[{"text": "Gửi", "callback_data": "send"}]]}
    status, body = await call(
        http, f"{api}/sendMessage", json={"chat_id": USER, "text": "json", "reply_markup": markup}
    )
    assert status == 200 and body["ok"] is True
    form = {"chat_id": str(USER), "text": "123", "reply_markup": json.dumps(markup)}
    status, body = await call(http, f"{api}/sendmessage", data=form)
    result = body["result"]
    assert isinstance(result, dict) and result["text"] == "123"
    assert result["reply_markup"] == markup
    status, body = await call(http, f"{api}/sendMessage?chat_id={USER}&text=query")
    assert status == 200
    assert [m["text"] for m in emu.bot_messages(USER)] == ["json", "123", "query"]
    assert emu.calls[-2].params["reply_markup"] == markup


async def test_errors_use_telegrams_envelope(
    emu: BotApiEmulator, http: aiohttp.ClientSession
) -> None:
    api = f"{emu.base_url}{emu.token}"
    status, body = await call(http, f"{api}/sendMessage", data={"chat_id": "-5", "text": "x"})
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    emu.inject_fault(FaultSpec(method="getMe", retry_after=7))
    status, body = await call(http, f"{api}/getMe")
    assert status == 429 and body["parameters"] == {"retry_after": 7}
    status, body = await call(http, f"{emu.base_url}not-a-token/getMe")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await call(http, f"{api}/banChatMember", data={"chat_id": "1"})
    assert (
        status == 404 and body["description"] == "Not Found: method banChatMember is not emulated"
    )
    assert emu.unknown_calls[0].params == {"chat_id": 1}


async def test_a_json_body_of_strings_reads_like_the_same_form(
    emu: BotApiEmulator, http: aiohttp.ClientSession
) -> None:
    # As the real Bot API: a JSON string is the parameter's text, as a form value would be
    # (python-telegram-bot's RequestData.json_payload sends every value this way).
    emu.send_text(USER, "hi")
    api = f"{emu.base_url}{emu.token}"
    markup = {"inline_keyboard": [[{"text": "Gửi", "callback_data": "send"}]]}
    fields = {"chat_id": str(USER), "text": "123", "reply_markup": json.dumps(markup)}

    await call(http, f"{api}/sendMessage", data={**fields, "disable_notification": "true"})
    await call(http, f"{api}/sendMessage", json={**fields, "disable_notification": "true"})

    by_form, by_json = (c.params for c in emu.calls[-2:])
    assert by_json == by_form
    assert by_json["chat_id"] == USER and by_json["text"] == "123"
    assert by_json["reply_markup"] == markup and by_json["disable_notification"] is True
