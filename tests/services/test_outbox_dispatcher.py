"""The outbox dispatcher on a real SQLite outbox, with a recording fake of our own sender port."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import ChatUnreachable, PermanentFailure, RetryLater, TransientFailure
from bot.domain.model import ChatRef
from bot.domain.outbound import REPLACES, LinkRole, Outbound
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage.database import Database, to_db_time
from bot.storage.outbox_store import OutboxStore, enqueue

# Distinctive values, so a test can prove they never reach the logs.
SECRET_CHAT = "987654321"
SECRET_TEXT = "bí mật của người dân"

# Generous limits for tests that are not about pacing.
FAST: dict[str, Any] = {"global_rate": 10_000.0, "per_chat_rate": 10_000.0, "per_chat_burst": 100}


async def linked_case(db: Database, chat: ChatRef, message_id: str) -> tuple[int, str] | None:
    """The (case id, role) a sent message was linked to, read straight from message_links."""
    rows = await db.read(
        "SELECT case_id, role FROM message_links WHERE channel = ? AND chat_id = ? AND message_id = ?",
        (chat.channel, chat.chat_id, message_id),
    )
    return (int(rows[0]["case_id"]), str(rows[0]["role"])) if rows else None


def chat(n: int | str) -> ChatRef:
    return ChatRef("telegram", str(n))


class RecordingSender:
    """Our MessageSender port, recording every attempt; scripted errors per message text."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.sent: list[tuple[str, str | None]] = []
        # (chat id, message id edited, new text)
        self.edited: list[tuple[str, str, str | None]] = []
        self.attempt_times: list[tuple[float, str | None]] = []
        self.sent_times: list[float] = []
        self.script: dict[str | None, list[Exception]] = {}
        self.active: set[str] = set()
        self.max_active = 0
        self.same_chat_overlap = False
        self.hang = asyncio.Event()
        self.hanging = False

    def fail(self, text: str, *errors: Exception) -> None:
        """Make the next sends of `text` raise these errors, in turn."""
        self.script[text] = list(errors)

    def texts_for(self, chat_id: str) -> list[str | None]:
        return [text for sent_chat, text in self.sent if sent_chat == chat_id]

    async def send(self, message: Outbound) -> str:
        loop = asyncio.get_running_loop()
        chat_id = message.chat.chat_id
        self.attempt_times.append((loop.time(), message.text))
        if chat_id in self.active:
            self.same_chat_overlap = True
        self.active.add(chat_id)
        self.max_active = max(self.max_active, len(self.active))
        try:
            if self.hanging:
                await self.hang.wait()
            if self.delay:
                await asyncio.sleep(self.delay)
            errors = self.script.get(message.text)
            if errors:
                raise errors.pop(0)
            self.sent.append((chat_id, message.text))
            self.sent_times.append(loop.time())
            return str(len(self.sent))
        finally:
            self.active.discard(chat_id)

    async def edit(self, message: Outbound, message_id: str) -> str:
        errors = self.script.get(f"edit:{message.text}")
        if errors:
            raise errors.pop(0)
        self.edited.append((message.chat.chat_id, message_id, message.text))
        return message_id


@pytest.fixture
def store(db: Database) -> OutboxStore:
    return OutboxStore(db)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
async def start_dispatcher(
    store: OutboxStore, sender: RecordingSender
) -> AsyncIterator[Callable[..., OutboxDispatcher]]:
    """Build and start dispatchers; each is stopped before the database closes."""
    started: list[OutboxDispatcher] = []

    def build(**options: Any) -> OutboxDispatcher:
        dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **options)
        dispatcher.start()
        started.append(dispatcher)
        return dispatcher

    yield build
    for dispatcher in started:
        await dispatcher.stop(flush_seconds=0)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG, logger="bot")
    yield caplog
    assert SECRET_CHAT not in caplog.text
    assert SECRET_TEXT not in caplog.text


async def queue(db: Database, *messages: Outbound) -> list[int]:
    async with db.transaction() as tx:
        return await enqueue(tx, messages, datetime.now(UTC))


