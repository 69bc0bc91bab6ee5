"""SIGKILL after a deadline reminder went out: the restarted bot does not send it again.

The reminders of a real `homthu run` process fall due by editing their rows while the bot is
down (as a long downtime would leave them); the sweep at start-up then catches up.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sandbox_chat import SandboxChat
from bot.storage.database import to_db_time
from tests.crash.conftest import Crash, confirm_anonymously, walk_to_content
from tests.crash.harness import WAIT, case_codes, count, query

pytestmark = pytest.mark.slow

TEXT = "Đèn đường đầu thôn Đông hỏng đã hai tuần."
REMINDER = "Nhắc hạn trả lời"


def ago(delta: timedelta) -> str:
    """The instant `delta` before now, as stored."""
    return to_db_time(datetime.now(UTC) - delta)


def make_due(db_path: Path, code: str, days_before: int, when: str) -> None:
    """Move a "before" reminder of case `code` to `when` (while the bot is down)."""
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute(
            "UPDATE case_reminders SET due_at = ? WHERE kind = 'before' AND days_before = ?"
            " AND case_id = (SELECT id FROM cases WHERE code = ?)",
            (when, days_before, code),
        )


def reminders_about(chat: SandboxChat, code: str) -> int:
    """How many deadline reminders about case `code` the member has received."""
    return sum(REMINDER in text and code in text for text in chat.texts())


async def submit_another(crash: Crash) -> None:
    """A second citizen submits a case, anonymously."""
    other = SandboxChat(crash.emu, 2002, "Trần", "Bình")
    await walk_to_content(other)
    other.say(TEXT)
    await other.wait_for("(1 phần)", timeout=WAIT)
    await confirm_anonymously(other)
    other.press("Gửi")
    await other.wait_for("Mã tra cứu", timeout=WAIT)


async def test_a_reminder_sent_before_a_kill_is_not_sent_again(crash: Crash) -> None:
    await crash.boot_to_confirmation(TEXT)
    crash.citizen.press("Gửi")
    await crash.citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await submit_another(crash)
    first, second = case_codes(crash.db_path)
    await crash.outbox_drained()
    await crash.bot.kill()

    # Down through both "before" moments of the first case: at start-up only the latest goes
    # out, once.
    make_due(crash.db_path, first, 3, ago(timedelta(days=2)))
    make_due(crash.db_path, first, 1, ago(timedelta(hours=1)))
    await crash.bot.start()
    for member in (crash.lan, crash.minh):
        assert first in (await member.wait_for(REMINDER, timeout=WAIT))["text"]
    await crash.outbox_drained()
    await crash.bot.kill()

    # Down again while the second case's reminder fell due: the start-up sweep sends that one
    # (so it did run) and not the first case's again.
    make_due(crash.db_path, second, 1, ago(timedelta(minutes=5)))
    await crash.bot.start()
    for member in (crash.lan, crash.minh):
        assert second in (await member.wait_for(REMINDER, timeout=WAIT))["text"]
    await crash.outbox_drained()
    await crash.lan.settle(quiet=0.3)
    await crash.bot.kill()

    for member in (crash.lan, crash.minh):
        assert reminders_about(member, first) == 1
        assert reminders_about(member, second) == 1
    assert (
        count(crash.db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'reminder_before'") == 2
    )
    states = query(
        crash.db_path,
        "SELECT days_before, sent_at IS NOT NULL, skipped_at IS NOT NULL FROM case_reminders"
        " WHERE kind = 'before' AND case_id = (SELECT id FROM cases WHERE code = ?)"
        " ORDER BY days_before",
        (first,),
    )
    assert states == [(1, 1, 0), (3, 0, 1)]
