"""SIGKILL in the middle of a polled batch: the bot commits a batch in transactions of several
updates, and only then confirms it. A kill after some of those transactions committed leaves the
whole batch at Telegram; on restart the committed updates are recognised and the rest handled:
every citizen is answered, no update is acted on twice."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.channels.telegram_polling import MAX_BATCH_UPDATES
from bot.sandbox_chat import SandboxChat
from sandbox import BotApiEmulator
from tests.crash.conftest import Crash
from tests.crash.harness import WAIT, count, is_pending, query

pytestmark = pytest.mark.slow

PEOPLE = 4 * MAX_BATCH_UPDATES  # one polled batch (getUpdates gives up to 100), four transactions


def long_poll_waiting(emu: BotApiEmulator) -> bool:
    """A getUpdates call has been admitted and not yet answered."""
    answered = emu.stats["getUpdates:200"] + emu.stats["getUpdates:409"]
    return emu.state.poll_generation > answered


async def first_commit(db_path: Path, sql: str, ids: tuple[str, ...]) -> None:
    """Return as soon as (within a millisecond or so) a transaction of the batch has committed."""
    deadline = time.monotonic() + WAIT
    while count(db_path, sql, ids) == 0:
        assert time.monotonic() < deadline, "the batch was never committed"
        await asyncio.sleep(0.001)


async def test_kill_between_the_transactions_of_a_batch_loses_and_repeats_nothing(
    crash: Crash,
) -> None:
    emu = crash.emu
    await crash.boot()
    people = [SandboxChat(emu, 3001 + n, "Người dân", f"Số {n}") for n in range(PEOPLE)]
    await crash.bot.wait_until(lambda: long_poll_waiting(emu), "a waiting long poll")
    first = emu.state.next_update_id
    for person in people:  # queued back to back: the waiting long poll returns them together
        person.say("/trogiup")
    ids = [str(update_id) for update_id in range(first, emu.state.next_update_id)]
    marks = ",".join("?" * len(ids))
    handled = f"SELECT COUNT(*) FROM processed_updates WHERE update_id IN ({marks})"

    await first_commit(crash.db_path, handled, tuple(ids))
    await crash.bot.kill()

    committed_at_kill = count(crash.db_path, handled, tuple(ids))
    # In practice the first transaction only (25 of 100): the rest were being handled.
    assert committed_at_kill >= 1
    assert is_pending(emu, int(ids[-1]))  # the batch was never confirmed

    await crash.bot.start()
    for person in people:
        await person.wait_for("/gopy", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.wait_until(lambda: emu.pending_updates() == 0, "the batch to be confirmed")
    await asyncio.gather(*(person.settle(quiet=0.3) for person in people[:3]))
    await crash.bot.kill()

    assert count(crash.db_path, handled, tuple(ids)) == PEOPLE
    # Each update queued its one help message once: a re-delivered update queued nothing.
    queued = dict(query(crash.db_path, "SELECT chat_id, COUNT(*) FROM outbox GROUP BY chat_id"))
    assert {str(p.user_id): queued.get(str(p.user_id)) for p in people} == {
        str(p.user_id): 1 for p in people
    }
