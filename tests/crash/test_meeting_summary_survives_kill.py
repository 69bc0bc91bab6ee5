"""SIGKILL around the secretary's pre-meeting summary: it goes out once, never again.

The secretary creates a meeting from the chat in a real `homthu run` process; while the bot is
down its summary falls due (its row is edited, as a long downtime would leave it); the start-up
sweep sends it. After another kill and restart, with an attendee's reminder now due (which proves
the sweep ran), the summary is not sent again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.database import to_db_time
from tests.crash.conftest import Crash
from tests.crash.harness import WAIT, query

pytestmark = pytest.mark.slow

TZ_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh, the sample config's zone (no DST)
SUMMARY = "Cuộc họp sắp bắt đầu"
TITLE = "Họp triển khai thu ngân sách"


def ago(delta: timedelta) -> str:
    """The instant `delta` before now, as stored."""
    return to_db_time(datetime.now(UTC) - delta)


def edit(db_path: Path, sql: str, params: tuple[str, ...]) -> None:
    """Change rows while the bot is down."""
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as conn:
        conn.execute(sql, params)


async def create_meeting(crash: Crash) -> None:
    """hoa (the secretary) creates a meeting three days ahead for every member."""
    hoa = crash.hoa
    start = (datetime.now(UTC) + TZ_OFFSET + timedelta(days=3)).strftime("%d/%m/%Y 09:00")
    hoa.say("/lichhop")
    hoa.press("➕ Tạo cuộc họp", message=await hoa.wait_for("Lịch họp sắp tới", timeout=WAIT))
    for prompt, answer in (
        ("nhập tên cuộc họp", TITLE),
        ("bắt đầu lúc nào", start),
        ("Họp ở đâu", "Hội trường UBND xã"),
    ):
        await hoa.wait_for(prompt, timeout=WAIT)
        hoa.say(answer)
    await hoa.wait_for("tài liệu họp", timeout=WAIT)
    hoa.press("Bỏ qua")
    await hoa.wait_for("Mời những ai", timeout=WAIT)
    hoa.press("Tất cả thành viên")
    await hoa.wait_for("Đã tạo cuộc họp", timeout=WAIT)


async def test_the_pre_meeting_summary_is_sent_once_across_kills(crash: Crash) -> None:
    await crash.boot()
    await create_meeting(crash)
    await crash.lan.wait_for("Lịch họp mới", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    edit(
        crash.db_path,
        "UPDATE meeting_occurrences SET summary_due_at = ? WHERE meeting_id LIKE 'chat:%'",
        (ago(timedelta(minutes=5)),),
    )
    await crash.bot.start()
    summary = await crash.hoa.wait_for(SUMMARY, timeout=WAIT)
    assert TITLE in summary["text"]
    await crash.outbox_drained()
    await crash.bot.kill()

    # Down again while lan's first reminder fell due: it goes out (the sweep ran), the summary
    # does not go out a second time.
    edit(
        crash.db_path,
        "UPDATE meeting_reminders SET due_at = ? WHERE member_id = 'lan' AND id ="
        " (SELECT MIN(id) FROM meeting_reminders WHERE member_id = 'lan')",
        (ago(timedelta(minutes=1)),),
    )
    await crash.bot.start()
    await crash.lan.wait_for("Nhắc lịch họp", timeout=WAIT)
    await crash.outbox_drained()
    await crash.hoa.settle(quiet=0.3)
    await crash.bot.kill()

    assert sum(SUMMARY in text for text in crash.hoa.texts()) == 1
    assert query(
        crash.db_path,
        "SELECT summary_sent_at IS NOT NULL, summary_skipped_at IS NULL FROM meeting_occurrences"
        " WHERE meeting_id LIKE 'chat:%'",
    ) == [(1, 1)]
