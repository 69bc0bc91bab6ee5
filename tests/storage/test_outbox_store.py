"""The outbox store on a real SQLite file: queueing, per-chat order, outcomes, durability."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.errors import StorageError
from bot.domain.model import Attachment, AttachmentKind, ChatRef
from bot.domain.outbound import Button, Lane, LinkRole, NewMail, Outbound
from bot.storage.database import Database, to_db_time
from bot.storage.outbox_store import OutboxStore, enqueue
from bot.storage.unit_of_work import SqliteStorage

NOW = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
ALICE = ChatRef("telegram", "1001")
BOB = ChatRef("telegram", "1002")


async def linked_case(db: Database, chat: ChatRef, message_id: str) -> tuple[int, str] | None:
    """The (case id, role) a sent message was linked to, read straight from message_links."""
    rows = await db.read(
        "SELECT case_id, role FROM message_links WHERE channel = ? AND chat_id = ? AND message_id = ?",
        (chat.channel, chat.chat_id, message_id),
    )
    return (int(rows[0]["case_id"]), str(rows[0]["role"])) if rows else None


@pytest.fixture
def store(db: Database) -> OutboxStore:
    return OutboxStore(db)


async def queue(db: Database, *messages: Outbound, now: datetime = NOW) -> None:
    async with db.transaction() as tx:
        await enqueue(tx, messages, now)


async def add_case(db: Database) -> int:
    """A minimal case row, so outbox rows and links may reference it."""
    stamp = to_db_time(NOW)
    async with db.transaction() as tx:
        citizen = await tx.insert(
            "INSERT INTO citizens (channel, chat_id, created_at) VALUES ('telegram', '1001', ?)",
            (stamp,),
        )
        return await tx.insert(
            "INSERT INTO cases (code, citizen_id, field_id, kind, state, anonymous, created_at,"
            " due_at, updated_at) VALUES ('MT-261127-0001-AB', ?, 'dat_dai', 'phan_anh',"
            " 'received', 1, ?, ?, ?)",
            (citizen, stamp, stamp, stamp),
        )


async def test_enqueued_message_comes_back_due_with_its_whole_body(
    db: Database, store: OutboxStore
) -> None:
    message = Outbound(
        chat=ALICE,
        text="<b>Phiếu</b> MT-261127-0001-AB",
        buttons=((Button("Trả lời", "c:1:answer"), Button("Nhận", "c:1:claim")),),
        attachment=Attachment(AttachmentKind.PHOTO, file_id="AgAD-photo"),
        member_id="nguyen_van_a",
        extra={"note": "x"},
    )
    await queue(db, message)

    [item] = await store.due(NOW, limit=10)

    assert item.message == message
    assert item.attempts == 0
    assert await store.pending_count() == 1


async def test_message_queued_later_is_not_due_yet(db: Database, store: OutboxStore) -> None:
    await queue(db, Outbound(chat=ALICE, text="later"), now=NOW + timedelta(seconds=5))

    assert await store.due(NOW, limit=10) == []
    assert await store.next_due_at() == NOW + timedelta(seconds=5)


async def test_only_the_oldest_pending_message_of_each_chat_is_due(
    db: Database, store: OutboxStore
) -> None:
    await queue(
        db,
        Outbound(chat=ALICE, text="a1"),
        Outbound(chat=ALICE, text="a2"),
        Outbound(chat=BOB, text="b1"),
        Outbound(chat=ALICE, text="a3"),
    )

    due = await store.due(NOW, limit=10)

    assert [item.message.text for item in due] == ["a1", "b1"]


async def test_a_message_in_backoff_holds_back_later_messages_of_its_chat(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"), Outbound(chat=ALICE, text="a2"))
    [first] = await store.due(NOW, limit=10)

    await store.reschedule(first.id, NOW + timedelta(seconds=30), "timed out")

    assert await store.due(NOW + timedelta(seconds=29), limit=10) == []
    assert await store.next_due_at() == NOW + timedelta(seconds=30)
    [again] = await store.due(NOW + timedelta(seconds=30), limit=10)
    assert again.id == first.id
    assert again.attempts == 1


async def test_next_message_of_a_chat_becomes_due_once_the_previous_is_sent(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"), Outbound(chat=ALICE, text="a2"))
    [first] = await store.due(NOW, limit=10)

    await store.mark_sent(first, "501", NOW)

    [second] = await store.due(NOW, limit=10)
    assert second.message.text == "a2"
    assert await store.pending_count() == 1


async def test_excluded_chats_are_skipped_without_shrinking_the_batch(
    db: Database, store: OutboxStore
) -> None:
    carol = ChatRef("telegram", "1003")
    await queue(
        db,
        Outbound(chat=ALICE, text="a1"),
        Outbound(chat=BOB, text="b1"),
        Outbound(chat=carol, text="c1"),
    )

    due = await store.due(NOW, limit=2, exclude_chats={ALICE})

    assert [item.message.text for item in due] == ["b1", "c1"]
    assert await store.next_due_at(exclude_chats={ALICE, BOB, carol}) is None


async def test_due_respects_the_limit_in_id_order(db: Database, store: OutboxStore) -> None:
    chats = [ChatRef("telegram", str(2000 + n)) for n in range(5)]
    await queue(db, *(Outbound(chat=chat, text=chat.chat_id) for chat in chats))

    due = await store.due(NOW, limit=3)

    assert [item.message.chat for item in due] == chats[:3]


async def test_sent_message_about_a_case_is_linked_for_replies(
    db: Database, store: OutboxStore
) -> None:
    case_id = await add_case(db)
    member_chat = ChatRef("telegram", "2001")
    await queue(
        db,
        Outbound(
            chat=member_chat, text="Phiếu mới", case_id=case_id, link_role=LinkRole.MEMBER_NOTICE
        ),
    )
    [item] = await store.due(NOW, limit=1)

    await store.mark_sent(item, "77", NOW)

    assert await linked_case(db, member_chat, "77") == (case_id, "member_notice")
    assert await linked_case(db, member_chat, "78") is None
    assert await linked_case(db, ChatRef("zalo", "2001"), "77") is None
    assert await store.pending_count() == 0
    [row] = await db.read("SELECT status, sent_message_id, sent_at FROM outbox")
    assert tuple(row) == ("sent", "77", to_db_time(NOW))


async def test_sent_message_without_link_role_is_not_linked(
    db: Database, store: OutboxStore
) -> None:
    case_id = await add_case(db)
    await queue(db, Outbound(chat=ALICE, text="Đã nhận", case_id=case_id))
    [item] = await store.due(NOW, limit=1)

    await store.mark_sent(item, "12", NOW)

    assert await linked_case(db, ALICE, "12") is None


async def test_many_deliveries_are_recorded_with_their_links_in_one_call(
    db: Database, store: OutboxStore
) -> None:
    case_id = await add_case(db)
    await queue(
        db,
        Outbound(chat=ALICE, text="a1", case_id=case_id, link_role=LinkRole.MEMBER_NOTICE),
        Outbound(chat=BOB, text="b1"),
    )
    first, second = await store.due(NOW, limit=10)
    later = NOW + timedelta(seconds=1)

    await store.mark_sent_many([(first, "31", NOW), (second, "32", later)])

    assert await store.pending_count() == 0
    assert await linked_case(db, ALICE, "31") == (case_id, "member_notice")
    assert await linked_case(db, BOB, "32") is None
    rows = await db.read("SELECT status, sent_message_id, sent_at FROM outbox ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("sent", "31", to_db_time(NOW)),
        ("sent", "32", to_db_time(later)),
    ]


async def test_a_failing_batch_of_deliveries_records_none_of_them(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"), Outbound(chat=BOB, text="b1"))
    first, second = await store.due(NOW, limit=10)
    # A link to a case that does not exist breaks the foreign key: the whole batch rolls back.
    dangling = replace(second.message, case_id=999, link_role=LinkRole.MEMBER_NOTICE)
    broken = replace(second, message=dangling)

    with pytest.raises(StorageError):
        await store.mark_sent_many([(first, "31", NOW), (broken, "32", NOW)])

    assert await store.pending_count() == 2


async def test_reschedule_counts_the_attempt_and_keeps_the_error(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"))
    [item] = await store.due(NOW, limit=1)

    await store.reschedule(item.id, NOW + timedelta(seconds=2), "network down")
    await store.reschedule(item.id, NOW + timedelta(seconds=6), "network down again")

    [row] = await db.read("SELECT status, attempts, last_error FROM outbox")
    assert tuple(row) == ("pending", 2, "network down again")
    assert await store.pending_count() == 1


async def test_failed_message_leaves_the_queue_and_unblocks_its_chat(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"), Outbound(chat=ALICE, text="a2"))
    [item] = await store.due(NOW, limit=1)

    await store.mark_failed(item.id, "permanent: can't parse entities")

    [row] = await db.read("SELECT status, last_error FROM outbox WHERE id = ?", (item.id,))
    assert tuple(row) == ("failed", "permanent: can't parse entities")
    [following] = await store.due(NOW, limit=10)
    assert following.message.text == "a2"
    assert await store.pending_count() == 1


async def test_empty_outbox_has_nothing_due(store: OutboxStore) -> None:
    assert await store.due(NOW, limit=10) == []
    assert await store.next_due_at() is None
    assert await store.pending_count() == 0


async def test_rolled_back_transaction_queues_nothing(db: Database, store: OutboxStore) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await enqueue(tx, [Outbound(chat=ALICE, text="a1")], NOW)
            raise RuntimeError("the state change failed")

    assert await store.pending_count() == 0


async def test_pending_messages_survive_closing_and_reopening_the_database(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.sqlite3"
    first = await Database.open(path)
    try:
        async with first.transaction() as tx:
            await enqueue(tx, [Outbound(chat=ALICE, text="a1"), Outbound(chat=BOB, text="b1")], NOW)
        [sent, _] = await OutboxStore(first).due(NOW, limit=10)
        await OutboxStore(first).mark_sent(sent, "1", NOW)
    finally:
        await first.close()

    reopened = await Database.open(path)
    try:
        store = OutboxStore(reopened)
        assert await store.pending_count() == 1
        [item] = await store.due(NOW, limit=10)
        assert item.message == Outbound(chat=BOB, text="b1")
    finally:
        await reopened.close()


async def test_due_walks_pending_rows_by_index_without_grouping_or_sorting(
    db: Database, store: OutboxStore
) -> None:
    await queue(
        db, *(Outbound(chat=ChatRef("telegram", str(n % 3)), text=str(n)) for n in range(9))
    )

    plan = await db.read(
        "EXPLAIN QUERY PLAN SELECT o.id FROM outbox AS o WHERE o.status = 'pending'"
        " AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.status = 'pending'"
        " AND earlier.channel = o.channel AND earlier.chat_id = o.chat_id"
        " AND earlier.id < o.id) AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?",
        (to_db_time(NOW), 8),
    )
    steps = " | ".join(str(row["detail"]) for row in plan)
    assert "outbox_pending_order" in steps
    assert "outbox_pending_chat" in steps
    assert "TEMP B-TREE" not in steps
    assert [item.message.text for item in await store.due(NOW, limit=8)] == ["0", "1", "2"]


# What a transaction queued, as the dispatcher learns it after the commit (`NewMail`).


async def test_rows_of_a_chat_with_nothing_pending_head_it_and_the_rest_queue_behind(
    db: Database,
) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"))
    mail = NewMail()
    async with db.transaction() as tx:
        ids = await enqueue(
            tx,
            [
                Outbound(chat=BOB, text="b1"),
                Outbound(chat=ALICE, text="a2"),
                Outbound(chat=BOB, text="b2"),
            ],
            NOW,
            mail,
        )

    assert {chat: [(i.id, i.message.text) for i in rows] for chat, rows in mail.heads.items()} == {
        BOB: [(ids[0], "b1"), (ids[2], "b2")]
    }
    assert {chat: [(i.id, i.message.text) for i in rows] for chat, rows in mail.behind.items()} == {
        ALICE: [(ids[1], "a2")]
    }


async def test_two_calls_in_one_transaction_make_one_chain_in_the_best_lane(db: Database) -> None:
    mail = NewMail()
    async with db.transaction() as tx:
        await enqueue(tx, [Outbound(chat=BOB, text="b1", lane=Lane.BULK)], NOW, mail)
        await enqueue(tx, [Outbound(chat=BOB, text="b2", lane=Lane.INTERACTIVE)], NOW, mail)

    assert [(i.message.text, i.lane) for i in mail.heads[BOB]] == [
        ("b1", Lane.INTERACTIVE),
        ("b2", Lane.INTERACTIVE),
    ]
    assert mail.behind == {}
    rows = await db.read("SELECT lane FROM outbox ORDER BY id")
    assert [row["lane"] for row in rows] == [Lane.INTERACTIVE, Lane.INTERACTIVE]


async def test_only_a_committed_unit_of_work_tells_what_it_queued(db: Database) -> None:
    told: list[NewMail] = []
    storage = SqliteStorage(db, on_outbox=told.append)

    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            await uow.enqueue([Outbound(chat=ALICE, text="never")], NOW)
            raise RuntimeError("the turn failed")
    async with storage.transaction() as uow:
        await uow.claim_update("telegram", "1", NOW)  # no mail: nothing to tell
    async with storage.transaction() as uow:
        [sent] = await uow.enqueue([Outbound(chat=ALICE, text="a1")], NOW)

    assert [list(mail.heads) for mail in told] == [[ALICE]]
    assert told[0].heads[ALICE][0].id == sent


async def test_a_chat_head_is_read_with_when_it_is_due(db: Database, store: OutboxStore) -> None:
    await queue(db, Outbound(chat=ALICE, text="a1"), Outbound(chat=ALICE, text="a2"))
    [first] = await store.due(NOW, limit=1)
    later = NOW + timedelta(seconds=30)
    await store.reschedule(first.id, later, "timed out")

    head = await store.chain_of(ALICE, NOW, limit=10)

    assert head is not None
    [item], due = head  # not due yet: the row behind it is not read with it
    assert (item.message.text, item.attempts, due) == ("a1", 1, later)
    assert await store.chain_of(BOB, NOW, limit=10) is None


async def test_a_due_chat_is_read_with_the_rows_that_follow_its_head_in_order(
    db: Database, store: OutboxStore
) -> None:
    await queue(db, *(Outbound(chat=ALICE, text=f"a{n}") for n in range(1, 5)))
    await queue(db, Outbound(chat=BOB, text="b1"))

    found = await store.chain_of(ALICE, NOW, limit=3)

    assert found is not None
    chain, due = found
    assert [item.message.text for item in chain] == ["a1", "a2", "a3"]
    assert due == NOW
