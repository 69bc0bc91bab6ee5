"""SIGTERM is the orderly way out: exit 0, what can be sent is sent, the database closes clean."""

from __future__ import annotations

import pytest

from sandbox import FaultSpec
from tests.crash.conftest import Crash
from tests.crash.harness import (
    case_codes,
    is_pending,
    mentions,
    newest_update_id,
    pending_outbox,
    query,
    receipts,
)

pytestmark = pytest.mark.slow

TEXT = "Đề nghị xã sửa cầu tre qua kênh thôn Đông trước mùa mưa."


async def test_sigterm_flushes_the_outbox_and_closes_the_database_cleanly(crash: Crash) -> None:
    citizen = crash.citizen
    await crash.boot_to_confirmation(TEXT)

    # Slow sends keep the receipt and the notices in flight when the signal arrives.
    crash.emu.inject_fault(FaultSpec(method="sendMessage", delay=1.5, times=None))
    citizen.press("Gửi")
    press = newest_update_id(crash.emu)
    await crash.bot.wait_until(lambda: bool(case_codes(crash.db_path)), "the case to be committed")
    assert pending_outbox(crash.db_path)

    assert await crash.bot.terminate() == 0

    (code,) = case_codes(crash.db_path)
    assert pending_outbox(crash.db_path) == []
    assert receipts(citizen) == [code]
    assert mentions(crash.lan, code) == 1 and mentions(crash.minh, code) == 1
    assert not is_pending(crash.emu, press)  # handled and confirmed: it will not come back
    assert query(crash.db_path, "PRAGMA integrity_check") == [("ok",)]
    # The last connection to close checkpoints the WAL into the database and removes it.
    wal = crash.db_path.with_name(crash.db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
