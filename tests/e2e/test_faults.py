"""Telegram misbehaving (flood control, 5xx, timeouts, blocked chats): mail still arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import Homthu
from bot.config import Config, OutboxConfig
from bot.sandbox_chat import SandboxChat, visible_text
from sandbox import BotApiEmulator, FaultSpec, RecordedCall
from sandbox.faults import SEND_METHODS
from tests.e2e.conftest import World, code_of, fill_in_submission, running_world, submit_case

CITIZEN, MINH = 2001, 1003
# Sends launched together with a refused one may still land just after it.
IN_FLIGHT_GRACE = 0.5


def sends(emu: BotApiEmulator, chat_id: int | None = None) -> list[RecordedCall]:
    """Calls that put (or tried to put) a message into a chat, optionally one chat only."""
    return [
        call
        for call in emu.calls
        if call.method in SEND_METHODS
        and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
    ]


async def outbox_by_status(app: Homthu) -> dict[str, int]:
    """How many outbox rows are in each status once the dispatcher has nothing left to do."""
    assert await app.dispatcher.drain(15), "the outbox never emptied"
    rows = await app.db.read("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {str(row[0]): int(row[1]) for row in rows}


def sent_count(world: World) -> int:
    """Messages the emulator accepted (each is one outbox row: the bot sends nothing else)."""
    return sum(1 for call in sends(world.emu) if call.ok)


def receipts(chat: SandboxChat) -> list[str]:
    """The receipts a citizen holds."""
    return [text for text in chat.texts() if "Mã tra cứu" in text]


# Flood control (429) ------------------------------------------------------------------------


async def test_receipt_refused_by_flood_control_arrives_after_retry_after(world: World) -> None:
    await fill_in_submission(world.citizen)
    world.emu.inject_fault(FaultSpec(method="sendMessage", retry_after=2, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    receipt = await world.citizen.wait_for("Mã tra cứu")
    refused = next(c for c in world.emu.calls if c.status == 429)
    delivered = [c for c in sends(world.emu, CITIZEN) if c.ok and c.time > refused.time]
    assert delivered[0].time - refused.time >= 2 - 0.05
    assert len(receipts(world.citizen)) == 1
    code = code_of(receipt)
    await world.lan.wait_for(code)
    await world.minh.wait_for(code)


async def test_flood_control_pauses_every_send_until_retry_after(world: World) -> None:
    await fill_in_submission(world.citizen)
    world.emu.inject_fault(FaultSpec(method="sendMessage", retry_after=2, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    await world.emu.wait_until(lambda: world.emu.stats["429"] == 1)
    world.other_citizen.say("/trogiup")  # mail for another chat, queued during the pause
    await world.other_citizen.wait_for("Hướng dẫn sử dụng")
    await world.citizen.wait_for("Mã tra cứu")
    refused = next(c for c in world.emu.calls if c.status == 429)
    resumed = [c for c in sends(world.emu) if c.time > refused.time + IN_FLIGHT_GRACE]
    assert resumed, "nothing was sent after the pause"
    assert min(c.time for c in resumed) >= refused.time + 2 - 0.05


async def test_flood_control_leaves_nothing_pending_or_failed(world: World) -> None:
    await fill_in_submission(world.citizen)
    world.emu.inject_fault(FaultSpec(method="sendMessage", retry_after=1, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    await world.citizen.wait_for("Mã tra cứu")
    assert set(await outbox_by_status(world.app)) == {"sent"}


# Server errors and timeouts -----------------------------------------------------------------


async def test_receipt_is_delivered_once_repeated_server_errors_clear(world: World) -> None:
    await fill_in_submission(world.citizen)
    world.emu.inject_fault(FaultSpec(method="sendMessage", status=500, times=2, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    receipt = await world.citizen.wait_for("Mã tra cứu", timeout=15)
    assert world.emu.stats["sendMessage:500"] == 2
    await world.citizen.settle(quiet=0.5)
    assert len(receipts(world.citizen)) == 1
    await world.lan.wait_for(code_of(receipt))
    assert set(await outbox_by_status(world.app)) == {"sent"}


async def test_server_errors_for_one_chat_do_not_hold_up_the_others(world: World) -> None:
    await fill_in_submission(world.citizen)
    world.emu.inject_fault(FaultSpec(method="sendMessage", status=502, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    card = await world.lan.wait_for("Phiếu góp ý mới", timeout=2)
    assert not receipts(world.citizen), "the receipt should still be waiting for its retry"
    receipt = await world.citizen.wait_for("Mã tra cứu", timeout=15)
    assert code_of(receipt) in visible_text(card)


async def test_receipt_is_delivered_after_a_send_that_timed_out(world: World) -> None:
    await fill_in_submission(world.citizen)
    # Held longer than the client's 5 s read timeout, then dropped without delivering.
    world.emu.inject_fault(FaultSpec(method="sendMessage", timeout=True, delay=6, chat_id=CITIZEN))
    world.citizen.press("Gửi")
    receipt = await world.citizen.wait_for("Mã tra cứu", timeout=20)
    assert len(receipts(world.citizen)) >= 1  # delivery is at least once
    await world.lan.wait_for(code_of(receipt))
    assert set(await outbox_by_status(world.app)) == {"sent"}


# A member who blocked the bot (403) ----------------------------------------------------------


async def test_blocked_member_is_marked_unreachable(world: World) -> None:
    world.emu.block(MINH)
    await submit_case(world.citizen, field="Đất đai")
    assert await world.app.dispatcher.drain(10)
    rows = await world.app.db.read("SELECT unreachable_reason FROM members WHERE id = 'minh'")
    assert rows[0][0] is not None


async def test_chair_is_told_that_a_member_cannot_be_reached(world: World) -> None:
    world.emu.block(MINH)
    await submit_case(world.citizen, field="Đất đai")
    warning = await world.hung.wait_for("Không gửi được tin nhắn")
    assert "Lê Quang Minh" in visible_text(warning)


async def test_citizen_and_other_members_are_served_despite_a_blocked_member(
    world: World,
) -> None:
    world.emu.block(MINH)
    code = await submit_case(world.citizen, field="Đất đai")
    assert len(receipts(world.citizen)) == 1
    await world.lan.wait_for(code)


async def test_only_the_blocked_members_message_is_left_failed(world: World) -> None:
    world.emu.block(MINH)
    await submit_case(world.citizen, field="Đất đai")
    await world.hung.wait_for("Không gửi được tin nhắn")
    assert await outbox_by_status(world.app) == {"sent": sent_count(world), "failed": 1}
    failed = await world.app.db.read("SELECT chat_id FROM outbox WHERE status = 'failed'")
    assert [row[0] for row in failed] == [str(MINH)]


# Telegram's own flood limits ----------------------------------------------------------------


@pytest.fixture
async def paced_world(tmp_path: Path) -> AsyncIterator[World]:
    """Telegram-like flood limits in the emulator; the bot with its production outbox pacing."""

    def production_pacing(config: Config) -> Config:
        return replace(config, outbox=OutboxConfig())

    async with running_world(
        tmp_path, configure=production_pacing, telegram_flood_limits=True
    ) as world:
        yield world


async def test_production_pacing_never_trips_telegrams_flood_limits(paced_world: World) -> None:
    citizens = [paced_world.citizen, paced_world.other_citizen] + [
        SandboxChat(paced_world.emu, 2100 + n, "Người dân", str(n)) for n in range(3)
    ]
    codes = await asyncio.gather(*(submit_case(c) for c in citizens))
    lan = paced_world.lan
    await paced_world.emu.wait_until(lambda: all(c in " ".join(lan.texts()) for c in codes), 15)
    assert await outbox_by_status(paced_world.app) == {"sent": sent_count(paced_world)}
    assert paced_world.emu.stats["429"] == 0
