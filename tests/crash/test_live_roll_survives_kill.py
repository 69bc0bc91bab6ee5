"""SIGKILL around the secretary's live attendance list: it stays one message, edited in place.

The secretary creates a meeting for every member in a real `homthu run` process; lan's answer
posts the list, minh's edits it. The process is killed, and the last edit is made pending again,
as a kill between Telegram taking the edit and the bot recording it leaves it. After the restart
the edit goes again (Telegram answers "message is not modified", which counts as done), and the
chair's answer still edits the same message: the list is never posted twice.
"""

from __future__ import annotations

import pytest

from bot.sandbox_chat import visible_text
from tests.crash.conftest import Crash
from tests.crash.harness import WAIT
from tests.crash.test_meeting_summary_survives_kill import create_meeting, edit

pytestmark = pytest.mark.slow

ROLL = "Điểm danh"


async def test_the_live_list_stays_one_message_across_a_kill(crash: Crash) -> None:
    await crash.boot()
    await create_meeting(crash)
    for attendee in (crash.lan, crash.minh, crash.hung):
        await attendee.wait_for("Lịch họp mới", timeout=WAIT)
    await crash.outbox_drained()

    crash.lan.press("Tham dự")
    roll = await crash.hoa.wait_for(ROLL, timeout=WAIT)
    assert "Trần Thị Lan" in visible_text(roll)
    crash.minh.press("Tham dự")
    await crash.hoa.wait_for_edit(roll, "Tham dự (2)", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    edit(
        crash.db_path,
        "UPDATE outbox SET status = 'pending', sent_at = NULL, sent_message_id = NULL"
        " WHERE id = (SELECT outbox_id FROM meeting_live_rolls WHERE member_id = ?)",
        ("hoa",),
    )
    await crash.bot.start()
    await crash.outbox_drained()
    crash.hung.press("Tham dự")
    shown = await crash.hoa.wait_for_edit(roll, "Tham dự (3)", timeout=WAIT)
    assert "Nguyễn Văn Hùng" in visible_text(shown)
    await crash.outbox_drained()
    await crash.hoa.settle(quiet=0.3)
    await crash.bot.kill()

    assert sum(ROLL in text for text in crash.hoa.texts()) == 1
    edits = [c for c in crash.emu.calls if c.method == "editMessageText"]
    assert [c.ok for c in edits] == [True, False, True]  # the repeat was "not modified"
