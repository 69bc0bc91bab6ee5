"""SIGKILL while the receipt and the members' notices wait in the outbox: they go out after the
restart, because they were committed with the case."""

from __future__ import annotations

import pytest

from sandbox import FaultSpec
from tests.crash.conftest import Crash
from tests.crash.harness import WAIT, case_codes, mentions, pending_outbox, query, receipts

pytestmark = pytest.mark.slow

TEXT = "Bãi rác tự phát cạnh trường tiểu học thôn Đông."
CITIZEN, LAN, MINH = "2001", "1002", "1003"


async def test_messages_pending_in_the_outbox_at_a_kill_are_delivered_after_restart(
    crash: Crash,
) -> None:
    citizen = crash.citizen
    await crash.boot_to_confirmation(TEXT)

    crash.emu.inject_fault(FaultSpec(method="*", status=500, times=None))
    citizen.press("Gửi")

    def every_send_failed_once() -> bool:
        pending = pending_outbox(crash.db_path)
        chats = {chat for chat, _ in pending}
        return {CITIZEN, LAN, MINH} <= chats and all(attempts >= 1 for _, attempts in pending)

    await crash.bot.wait_until(every_send_failed_once, "the receipt and notices to fail once")
    await crash.bot.kill()

    (code,) = case_codes(crash.db_path)
    assert {CITIZEN, LAN, MINH} <= {chat for chat, _ in pending_outbox(crash.db_path)}
    assert receipts(citizen) == []
    assert mentions(crash.lan, code) == 0 and mentions(crash.minh, code) == 0

    crash.emu.clear_faults()
    await crash.bot.start()
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.lan.wait_for(code, timeout=WAIT)
    await crash.minh.wait_for(code, timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    assert pending_outbox(crash.db_path) == []
    assert query(crash.db_path, "SELECT DISTINCT status FROM outbox") == [("sent",)]
    # Telegram accepted nothing before the kill, so nothing can have been sent twice.
    assert receipts(citizen) == [code]
    assert mentions(crash.lan, code) == 1 and mentions(crash.minh, code) == 1
