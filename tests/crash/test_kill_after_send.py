"""SIGKILL right after the citizen presses **Gửi**: exactly one case, never zero and never two.

Whatever the moment of death, the press is either committed (and its receipt goes out, perhaps
twice: delivery is at least once) or still unconfirmed at Telegram, which delivers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

import pytest

from tests.crash.conftest import Crash
from tests.crash.harness import (
    WAIT,
    case_codes,
    is_pending,
    mentions,
    newest_update_id,
    receipts,
)

pytestmark = pytest.mark.slow

TEXT = "Cống thoát nước đầu thôn Đông bị tắc, nước tràn vào nhà dân."


@pytest.mark.parametrize("delay_ms", [0, 5, 10, 20, 50, 200])
async def test_kill_right_after_send_leaves_exactly_one_case_and_its_receipt(
    crash: Crash, delay_ms: int
) -> None:
    citizen = crash.citizen
    await crash.boot_to_confirmation(TEXT)

    citizen.press("Gửi")
    press = newest_update_id(crash.emu)
    if delay_ms:
        await asyncio.sleep(delay_ms / 1000)
    await crash.bot.kill()

    shown_before_kill = receipts(citizen)
    cases_at_kill = case_codes(crash.db_path)
    assert len(cases_at_kill) <= 1
    if shown_before_kill:
        assert cases_at_kill == shown_before_kill[:1]
    # Not committed means not confirmed either: Telegram still holds the press to deliver again.
    assert cases_at_kill or is_pending(crash.emu, press)

    await crash.bot.start()
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    (code,) = case_codes(crash.db_path)
    await crash.lan.wait_for(code, timeout=WAIT)
    await crash.minh.wait_for(code, timeout=WAIT)
    await crash.outbox_drained()
    await asyncio.gather(*(chat.settle(quiet=0.3) for chat in (citizen, crash.lan, crash.minh)))
    await crash.bot.kill()

    assert case_codes(crash.db_path) == [code]
    # Delivery is at least once: a kill between Telegram accepting a message and the bot
    # recording it as sent repeats that message after the restart, always about the same case.
    shown = receipts(citizen)
    assert shown and set(shown) == {code}
    assert mentions(crash.lan, code) >= 1
    assert mentions(crash.minh, code) >= 1
    assert mentions(crash.hung, code) == 0 and mentions(crash.hoa, code) == 0


async def test_press_fetched_but_not_yet_committed_is_delivered_again_after_a_kill(
    crash: Crash,
) -> None:
    citizen = crash.citizen
    await crash.boot_to_confirmation(TEXT)

    # Another writer (a backup, a stalled disk) keeps the bot's transaction waiting, which holds
    # open the window between fetching the press and committing it.
    writer = sqlite3.connect(crash.db_path, isolation_level=None, timeout=1.0)
    with contextlib.closing(writer):
        writer.execute("BEGIN IMMEDIATE")
        fetches = crash.emu.stats["getUpdates:200"]
        citizen.press("Gửi")
        press = newest_update_id(crash.emu)
        # Any getUpdates answered from now on carried the press to the bot.
        await crash.bot.wait_until(
            lambda: crash.emu.stats["getUpdates:200"] > fetches, "the bot to fetch the press"
        )
        await crash.bot.kill()
        writer.execute("ROLLBACK")
    assert case_codes(crash.db_path) == []
    assert is_pending(crash.emu, press), "the bot confirmed a press it had not committed"

    await crash.bot.start()
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()
    assert len(case_codes(crash.db_path)) == 1
    assert set(receipts(citizen)) == set(case_codes(crash.db_path))
