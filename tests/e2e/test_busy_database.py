"""A database locked by someone else (a backup, an admin's sqlite3 shell) delays work, loses none."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.e2e.conftest import World, submit_case

pytestmark = pytest.mark.slow


async def test_a_press_during_a_long_lock_is_retried_until_the_case_is_saved(world: World) -> None:
    await submit_case(world.citizen)  # consent already given
    citizen = world.citizen
    citizen.say("/gopy")
    await citizen.wait_for("Bước 1/5")
    citizen.press("Đất đai")
    await citizen.wait_for("Bước 2/5")

    outsider = sqlite3.connect(world.app.config.storage.path, isolation_level=None, timeout=30)
    try:
        outsider.execute("BEGIN IMMEDIATE")  # holds the write lock past the bot's busy timeout
        citizen.press("Thôn Tây")
        await asyncio.sleep(6.5)
        assert not any("Bước 3/5" in t for t in citizen.texts()[-1:])
    finally:
        outsider.execute("ROLLBACK")
        outsider.close()

    await citizen.wait_for("Bước 3/5", timeout=20)
    assert not any("sự cố" in t for t in citizen.texts())  # no premature apology
