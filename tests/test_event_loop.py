"""The bot runs on uvloop where it is installed; the environment can ask for the standard loop."""

from __future__ import annotations

import asyncio

import pytest

from bot import event_loop


async def _running_loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_uvloop_runs_the_bot_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("uvloop")
    monkeypatch.delenv(event_loop.ENV_VAR, raising=False)
    assert event_loop.loop_name() == "uvloop"
    assert event_loop.run(_running_loop_module()).startswith("uvloop")


def test_the_environment_can_ask_for_the_standard_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(event_loop.ENV_VAR, "asyncio")
    assert event_loop.loop_name() == "asyncio"
    assert event_loop.run(_running_loop_module()).startswith("asyncio")


def test_an_unknown_choice_is_reported_and_ignored(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(event_loop.ENV_VAR, "trio")
    chosen = event_loop.loop_name()
    assert chosen in event_loop.CHOICES
    assert "HOMTHU_EVENT_LOOP='trio'" in caplog.text
