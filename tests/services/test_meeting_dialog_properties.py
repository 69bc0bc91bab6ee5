"""Random and hostile sequences through the meeting flows (create, move, cancel, answer with an
own reason) on a real SQLite file: the mailbox never crashes, every queued message is valid
Telegram HTML within limits, and every meeting created has its one occurrence.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import MediaInput, TextInput
from bot.domain.model import Attachment, AttachmentKind, ChatRef, Sender
from bot.services.mailbox import Mailbox
from bot.services.rendering import Renderer
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts
from tests.services.test_mailbox_properties import (
    HOSTILE_TEXT,
    SteppingClock,
    assert_outbox_is_sendable,
    mailbox_config,
)

PEOPLE = {1001: "Nguyễn Văn Hùng", 1002: "Trần Thị Lan", 1003: "Lê Quang Minh", 1004: "Hoa"}
TYPED = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(
        [
            "15/12/2026 14:00",
            "14h ngày 20/12/2026",
            "01/01/2020 08:00",
            "31/02/2027 10:00",
            "99/99/9999 99:99",
            "https://drive.example.vn/tai-lieu",
            "javascript:alert(1)",
            "Họp <b>giao ban</b> & sơ kết",
        ]
    ),
)
BUTTONS = st.sampled_from(
    [
        "g:new:0",
        "g:noagenda:0",
        "g:all:0",
        "g:done:0",
        "g:pick:0:lan",
        "g:pick:0:minh",
        "g:pick:0:nope",
        "g:move:1",
        "g:cancel:1",
        "g:cancelok:1",
        "g:roll:1",
        "g:roll:999",
        "g:yes:1",
        "g:no:1",
        "g:why:1:other",
        "g:why:1:sick",
        "g:why:1:bogus",
        "g:new:x",
        "g:pick:0",
    ]
)
ACTIONS = st.one_of(
    st.builds(Command, st.sampled_from(["lichhop", "diemdanh", "huy"]), st.just("")),
    st.builds(ButtonPress, BUTTONS),
    st.builds(Message, st.builds(TextInput, TYPED)),
    st.just(Message(MediaInput(Attachment(AttachmentKind.PHOTO, file_id="p1")))),
)
NOISE = st.lists(st.tuples(st.sampled_from(sorted(PEOPLE)), ACTIONS), max_size=40)
# The chair creating a meeting for everyone: its occurrence is number 1, which the noise's
# buttons then move, cancel, answer and list.
CREATED: list[tuple[int, object]] = [
    (1001, Command("lichhop", "")),
    (1001, ButtonPress("g:new:0")),
    (1001, Message(TextInput("Họp <b>giao ban</b> & sơ kết"))),
    (1001, Message(TextInput("15/12/2026 14:00"))),
    (1001, Message(TextInput("Phòng họp UBND xã"))),
    (1001, ButtonPress("g:noagenda:0")),
    (1001, ButtonPress("g:all:0")),
]
STEPS = st.builds(lambda created, noise: (CREATED if created else []) + noise, st.booleans(), NOISE)


async def run_scenario(folder: Path, steps: list[tuple[int, object]]) -> Path:
    config = mailbox_config(folder)
    db = await Database.open(config.storage.path)
    try:
        render = Renderer(
            load_texts("vi"), config.commune.tz, {f.id: f.name for f in config.fields}
        )
        mailbox = Mailbox(SqliteStorage(db), config, render, SteppingClock())
        await mailbox.sync_members()
        for update_id, (user_id, action) in enumerate(steps):
            sender = Sender(ChatRef("telegram", str(user_id)), str(user_id), PEOPLE[user_id])
            await mailbox.handle(Inbound(str(update_id), sender, action))  # type: ignore[arg-type]
    finally:
        await db.close()
    return config.storage.path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_random_meeting_flows_never_crash_and_queue_only_sendable_messages(
    steps: list[tuple[int, object]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = asyncio.run(run_scenario(Path(tmp), steps))
        with sqlite3.connect(path) as conn:
            conn.row_factory = sqlite3.Row
            assert_outbox_is_sendable(conn)
            created = conn.execute("SELECT COUNT(*) FROM chat_meetings").fetchone()[0]
            occurrences = conn.execute(
                "SELECT COUNT(*) FROM meeting_occurrences WHERE meeting_id LIKE 'chat:%'"
            ).fetchone()[0]
            assert created == occurrences


def test_the_scripted_creation_creates_one_meeting() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = asyncio.run(run_scenario(Path(tmp), CREATED))
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT title FROM chat_meetings").fetchall() == [
                ("Họp <b>giao ban</b> & sơ kết",)
            ]
