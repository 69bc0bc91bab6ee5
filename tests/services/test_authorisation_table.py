"""Every member and chair action refuses people without the role, and changes nothing for them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.config import parse_config, sample_config_text
from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import TextInput
from bot.domain.model import ChatRef, Sender
from bot.domain.ports import SystemClock
from bot.services.button_routes import (
    MEETING_ACTIONS,
    MEETING_ARG_ACTIONS,
    MEMBER_ACTIONS,
    MEMBER_ARG_ACTIONS,
    MINUTES_ACTIONS,
    MINUTES_ARG_ACTIONS,
)
from bot.services.command_routes import COMMANDS
from bot.services.mailbox import Mailbox
from bot.services.rendering import Renderer
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteStorage
from bot.texts.catalogue import load_texts

CITIZEN, STRANGER, MINH, HUNG = 2001, 2002, 1003, 1001
CHAIR_COMMANDS = ("moi", "tamdung", "kichhoat", "nhatky", "mau")
MINUTES_COMMANDS = ("bienban",)
# Minutes buttons only the secretary, the chair and deputies may press (`fin` is the task's owner's).
MINUTES_VERBS = sorted(set(MINUTES_ACTIONS) - {"fin"})
REPORT_COMMANDS = ("thongke", "xuat", "baocaohop")
ORGANISER_COMMANDS = ("diemdanh",)  # chair, deputies and the secretary
# Meeting planning buttons: only the chair, deputies and the secretary.
ORGANISER_BUTTONS = (
    "g:new:0",
    "g:move:1",
    "g:cancel:1",
    "g:cancelok:1",
    "g:roll:1",
    "g:noagenda:0",
    "g:all:0",
    "g:done:0",
    "g:pick:0:minh",
)


@dataclass
class Desk:
    """A mailbox on a real SQLite file, driven without Telegram."""

    mailbox: Mailbox
    db: Database
    next_update: int = 0

    async def send(self, user_id: int, action: Command | ButtonPress | Message) -> list[str]:
        """Handle one event from `user_id`; the texts queued for that person in reply."""
        self.next_update += 1
        before = await self._outbox_size()
        sender = Sender(ChatRef("telegram", str(user_id)), str(user_id), f"Người {user_id}")
        await self.mailbox.handle(Inbound(str(self.next_update), sender, action))
        rows = await self.db.read(
            "SELECT payload FROM outbox WHERE id > ? AND chat_id = ?", (before, str(user_id))
        )
        return [json.loads(r["payload"])["text"] or "" for r in rows]

    async def _outbox_size(self) -> int:
        [[size]] = await self.db.read("SELECT COALESCE(MAX(id), 0) FROM outbox")
        return int(size)

    async def case_row(self) -> tuple[str, str | None, str]:
        [row] = await self.db.read("SELECT state, assignee_id, kind FROM cases")
        return row["state"], row["assignee_id"], row["kind"]


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    config = parse_config(sample_config_text(), tmp_path / "config.toml", env={})
    config = replace(config, limits=replace(config.limits, messages_per_minute=10_000))
    db = await Database.open(config.storage.path)
    render = Renderer(load_texts("vi"), config.commune.tz, {f.id: f.name for f in config.fields})
    mailbox = Mailbox(SqliteStorage(db), config, render, SystemClock())
    await mailbox.sync_members()
    desk = Desk(mailbox, db)
    # A case in "Hạ tầng – giao thông", a field whose only member is Lan (a deputy).
    for action in (
        Command("gopy"),
        ButtonPress("d:agree"),
        ButtonPress("d:f:ha-tang"),
        ButtonPress("d:skip"),
        Message(TextInput("Ổ gà trên đường liên thôn.")),
        ButtonPress("d:next"),
        ButtonPress("d:anon"),
        ButtonPress("d:send"),
    ):
        await desk.send(CITIZEN, action)
    try:
        yield desk
    finally:
        await db.close()


VERBS = sorted(MEMBER_ACTIONS)
ARG_VERBS = {
    "setkind": "khieu_nai",
    "assignto": "minh",
    "handto": "minh",
    "tpl": "1",
    "supto": "minh",
}


@pytest.mark.parametrize("verb", VERBS)
async def test_a_citizen_pressing_any_member_button_is_refused(desk: Desk, verb: str) -> None:
    before = await desk.case_row()
    replies = await desk.send(STRANGER, ButtonPress(f"m:{verb}:1"))
    assert any("chỉ dành cho thành viên" in r for r in replies), replies
    assert await desk.case_row() == before


@pytest.mark.parametrize("verb", sorted(MEMBER_ARG_ACTIONS))
async def test_a_citizen_pressing_any_member_button_with_an_argument_is_refused(
    desk: Desk, verb: str
) -> None:
    before = await desk.case_row()
    replies = await desk.send(STRANGER, ButtonPress(f"m:{verb}:1:{ARG_VERBS.get(verb, 'x')}"))
    assert any("chỉ dành cho thành viên" in r for r in replies), replies
    assert await desk.case_row() == before


@pytest.mark.parametrize("verb", [v for v in VERBS if v not in ("claim",)])
async def test_a_member_of_another_field_cannot_act_on_the_case(desk: Desk, verb: str) -> None:
    before = await desk.case_row()
    replies = await desk.send(MINH, ButtonPress(f"m:{verb}:1"))
    assert any("không có quyền" in r for r in replies), (verb, replies)
    assert await desk.case_row() == before


async def test_a_member_of_another_field_cannot_claim_the_case(desk: Desk) -> None:
    replies = await desk.send(MINH, ButtonPress("m:claim:1"))
    assert any("không có quyền" in r for r in replies), replies
    assert (await desk.case_row())[1] is None


@pytest.mark.parametrize("name", CHAIR_COMMANDS)
async def test_chair_commands_refuse_citizens_and_members(desk: Desk, name: str) -> None:
    for user in (STRANGER, MINH):
        replies = await desk.send(user, Command(name, "minh"))
        assert any("dành cho" in r for r in replies), (name, user, replies)


@pytest.mark.parametrize("name", REPORT_COMMANDS)
async def test_report_commands_refuse_citizens_and_plain_members(desk: Desk, name: str) -> None:
    for user in (STRANGER, MINH):
        replies = await desk.send(user, Command(name, ""))
        assert any("dành cho" in r for r in replies), (name, user, replies)


@pytest.mark.parametrize("name", MINUTES_COMMANDS + ORGANISER_COMMANDS)
async def test_minutes_and_organiser_commands_refuse_citizens_and_plain_members(
    desk: Desk, name: str
) -> None:
    for user in (STRANGER, MINH):
        replies = await desk.send(user, Command(name, ""))
        assert any("dành cho" in r for r in replies), (name, user, replies)


@pytest.mark.parametrize("verb", MINUTES_VERBS)
async def test_minutes_buttons_refuse_citizens_and_plain_members(desk: Desk, verb: str) -> None:
    assert any(
        "chỉ dành cho thành viên" in r
        for r in await desk.send(STRANGER, ButtonPress(f"b:{verb}:1"))
    )
    assert any("dành cho thư ký" in r for r in await desk.send(MINH, ButtonPress(f"b:{verb}:1")))


@pytest.mark.parametrize("verb", sorted(MINUTES_ARG_ACTIONS))
async def test_minutes_buttons_with_an_argument_refuse_plain_members(desk: Desk, verb: str) -> None:
    replies = await desk.send(MINH, ButtonPress(f"b:{verb}:1:minh"))
    assert any("dành cho thư ký" in r for r in replies), replies


@pytest.mark.parametrize("data", ORGANISER_BUTTONS)
async def test_meeting_planning_buttons_refuse_citizens_and_plain_members(
    desk: Desk, data: str
) -> None:
    replies = await desk.send(STRANGER, ButtonPress(data))
    assert any("chỉ dành cho thành viên" in r for r in replies), (data, replies)
    replies = await desk.send(MINH, ButtonPress(data))
    assert any("Trưởng ban, Phó ban hoặc Thư ký" in r for r in replies), (data, replies)


def test_the_authorisation_table_covers_every_meeting_button() -> None:
    attendee_verbs = {"yes", "no", "why"}  # re-checked against the meeting's attendees
    organiser_verbs = {data.split(":")[1] for data in ORGANISER_BUTTONS}
    assert set(MEETING_ACTIONS) | set(MEETING_ARG_ACTIONS) == attendee_verbs | organiser_verbs


def test_the_authorisation_table_covers_every_command() -> None:
    citizen_commands = {"start", "gopy", "huy", "trogiup", "tracuu", "rut"}
    member_commands = {"viec", "quahan", "lichhop", "nhiemvu", "timkiem"}
    assert set(COMMANDS) == citizen_commands | member_commands | set(CHAIR_COMMANDS) | set(
        REPORT_COMMANDS
    ) | set(MINUTES_COMMANDS) | set(ORGANISER_COMMANDS)


async def test_the_chair_may_act_on_any_field(desk: Desk) -> None:
    replies = await desk.send(HUNG, ButtonPress("m:claim:1"))
    assert any("Ông/Bà đã nhận xử lý" in r for r in replies), replies
