"""SIGKILL around a meeting task's reminders: one that fell due while the bot was down goes out
at start-up, once; restarts after it neither send it again nor lose the escalation.

A real `homthu run` process keeps the minutes; its clock is the real one, so reminders fall due
by editing their rows while the bot is down (as a long downtime would leave them).
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.working_days import load_vietnam_calendar
from bot.sandbox_chat import SandboxChat
from bot.storage.database import to_db_time
from tests.crash.conftest import Crash
from tests.crash.harness import WAIT, count, query

pytestmark = pytest.mark.slow

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TASK = "Hoàn thiện hồ sơ đo đạc đường vào thôn Đông."
REMINDER = "Nhắc hạn nhiệm vụ"
ESCALATION = "Nhiệm vụ quá hạn"


def write(db_path: Path, sql: str, params: tuple[object, ...]) -> None:
    """Change the database while the bot is down."""
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute(sql, params)


def ago(delta: timedelta) -> str:
    """The instant `delta` before now, as stored."""
    return to_db_time(datetime.now(UTC) - delta)


def received(chat: SandboxChat, needle: str) -> int:
    """How many of the bot's messages to this chat contain `needle`."""
    return sum(needle in text for text in chat.texts())


async def give_task(crash: Crash, starts: datetime) -> None:
    """The secretary opens the meeting's minutes, records TASK and gives it to minh."""
    hoa = crash.hoa
    hoa.say("/bienban")
    await hoa.wait_for("chọn cuộc họp", timeout=WAIT)
    hoa.press(f"Hội nghị giao ban · {starts:%d/%m/%Y %H:%M}")
    await hoa.wait_for("Biên bản «", timeout=WAIT)
    hoa.press("Thêm kết luận")
    await hoa.wait_for("kết luận của cuộc họp", timeout=WAIT)
    hoa.say(TASK)
    await hoa.wait_for("Đã ghi kết luận", timeout=WAIT)
    hoa.press("Giao nhiệm vụ")
    await hoa.wait_for("chọn người thực hiện", timeout=WAIT)
    hoa.press("Lê Quang Minh")
    await hoa.wait_for("hạn hoàn thành", timeout=WAIT)
    due_on = _working_day(datetime.now(TZ).date() + timedelta(days=12))
    hoa.say(f"{due_on:%d/%m/%Y}")
    await hoa.wait_for("Đã giao nhiệm vụ", timeout=WAIT)
    await crash.minh.wait_for("Nhiệm vụ được giao", timeout=WAIT)


def make_due(db_path: Path, days_before: int | None, kind: str, when: str) -> None:
    """Move one of the task's reminders to `when`."""
    write(
        db_path,
        "UPDATE task_reminders SET due_at = ? WHERE kind = ? AND days_before IS ?",
        (when, kind, days_before),
    )


async def test_task_reminders_are_neither_lost_nor_repeated_across_kills(crash: Crash) -> None:
    await crash.boot()
    await crash.bot.kill()
    # The committee met two hours ago (the sample config's "giao-ban" meeting).
    starts = (datetime.now(TZ) - timedelta(hours=2)).replace(second=0, microsecond=0)
    write(
        crash.db_path,
        "INSERT INTO meeting_occurrences (meeting_id, starts_at) VALUES ('giao-ban', ?)",
        (to_db_time(starts),),
    )
    await crash.bot.start()
    await give_task(crash, starts)
    await crash.outbox_drained()
    await crash.bot.kill()

    # Down through both "before" moments: at start-up only the latest goes out, once.
    make_due(crash.db_path, 3, "before", ago(timedelta(days=2)))
    make_due(crash.db_path, 1, "before", ago(timedelta(hours=1)))
    await crash.bot.start()
    await crash.minh.wait_for(REMINDER, timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    # A restart with nothing due sends nothing again.
    await crash.bot.start()
    await crash.outbox_drained()
    await crash.minh.settle(quiet=0.5)
    await crash.bot.kill()
    assert received(crash.minh, REMINDER) == 1

    # Down past the due day: the escalation goes out at start-up, once, and never again.
    write(
        crash.db_path,
        "UPDATE meeting_conclusions SET due_on = ?",
        ((datetime.now(TZ).date() - timedelta(days=3)).isoformat(),),
    )
    make_due(crash.db_path, 0, "before", ago(timedelta(days=3)))
    make_due(crash.db_path, None, "overdue", ago(timedelta(minutes=5)))
    await crash.bot.start()
    await crash.hung.wait_for(ESCALATION, timeout=WAIT)
    await crash.minh.wait_for("đã quá hạn", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()
    await crash.bot.start()
    await crash.outbox_drained()
    await crash.hung.settle(quiet=0.5)
    await crash.bot.kill()

    assert received(crash.hung, ESCALATION) == 1
    assert received(crash.minh, REMINDER) == 1
    assert received(crash.minh, "đã quá hạn") == 1
    states = query(
        crash.db_path,
        "SELECT kind, days_before, sent_at IS NOT NULL, skipped_at IS NOT NULL"
        " FROM task_reminders ORDER BY kind, days_before",
    )
    assert states == [
        ("before", 0, 0, 1),  # moot once overdue
        ("before", 1, 1, 0),
        ("before", 3, 0, 1),  # superseded by the later one
        ("overdue", None, 1, 0),
    ]
    assert (
        count(crash.db_path, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'task_reminder_%'")
        == 2
    )


def _working_day(day: date) -> date:
    calendar = load_vietnam_calendar()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day
