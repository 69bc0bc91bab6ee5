"""Polling in batches: one transaction per polled batch, one savepoint per update, presses
answered only after the COMMIT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels import telegram_polling
from bot.sandbox_chat import SandboxChat
from bot.storage import database
from sandbox import BotApiEmulator
from tests.e2e.conftest import World, running_world

HELP = "/gopy"  # every help text names the command that starts a submission
APOLOGY = "sự cố"


def long_poll_waiting(emu: BotApiEmulator) -> bool:
    """A getUpdates call has been admitted and not yet answered."""
    answered = emu.stats["getUpdates:200"] + emu.stats["getUpdates:409"]
    return emu.state.poll_generation > answered


def citizens(world: World, how_many: int) -> list[SandboxChat]:
    """New citizens, each in a private chat of their own."""
    return [SandboxChat(world.emu, 3001 + n, "Người dân", f"Số {n}") for n in range(how_many)]


def handled_updates(path: Path) -> set[int]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {int(row[0]) for row in conn.execute("SELECT update_id FROM processed_updates")}


def answers_to(emu: BotApiEmulator, query_id: str) -> int:
    return sum(c.params.get("callback_query_id") == query_id for c in emu.calls)


@contextlib.contextmanager
def locked_by_another_process(path: Path) -> Iterator[None]:
    """An outsider (a backup, an admin's sqlite3 shell) holds the write lock meanwhile."""
    outsider = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        outsider.execute("BEGIN IMMEDIATE")
        yield
    finally:
        outsider.execute("ROLLBACK")
        outsider.close()


async def one_batch(world: World, chats: list[SandboxChat], text: str) -> list[int]:
    """Each chat writes `text` at once, while a long poll waits: they arrive in one batch.
    Returns their update ids."""
    await world.emu.wait_until(lambda: long_poll_waiting(world.emu))
    first = world.emu.state.next_update_id
    for chat in chats:  # queued back to back, before the emulator answers the waiting poll
        chat.say(text)
    return list(range(first, world.emu.state.next_update_id))


async def test_a_failing_update_is_undone_alone_and_its_batch_is_kept(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.channels.telegram_polling")
    people = citizens(world, 5)
    path = world.app.config.storage.path
    doomed = world.emu.state.next_update_id + 2  # the third update of the coming batch
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as admin:
        admin.execute(
            "CREATE TRIGGER fail_one BEFORE INSERT ON processed_updates"
            f" WHEN NEW.update_id = '{doomed}' BEGIN SELECT RAISE(ABORT, 'injected'); END"
        )

    ids = await one_batch(world, people, "/trogiup")
    assert ids[2] == doomed
    await people[2].wait_for(APOLOGY)
    for person in people[:2] + people[3:]:
        await person.wait_for(HELP)

    assert not any(HELP in text for text in people[2].texts())
    assert not any(APOLOGY in text for p in people[:2] + people[3:] for text in p.texts())
    assert handled_updates(path) >= set(ids) - {doomed}
    assert doomed not in handled_updates(path)
    await world.emu.wait_until(lambda: world.emu.pending_updates() == 0)  # confirmed, like today
    assert "5 updates committed in one transaction" in caplog.messages


@pytest.mark.slow
async def test_a_busy_database_delays_the_whole_batch_and_loses_none_of_it(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.channels.telegram_polling")
    citizen, people = world.citizen, citizens(world, 3)
    citizen.say("/gopy")
    await citizen.wait_for("dữ liệu cá nhân")
    path = world.app.config.storage.path

    with locked_by_another_process(path):
        ids = await one_batch(world, people, "/trogiup")
        citizen.press("Đồng ý")  # in the same batch, or the next one: both wait for the lock
        press = world.emu.state.next_update_id - 1
        query_id = world.emu.state.updates[press]["callback_query"]["id"]
        await asyncio.sleep(6.5)  # past the bot's busy timeout: its first try has failed
        assert not any(p.texts() for p in people)
        assert answers_to(world.emu, query_id) == 0  # nothing committed, nothing answered

    await citizen.wait_for("Bước 1/5", timeout=20)
    for person in people:
        await person.wait_for(HELP, timeout=20)
    await world.emu.wait_until(lambda: answers_to(world.emu, query_id) == 1)
    assert handled_updates(path) >= {*ids, press}
    assert not any(APOLOGY in text for p in [citizen, *people] for text in p.texts())
    assert any("will be retried" in r.getMessage() for r in caplog.records)


async def test_presses_of_a_batch_are_answered_after_its_commit(world: World) -> None:
    people = citizens(world, 3)
    for person in people:
        person.say("/gopy")
    for person in people:
        await person.wait_for("dữ liệu cá nhân")
    path = world.app.config.storage.path
    answered_before_commit: list[int] = []

    def note_answers_before_their_commit() -> bool:
        # Checked on every change at the emulator: an answer must never precede its commit.
        handled = handled_updates(path)
        for call in world.emu.calls:
            if call.method == "answerCallbackQuery":
                update_id = by_query.get(str(call.params.get("callback_query_id")))
                if update_id is not None and update_id not in handled:
                    answered_before_commit.append(update_id)
        return all(answers_to(world.emu, query) == 1 for query in by_query)

    await world.emu.wait_until(lambda: long_poll_waiting(world.emu))
    first = world.emu.state.next_update_id
    for person in people:
        person.press("Đồng ý")
    by_query = {
        world.emu.state.updates[update_id]["callback_query"]["id"]: update_id
        for update_id in range(first, world.emu.state.next_update_id)
    }
    await world.emu.wait_until(note_answers_before_their_commit)
    for person in people:
        await person.wait_for("Bước 1/5")
    assert answered_before_commit == []
    assert all(world.emu.callback_answer(query) == {} for query in by_query)


async def test_a_batch_locked_out_at_every_attempt_is_given_up_after_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The same rules, in a hurry: the bot waits 50 ms for the lock, and 50 ms between attempts.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(telegram_polling, "MAX_BACKOFF", 0.05)
    caplog.set_level(logging.WARNING, logger="bot.channels.telegram_polling")
    async with running_world(tmp_path) as world:
        people = citizens(world, 3)
        path = world.app.config.storage.path
        with locked_by_another_process(path):
            ids = await one_batch(world, people, "/trogiup")
            await world.emu.wait_until(lambda: world.emu.pending_updates() == 0, timeout=10)

        tries = [r for r in caplog.records if "will be retried" in r.getMessage()]
        dropped = [r.getMessage() for r in caplog.records if "dropped after" in r.getMessage()]
        assert len(tries) == telegram_polling.MAX_ATTEMPTS  # one batch, five tries
        assert dropped == [f"update {i} dropped after 5 attempts" for i in ids]
        assert not handled_updates(path) & set(ids)
        assert not any(p.texts() for p in people)


async def test_an_unreadable_update_is_skipped_and_the_rest_of_its_batch_handled(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    people = citizens(world, 2)
    await world.emu.wait_until(lambda: long_poll_waiting(world.emu))
    people[0].say("/trogiup")
    world.emu.state.enqueue({"message": {"chat": "Nguyễn Văn Bình 0987 654 321"}})
    people[1].say("/trogiup")

    for person in people:
        await person.wait_for(HELP)
    await world.emu.wait_until(lambda: world.emu.pending_updates() == 0)  # all confirmed
    assert "skipped an update that could not be read" in caplog.text
    assert "0987" not in caplog.text
