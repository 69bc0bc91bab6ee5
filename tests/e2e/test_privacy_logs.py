"""Logs at INFO never contain a citizen's id, name, username, phone or message text."""

from __future__ import annotations

import logging

import pytest

from tests.e2e.conftest import World, submit_case

SECRET_TEXT = "Bí mật: nhà số 17 hẻm 4 bị ngập"


async def test_a_full_round_trip_logs_no_citizen_identifiers(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    code = await submit_case(
        world.citizen, texts=(SECRET_TEXT,), anonymous=False, phone="0909123456"
    )
    notice = await world.lan.wait_for(code)
    world.lan.say("Đã tiếp nhận, sẽ xử lý.", reply_to=notice["message_id"])
    await world.citizen.wait_for("Đã tiếp nhận, sẽ xử lý.")
    world.citizen.say(f"/tracuu {code}")
    await world.citizen.wait_for("Trạng thái")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "case" in logged  # the bot does log its work...
    for secret in (
        "2001",
        "Nguyễn",
        "Văn An",
        "an_nguyen",
        "0909123456",
        SECRET_TEXT,
        "123456:SANDBOX",
    ):
        assert secret not in logged  # ...but never who the citizen is or what they wrote
