"""Random and hostile event sequences through the mailbox on a real SQLite file.

Whatever people send, in whatever order, the mailbox never crashes, never leaves a case
half-written, and every message it queues is valid Telegram HTML within Telegram's limits.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config, parse_config, sample_config_text
from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import ContactInput, MediaInput, TextInput, UnsupportedInput
from bot.domain.model import Attachment, AttachmentKind, ChatRef, Sender
from bot.services.mailbox import Mailbox
from bot.services.rendering import Renderer
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts
from sandbox.html_check import parse_html

PEOPLE = {
    2001: "Nguyễn <b>Văn</b> An",
    2002: "Trần & Bình",
    1002: "Trần Thị Lan",  # a member in the sample config
}

HOSTILE_TEXT = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        [
            "<b>đậm</b>",
            "</code><a href='javascript:alert(1)'>x</a>",
            "*bold* _i_ [l](http://x) `code`",
            "&amp; &lt; &#x1F600; &",
            "Đất đai",
            "Bỏ qua",
            "",
            "   ",
            "x" * 20_000,
            "đường " * 700,
        ]
    ),
)
BUTTONS = st.sampled_from(
    [
        "d:agree",
        "d:refuse",
        "d:f:dat-dai",
        "d:f:moi-truong",
        "d:f:nope",
        "d:v:0",
        "d:v:99",
        "d:v:-1",
        "d:skip",
        "d:next",
        "d:anon",
        "d:named",
        "d:send",
        "d:back",
        "d:cancel",
        "m:claim:1",
        "m:answer:1",
        "m:history:1",
        "m:claim:x",
        "m:drop:1",
        "",
        "💥" * 20,
    ]
)
COMMANDS = st.sampled_from(["start", "gopy", "huy", "trogiup", "tracuu", "abc"])
MEDIA = st.sampled_from(
    [
        Attachment(AttachmentKind.PHOTO, file_id="p1", caption="<i>ảnh</i>"),
        Attachment(
            AttachmentKind.DOCUMENT,
            file_id="d1",
            file_name="a.pdf",
            mime_type="application/pdf",
            size=10,
        ),
        Attachment(
            AttachmentKind.DOCUMENT,
            file_id="d2",
            file_name="x.exe",
            mime_type="application/x-msdownload",
        ),
        Attachment(
            AttachmentKind.DOCUMENT,
            file_id="d3",
            file_name="big.pdf",
            mime_type="application/pdf",
            size=10**9,
        ),
        Attachment(AttachmentKind.VOICE, file_id="v1"),
        Attachment(AttachmentKind.LOCATION, latitude=10.2, longitude=106.3),
    ]
)
ACTIONS = st.one_of(
    st.builds(Command, COMMANDS, HOSTILE_TEXT),
    st.builds(ButtonPress, BUTTONS),
    st.builds(
        Message, st.builds(TextInput, HOSTILE_TEXT), st.none() | st.sampled_from(["1", "2", "3"])
    ),
    st.builds(Message, st.builds(MediaInput, MEDIA)),
    st.builds(Message, st.builds(ContactInput, st.just("0901234567"), st.booleans())),
    st.builds(Message, st.builds(UnsupportedInput, st.sampled_from(["sticker", "video", "poll"]))),
)
STEPS = st.lists(st.tuples(st.sampled_from(sorted(PEOPLE)), ACTIONS), max_size=40)


class SteppingClock:
    """A clock that moves a minute per reading, so sequences span days now and then."""

    def __init__(self) -> None:
        self.now_value = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.now_value += timedelta(minutes=37)
        return self.now_value


def mailbox_config(folder: Path) -> Config:
    config = parse_config(sample_config_text(), folder / "config.toml", env={})
    return replace(
        config, limits=replace(config.limits, submissions_per_day=3, messages_per_minute=1000)
    )


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
            inbound = Inbound(str(update_id), sender, action)  # type: ignore[arg-type]
            await mailbox.handle(inbound)
            if update_id % 7 == 0:
                await mailbox.handle(inbound)  # a re-delivered update changes nothing
    finally:
        await db.close()
    return config.storage.path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_random_event_sequences_never_crash_nor_half_write_a_case(
    steps: list[tuple[int, object]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = asyncio.run(run_scenario(Path(tmp), steps))
        with sqlite3.connect(path) as conn:
            conn.row_factory = sqlite3.Row
            assert_cases_are_whole(conn)
            assert_outbox_is_sendable(conn)
            handled = conn.execute("SELECT COUNT(*) FROM processed_updates").fetchone()[0]
            assert handled == len(steps)


def assert_cases_are_whole(conn: sqlite3.Connection) -> None:
    for case in conn.execute("SELECT id, code, citizen_id FROM cases"):
        received = conn.execute(
            "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND action = 'received'",
            (case["id"],),
        ).fetchone()[0]
        assert received == 1
        first = conn.execute(
            "SELECT COUNT(*) FROM case_messages WHERE case_id = ? AND kind = 'citizen'",
            (case["id"],),
        ).fetchone()[0]
        assert first >= 1
        receipts = conn.execute(
            "SELECT payload FROM outbox o JOIN citizens c ON c.chat_id = o.chat_id"
            " WHERE c.id = ? AND o.case_id = ?",
            (case["citizen_id"], case["id"]),
        ).fetchall()
        assert any(case["code"] in json.loads(r["payload"])["text"] for r in receipts)


def assert_outbox_is_sendable(conn: sqlite3.Connection) -> None:
    for row in conn.execute("SELECT payload FROM outbox"):
        payload = json.loads(row["payload"])
        text = payload["text"]
        if text is None:
            assert payload["attachment"]["kind"] == "location"
            continue
        parsed = parse_html(text)  # raises on markup Telegram would refuse
        limit = 1024 if payload["attachment"] else 4096
        assert 0 < len(parsed.text) <= limit
        for row_buttons in payload["buttons"]:
            for button in row_buttons:
                assert 1 <= len(button["data"].encode()) <= 64


HAPPY_PATH = [
    Command("gopy"),
    ButtonPress("d:agree"),
    ButtonPress("d:f:dat-dai"),
    ButtonPress("d:v:0"),
    Message(TextInput("Đường <vào> thôn & ngõ bị lấn chiếm.")),
    ButtonPress("d:next"),
    ButtonPress("d:anon"),
    ButtonPress("d:send"),
]
NOISE = st.lists(st.tuples(st.sampled_from([2002, 1002]), ACTIONS), max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise=st.lists(NOISE, min_size=len(HAPPY_PATH), max_size=len(HAPPY_PATH)))
def test_other_peoples_activity_never_disturbs_a_submission(
    noise: list[list[tuple[int, object]]],
) -> None:
    steps: list[tuple[int, object]] = []
    for action, others in zip(HAPPY_PATH, noise, strict=True):
        steps.extend(others)
        steps.append((2001, action))
    with tempfile.TemporaryDirectory() as tmp:
        path = asyncio.run(run_scenario(Path(tmp), steps))
        with sqlite3.connect(path) as conn:
            conn.row_factory = sqlite3.Row
            mine = conn.execute(
                "SELECT c.code, m.body FROM cases c JOIN citizens z ON z.id = c.citizen_id"
                " JOIN case_messages m ON m.case_id = c.id AND m.kind = 'citizen'"
                " WHERE z.chat_id = '2001' AND c.anonymous = 1"
            ).fetchall()
            assert_cases_are_whole(conn)
            assert_outbox_is_sendable(conn)
    assert [row["body"] for row in mine] == ["Đường <vào> thôn & ngõ bị lấn chiếm."]
