"""SIGKILL after a press was handled but before Telegram heard so: Telegram delivers the same
update again, and the restarted bot must recognise it rather than act twice."""

from __future__ import annotations

import asyncio

import pytest

from sandbox import BotApiEmulator, FaultSpec
from tests.crash.conftest import Crash
from tests.crash.harness import (
    WAIT,
    case_codes,
    count,
    is_pending,
    mentions,
    newest_update_id,
    receipts,
)

pytestmark = pytest.mark.slow

TEXT = "Đèn đường ở ngã ba thôn Đông hỏng đã hai tuần."


def long_poll_waiting(emu: BotApiEmulator) -> bool:
    """A getUpdates call has been admitted and not yet answered."""
    answered = emu.stats["getUpdates:200"] + emu.stats["getUpdates:409"]
    return emu.state.poll_generation > answered


def answers_to(emu: BotApiEmulator, query_id: str) -> int:
    """How often the bot answered this callback query (each handling answers it once)."""
    return sum(
        call.method == "answerCallbackQuery" and call.params.get("callback_query_id") == query_id
        for call in emu.calls
    )


async def test_update_delivered_again_after_a_kill_is_not_acted_on_twice(crash: Crash) -> None:
    emu, citizen = crash.emu, crash.citizen
    await crash.boot_to_confirmation(TEXT)

    # Let the waiting long poll carry the press, then hold every later getUpdates, so the
    # offset that would confirm the press never reaches Telegram.
    await crash.bot.wait_until(lambda: long_poll_waiting(emu), "a waiting long poll")
    emu.inject_fault(FaultSpec(method="getUpdates", timeout=True, delay=60.0, times=None))
    citizen.press("Gửi")
    press = newest_update_id(emu)
    query_id = emu.state.updates[press]["callback_query"]["id"]

    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.bot.wait_until(lambda: answers_to(emu, query_id) == 1, "the press to be answered")
    await crash.outbox_drained()
    await crash.bot.kill()

    assert is_pending(emu, press)
    (code,) = case_codes(crash.db_path)
    handled = "SELECT COUNT(*) FROM processed_updates WHERE update_id = ?"
    assert count(crash.db_path, handled, (str(press),)) == 1
    seen_by_citizen = len(citizen.inbox())

    emu.clear_faults()
    await crash.bot.start()
    # The restarted bot receives the same update_id, answers its query, and confirms it.
    await crash.bot.wait_until(
        lambda: not is_pending(emu, press) and answers_to(emu, query_id) == 2,
        "the re-delivered press to be handled",
    )
    await crash.outbox_drained()
    await asyncio.gather(*(chat.settle(quiet=0.3) for chat in (citizen, crash.lan, crash.minh)))
    await crash.bot.kill()

    assert case_codes(crash.db_path) == [code]
    assert count(crash.db_path, handled, (str(press),)) == 1
    assert citizen.texts()[seen_by_citizen:] == []  # no second receipt, no "stale button"
    assert receipts(citizen) == [code]
    assert mentions(crash.lan, code) == 1 and mentions(crash.minh, code) == 1
