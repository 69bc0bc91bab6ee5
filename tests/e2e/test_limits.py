"""Caps on citizens: submissions per local day, and the flood guard on fast senders."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Config
from bot.sandbox_chat import SandboxChat
from tests.e2e.conftest import World, running_world, submit_case

DAILY_LIMIT = "Hôm nay Ông/Bà đã gửi 2 góp ý"
FLOOD = "Ông/Bà gửi quá nhanh"
NOT_UNDERSTOOD = "Để gửi góp ý, Ông/Bà gõ /gopy"


class ShiftedClock:
    """The real clock moved by an offset a test can advance (the app reads it; sleeps do not)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        """Real time plus the offset, in UTC."""
        return datetime.now(UTC) + self.offset


def limited_world(
    tmp_path: Path,
    clock: ShiftedClock,
    *,
    submissions_per_day: int = 5,
    messages_per_minute: int = 100,
) -> AbstractAsyncContextManager[World]:
    """The shared running world with these [limits], on `clock`."""

    def with_limits(config: Config) -> Config:
        limits = replace(
            config.limits,
            submissions_per_day=submissions_per_day,
            messages_per_minute=messages_per_minute,
        )
        return replace(config, limits=limits)

    return running_world(tmp_path, clock=clock, configure=with_limits)


def count(chat: SandboxChat, needle: str) -> int:
    """How many bot messages in the chat contain `needle`."""
    return sum(needle in text for text in chat.texts())


# Submissions per day --------------------------------------------------------------------------


async def test_submission_beyond_the_daily_cap_is_refused_politely(tmp_path: Path) -> None:
    async with limited_world(tmp_path, ShiftedClock(), submissions_per_day=2) as world:
        await submit_case(world.citizen)
        await submit_case(world.citizen)
        world.citizen.say("/gopy")
        await world.citizen.wait_for(DAILY_LIMIT)
        assert len(await world.app.db.read("SELECT id FROM cases")) == 2


async def test_daily_cap_is_per_citizen(tmp_path: Path) -> None:
    async with limited_world(tmp_path, ShiftedClock(), submissions_per_day=2) as world:
        await submit_case(world.citizen)
        await submit_case(world.citizen)
        await submit_case(world.other_citizen)


async def test_next_local_day_allows_submitting_again(tmp_path: Path) -> None:
    clock = ShiftedClock()
    async with limited_world(tmp_path, clock, submissions_per_day=2) as world:
        await submit_case(world.citizen)
        await submit_case(world.citizen)
        clock.offset = timedelta(days=1)
        code = await submit_case(world.citizen)
        tomorrow = clock.now().astimezone(world.app.config.commune.tz)
        assert code.startswith(f"MT-{tomorrow:%y%m%d}-")


# Flood guard ----------------------------------------------------------------------------------


async def test_flood_guard_warns_once_and_ignores_the_rest(tmp_path: Path) -> None:
    async with limited_world(tmp_path, ShiftedClock(), messages_per_minute=3) as world:
        for n in range(8):
            world.citizen.say(f"Tin nhắn số {n}")
        await world.emu.wait_until(lambda: count(world.citizen, FLOOD) == 1)
        await world.citizen.settle(quiet=0.5)
        assert count(world.citizen, NOT_UNDERSTOOD) == 3
        assert count(world.citizen, FLOOD) == 1


async def test_flood_guard_leaves_other_citizens_served(tmp_path: Path) -> None:
    async with limited_world(tmp_path, ShiftedClock(), messages_per_minute=3) as world:
        for n in range(8):
            world.citizen.say(f"Tin nhắn số {n}")
        await world.citizen.wait_for(FLOOD)
        world.other_citizen.say("/trogiup")
        await world.other_citizen.wait_for("Hướng dẫn sử dụng")


async def test_flood_guard_does_not_limit_members(tmp_path: Path) -> None:
    async with limited_world(tmp_path, ShiftedClock(), messages_per_minute=3) as world:
        for _ in range(6):
            world.lan.say("/trogiup")
        await world.emu.wait_until(lambda: count(world.lan, "Dành cho thành viên") == 6)
        assert count(world.lan, FLOOD) == 0