async def outbox_rows(db: Database) -> list[tuple[Any, ...]]:
    rows = await db.read("SELECT status, attempts, last_error FROM outbox ORDER BY id")
    return [tuple(row) for row in rows]


async def test_messages_to_many_chats_arrive_each_chat_in_order(
    db: Database,
    store: OutboxStore,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
) -> None:
    sender.delay = 0.002
    chats = [chat(1000 + n) for n in range(12)]
    await queue(db, *(Outbound(chat=c, text=f"{c.chat_id}:{i}") for i in range(5) for c in chats))

    dispatcher = start_dispatcher(max_in_flight=4, **FAST)

    assert await dispatcher.drain(timeout=10)
    assert len(sender.sent) == 60
    for c in chats:
        assert sender.texts_for(c.chat_id) == [f"{c.chat_id}:{i}" for i in range(5)]
    assert not sender.same_chat_overlap
    assert 1 < sender.max_active <= 4
    assert await store.pending_count() == 0


async def test_mail_committed_after_start_is_sent_on_wake(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    dispatcher = start_dispatcher(**FAST)
    await asyncio.sleep(0.05)  # the loop is now asleep until its next poll

    await queue(db, Outbound(chat=chat(1), text="xin chào"))
    dispatcher.wake()

    # Well under the 1 s safety-net poll, so this passes only because wake() worked.
    assert await dispatcher.drain(timeout=0.8)
    assert sender.sent == [("1", "xin chào")]


async def test_sent_message_about_a_case_answers_replies_to_it(
    db: Database, store: OutboxStore, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    stamp = to_db_time(datetime.now(UTC))
    async with db.transaction() as tx:
        citizen = await tx.insert(
            "INSERT INTO citizens (channel, chat_id, created_at) VALUES ('telegram', '5', ?)",
            (stamp,),
        )
        case_id = await tx.insert(
            "INSERT INTO cases (code, citizen_id, field_id, kind, state, anonymous, created_at,"
            " due_at, updated_at) VALUES ('MT-261127-0001-AB', ?, 'dat_dai', 'phan_anh',"
            " 'received', 1, ?, ?, ?)",
            (citizen, stamp, stamp, stamp),
        )
    member = chat(2001)
    await queue(
        db,
        Outbound(chat=member, text="Phiếu mới", case_id=case_id, link_role=LinkRole.MEMBER_NOTICE),
    )

    dispatcher = start_dispatcher(**FAST)

    assert await dispatcher.drain(timeout=5)
    assert await linked_case(db, member, "1") == (case_id, "member_notice")


async def test_flood_control_pauses_all_sending_and_retries_the_message(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    sender.fail("a1", RetryLater(0.3))
    await queue(
        db,
        Outbound(chat=chat(1), text="a1"),
        Outbound(chat=chat(2), text="b1"),
        Outbound(chat=chat(3), text="c1"),
    )

    dispatcher = start_dispatcher(max_in_flight=1, **FAST)

    assert await dispatcher.drain(timeout=5)
    flood_at = sender.attempt_times[0][0]
    assert sender.attempt_times[0][1] == "a1"
    assert all(at >= flood_at + 0.29 for at, _ in sender.attempt_times[1:])
    assert sorted(sender.sent) == [("1", "a1"), ("2", "b1"), ("3", "c1")]
    assert (await outbox_rows(db))[0] == ("sent", 1, "retry after 0.3 s")


async def test_transient_failures_are_retried_until_delivered_in_order(
    db: Database,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
    logs: pytest.LogCaptureFixture,
) -> None:
    sender.fail(
        SECRET_TEXT,
        TransientFailure("timed out"),
        TransientFailure("bad gateway"),
        RuntimeError("a bug in a sender"),
        TransientFailure("timed out"),
    )
    await queue(
        db,
        Outbound(chat=chat(SECRET_CHAT), text=SECRET_TEXT),
        Outbound(chat=chat(SECRET_CHAT), text="tiếp theo"),
    )

    dispatcher = start_dispatcher(max_backoff=0.01, **FAST)

    assert await dispatcher.drain(timeout=5)
    assert sender.texts_for(SECRET_CHAT) == [SECRET_TEXT, "tiếp theo"]
    assert [row[:2] for row in await outbox_rows(db)] == [("sent", 4), ("sent", 0)]
    [bug] = [r for r in logs.records if r.levelno == logging.ERROR]
    assert bug.exc_info is not None and "a bug in a sender" in logs.text


async def test_unreachable_chat_fails_its_message_and_reports_it(
    db: Database,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
    logs: pytest.LogCaptureFixture,
) -> None:
    reported: list[Outbound] = []

    async def on_unreachable(message: Outbound) -> None:
        reported.append(message)

    blocked = Outbound(chat=chat(SECRET_CHAT), text=SECRET_TEXT, member_id="tran_thi_b")
    sender.fail(SECRET_TEXT, ChatUnreachable("Forbidden: bot was blocked by the user"))
    await queue(db, blocked, Outbound(chat=chat(2), text="b1"))

    dispatcher = start_dispatcher(on_unreachable=on_unreachable, **FAST)

    assert await dispatcher.drain(timeout=5)
    assert reported == [blocked]
    assert sender.sent == [("2", "b1")]
    assert await outbox_rows(db) == [
        ("failed", 1, "unreachable: Forbidden: bot was blocked by the user"),
        ("sent", 0, None),
    ]


async def test_failing_unreachable_callback_is_logged_and_sending_goes_on(
    db: Database,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
    logs: pytest.LogCaptureFixture,
) -> None:
    async def on_unreachable(message: Outbound) -> None:
        raise RuntimeError("re-routing failed")

    sender.fail("a1", ChatUnreachable("chat not found"))
    await queue(db, Outbound(chat=chat(1), text="a1"), Outbound(chat=chat(1), text="a2"))

    dispatcher = start_dispatcher(on_unreachable=on_unreachable, **FAST)

    assert await dispatcher.drain(timeout=5)
    assert sender.sent == [("1", "a2")]
    assert "re-routing failed" in logs.text


async def test_rejected_message_fails_with_a_warning_naming_only_ids(
    db: Database,
    sender: RecordingSender,
    start_dispatcher: Callable[..., OutboxDispatcher],
    logs: pytest.LogCaptureFixture,
) -> None:
    sender.fail(SECRET_TEXT, PermanentFailure("Bad Request: can't parse entities"))
    await queue(db, Outbound(chat=chat(SECRET_CHAT), text=SECRET_TEXT))

    dispatcher = start_dispatcher(**FAST)

    assert await dispatcher.drain(timeout=5)
    assert sender.sent == []
    assert await outbox_rows(db) == [("failed", 1, "permanent: Bad Request: can't parse entities")]
    [warning] = [r for r in logs.records if r.levelno == logging.WARNING]
    assert "outbox 1" in warning.getMessage()


async def test_message_for_a_channel_without_sender_is_kept(
    db: Database, store: OutboxStore, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    await queue(db, Outbound(chat=ChatRef("zalo", "42"), text="z1"))

    dispatcher = start_dispatcher(**FAST)

    assert not await dispatcher.drain(timeout=0.3)
    assert await store.pending_count() == 1


async def test_one_chat_is_paced_by_its_own_rate(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    await queue(db, *(Outbound(chat=chat(1), text=str(i)) for i in range(11)))

    dispatcher = start_dispatcher(global_rate=10_000.0, per_chat_rate=50.0, per_chat_burst=1)

    assert await dispatcher.drain(timeout=10)
    assert sender.texts_for("1") == [str(i) for i in range(11)]
    # Ten gaps of at least 1/50 s each (a lower bound: a slow machine only makes it longer).
    assert sender.sent_times[-1] - sender.sent_times[0] >= 10 / 50 * 0.9


async def test_many_chats_are_paced_by_the_global_rate(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    await queue(db, *(Outbound(chat=chat(n), text=str(n)) for n in range(40)))

    dispatcher = start_dispatcher(global_rate=100.0, per_chat_rate=10_000.0, max_in_flight=8)

    assert await dispatcher.drain(timeout=10)
    assert len(sender.sent) == 40
    # The global bucket lets a burst of rate/10 through, then one message per 1/100 s.
    assert sender.sent_times[-1] - sender.sent_times[0] >= (40 - 10) / 100 * 0.9


async def test_stop_flushes_due_mail_and_leaves_backoff_pending(
    db: Database, store: OutboxStore, sender: RecordingSender
) -> None:
    sender.fail("later", TransientFailure("timed out"))
    await queue(db, *(Outbound(chat=chat(n), text=f"m{n}") for n in range(5)))
    await queue(db, Outbound(chat=chat(9), text="later"))
    dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **FAST)
    dispatcher.start()
    loop = asyncio.get_running_loop()
    started = loop.time()

    await dispatcher.stop(flush_seconds=5)

    # Finished once nothing was due, long before the deadline.
    assert loop.time() - started < 4
    assert sorted(str(text) for _, text in sender.sent) == ["m0", "m1", "m2", "m3", "m4"]
    assert await outbox_rows(db) == [("sent", 0, None)] * 5 + [
        ("pending", 1, "transient: timed out")
    ]


async def test_stop_abandons_hanging_sends_at_the_deadline_and_keeps_them(
    db: Database, store: OutboxStore, sender: RecordingSender
) -> None:
    sender.hanging = True
    await queue(db, Outbound(chat=chat(1), text="a1"), Outbound(chat=chat(2), text="b1"))
    dispatcher = OutboxDispatcher(store, {"telegram": sender}, SystemClock(), **FAST)
    dispatcher.start()
    await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()

    await dispatcher.stop(flush_seconds=0.2)

    assert 0.15 <= loop.time() - started < 3
    assert len(sender.attempt_times) == 2
    assert await outbox_rows(db) == [("pending", 0, None), ("pending", 0, None)]


async def test_mail_left_at_stop_is_sent_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    first_db = await Database.open(path)
    try:
        first = RecordingSender()
        first.hanging = True
        await queue(first_db, Outbound(chat=chat(1), text="a1"), Outbound(chat=chat(1), text="a2"))
        dispatcher = OutboxDispatcher(
            OutboxStore(first_db), {"telegram": first}, SystemClock(), **FAST
        )
        dispatcher.start()
        await asyncio.sleep(0.05)
        await dispatcher.stop(flush_seconds=0)
    finally:
        await first_db.close()

    assert await sent_after_restart(path) == [("1", "a1"), ("1", "a2")]


async def test_drain_gives_up_early_when_the_next_retry_is_beyond_its_timeout(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    sender.fail("a1", TransientFailure("timed out"))
    await queue(db, Outbound(chat=chat(1), text="a1"))
    dispatcher = start_dispatcher(**FAST)  # first retry in about 1 s
    loop = asyncio.get_running_loop()
    started = loop.time()

    assert not await dispatcher.drain(timeout=0.5)
    assert loop.time() - started < 0.5 + 0.4


# A message replacing an earlier one of its chat (`REPLACES`): the dispatcher edits the message
# that row put in the chat, or sends a new one when there is none or it cannot be edited.

SECRETARY = chat(1004)


def replacing(outbox_id: int, text: str, to: ChatRef = SECRETARY) -> Outbound:
    return Outbound(chat=to, text=text, extra={REPLACES: outbox_id})


async def sent_ids(db: Database) -> list[tuple[str, str | None]]:
    rows = await db.read("SELECT status, sent_message_id FROM outbox ORDER BY id")
    return [(row[0], row[1]) for row in rows]


async def test_enqueue_returns_each_rows_id_in_order(db: Database) -> None:
    first = await queue(db, Outbound(chat=chat(1), text="a"), Outbound(chat=chat(2), text="b"))
    second = await queue(db, Outbound(chat=chat(1), text="c"))
    assert await queue(db) == []

    rows = await db.read("SELECT id, payload FROM outbox ORDER BY id")
    assert [row["id"] for row in rows] == first + second
    assert ['"a"' in row["payload"] for row in rows] == [True, False, False]


async def test_each_replacement_edits_the_first_message_in_place(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    (first,) = await queue(db, Outbound(chat=SECRETARY, text="Tham dự (1)"))
    (second,) = await queue(db, replacing(first, "Tham dự (2)"))
    await queue(db, replacing(second, "Tham dự (3)"))

    assert await start_dispatcher(**FAST).drain(timeout=10)

    assert sender.sent == [("1004", "Tham dự (1)")]
    assert sender.edited == [("1004", "1", "Tham dự (2)"), ("1004", "1", "Tham dự (3)")]
    assert await sent_ids(db) == [("sent", "1"), ("sent", "1"), ("sent", "1")]


async def test_a_replacement_of_a_message_never_delivered_is_sent_anew(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    sender.fail("Tham dự (1)", ChatUnreachable("blocked"))
    (first,) = await queue(db, Outbound(chat=SECRETARY, text="Tham dự (1)"))
    (second,) = await queue(db, replacing(first, "Tham dự (2)"))
    await queue(db, replacing(second, "Tham dự (3)"))

    assert await start_dispatcher(**FAST).drain(timeout=10)

    assert sender.sent == [("1004", "Tham dự (2)")]
    assert sender.edited == [("1004", "1", "Tham dự (3)")]
    assert await sent_ids(db) == [("failed", None), ("sent", "1"), ("sent", "1")]


async def test_an_edit_refused_for_good_falls_back_to_a_new_message(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    sender.fail("edit:Tham dự (2)", PermanentFailure("message to edit not found"))
    (first,) = await queue(db, Outbound(chat=SECRETARY, text="Tham dự (1)"))
    (second,) = await queue(db, replacing(first, "Tham dự (2)"))
    await queue(db, replacing(second, "Tham dự (3)"))

    assert await start_dispatcher(**FAST).drain(timeout=10)

    assert sender.sent == [("1004", "Tham dự (1)"), ("1004", "Tham dự (2)")]
    # The next edit targets the message now showing the list.
    assert sender.edited == [("1004", "2", "Tham dự (3)")]
    assert await sent_ids(db) == [("sent", "1"), ("sent", "2"), ("sent", "2")]


async def test_an_edit_that_failed_for_now_is_retried_as_an_edit(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    sender.fail("edit:Tham dự (2)", TransientFailure("timed out"))
    (first,) = await queue(db, Outbound(chat=SECRETARY, text="Tham dự (1)"))
    await queue(db, replacing(first, "Tham dự (2)"))
    # The retry waits out a short backoff (2**0 s plus jitter).
    assert await start_dispatcher(**FAST).drain(timeout=10)

    assert sender.sent == [("1004", "Tham dự (1)")]
    assert sender.edited == [("1004", "1", "Tham dự (2)")]


async def test_only_a_row_of_the_same_chat_is_replaced(
    db: Database, sender: RecordingSender, start_dispatcher: Callable[..., OutboxDispatcher]
) -> None:
    (other,) = await queue(db, Outbound(chat=chat(2001), text="Tin khác"))
    await queue(db, replacing(other, "Tham dự (1)"))

    assert await start_dispatcher(**FAST).drain(timeout=10)

    assert sorted(sender.sent) == [("1004", "Tham dự (1)"), ("2001", "Tin khác")]
    assert sender.edited == []


async def sent_after_restart(path: Path) -> list[tuple[str, str | None]]:
    """Reopen the database at `path` with a fresh dispatcher, drain it, and say what it sent."""
    db = await Database.open(path)
    try:
        sender = RecordingSender()
        restarted = OutboxDispatcher(OutboxStore(db), {"telegram": sender}, SystemClock(), **FAST)
        restarted.start()
        try:
            assert await restarted.drain(timeout=5)
        finally:
            await restarted.stop(flush_seconds=0)
        return sender.sent
    finally:
        await db.close()
