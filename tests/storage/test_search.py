"""Full-text search over case threads: diacritics folded, every word required, visibility kept."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.model import CaseKind, ChatRef, MessageKind, Sender
from bot.domain.ports import NewCase, SearchScope
from bot.domain.search_query import parse_query
from bot.storage.database import Database
from bot.storage.search import MAX_EXPANSION
from bot.storage.unit_of_work import SqliteStorage

T0 = datetime(2027, 2, 1, 1, 0, tzinfo=UTC)
CHAIR = SearchScope("hung", all_fields=True, field_ids=(), formal_route=False)
MINH = SearchScope("minh", all_fields=False, field_ids=("moi-truong",), formal_route=False)


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqliteStorage]:
    db = await Database.open(tmp_path / "search.sqlite3")
    async with db.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO members (id, name, roles, updated_at) VALUES (?, ?, 'member', 'x')",
            [("hung", "Nguyễn Văn Hùng"), ("minh", "Lê Quang Minh"), ("hoa", "Phạm Thị Hoa")],
        )
    try:
        yield SqliteStorage(db)
    finally:
        await db.close()


async def new_case(
    storage: SqliteStorage,
    text: str,
    *,
    field: str = "dat-dai",
    kind: CaseKind = CaseKind.SUGGESTION,
    assignee: str | None = None,
) -> str:
    """A case whose submission is `text`; returns its tracking code."""
    async with storage.transaction() as uow:
        citizen = await uow.citizens.touch(Sender(ChatRef("telegram", "9"), "9", "X"), T0)
        number = await uow.cases.next_sequence("2027-02-01")
        case = await uow.cases.create(
            NewCase(
                f"MT-270201-{number:04d}-AA", citizen.id, field, None, kind, True, None, None,
                T0, T0 + timedelta(days=10),
            )
        )  # fmt: skip
        await uow.cases.add_message(case.id, MessageKind.CITIZEN, text, None, (), T0)
        if assignee is not None:
            await uow.cases.update(replace(case, assignee_id=assignee), T0)
        return case.code


async def add_message(storage: SqliteStorage, code: str, kind: MessageKind, text: str) -> None:
    async with storage.transaction() as uow:
        case = await uow.cases.by_code(code)
        assert case is not None
        await uow.cases.add_message(case.id, kind, text, None, (), T0)


async def found(
    storage: SqliteStorage, text: str, scope: SearchScope = CHAIR, *, limit: int = 10
) -> list[str]:
    """Codes of the cases found, in the order given."""
    async with storage.transaction() as uow:
        hits, _more = await uow.search.search(parse_query(text), scope, limit=limit)
        return [hit.case.code for hit in hits]


async def test_words_typed_without_diacritics_find_vietnamese_text(
    storage: SqliteStorage,
) -> None:
    road = await new_case(storage, "Đường vào thôn bị hỏng nặng.")
    await new_case(storage, "Rác thải đổ bừa bãi.")
    assert await found(storage, "duong hong") == [road]
    assert await found(storage, "ĐƯỜNG") == [road]
    assert await found(storage, "đường hỏng") == [road]


async def test_text_in_decomposed_unicode_is_found_too(storage: SqliteStorage) -> None:
    code = await new_case(storage, unicodedata.normalize("NFD", "Cống thoát nước bị tắc."))
    assert await found(storage, "cong thoat nuoc") == [code]


async def test_every_word_must_occur_and_the_last_may_be_half_typed(
    storage: SqliteStorage,
) -> None:
    code = await new_case(storage, "Khói từ lò gạch gây ô nhiễm.")
    assert await found(storage, "khoi nhie") == [code]
    assert await found(storage, "khoi nuoc") == []
    assert await found(storage, "nhie khoi") == []  # only the last word is a prefix
    assert await found(storage, "ga") == []  # too short to be a prefix: whole words only


async def test_answers_notes_and_follow_ups_are_searched(storage: SqliteStorage) -> None:
    code = await new_case(storage, "Xin hỏi về thủ tục.")
    await add_message(storage, code, MessageKind.CITIZEN, "Bổ sung: giấy chứng nhận quyền sử dụng")
    await add_message(storage, code, MessageKind.ANSWER, "Mời Ông/Bà đến bộ phận một cửa.")
    await add_message(storage, code, MessageKind.INTERNAL, "Chuyển cán bộ địa chính xem.")
    assert await found(storage, "chung nhan") == [code]
    assert await found(storage, "mot cua") == [code]
    assert await found(storage, "dia chinh") == [code]


async def test_each_case_appears_once_newest_match_first(storage: SqliteStorage) -> None:
    old = await new_case(storage, "Đèn đường hỏng.")
    new = await new_case(storage, "Đèn đường tắt cả đêm.")
    await add_message(storage, old, MessageKind.CITIZEN, "Đèn vẫn chưa sửa.")
    await add_message(storage, old, MessageKind.ANSWER, "Đã báo thợ sửa đèn.")
    assert await found(storage, "den") == [old, new]


async def test_pages_go_on_where_the_last_one_stopped(storage: SqliteStorage) -> None:
    codes = [await new_case(storage, f"Cầu số {n} xuống cấp.") for n in range(7)]
    async with storage.transaction() as uow:
        first, more = await uow.search.search(parse_query("cau"), CHAIR, limit=5)
        second, more_after = await uow.search.search(parse_query("cau"), CHAIR, limit=5, offset=5)
    assert [h.case.code for h in first + second] == codes[::-1]
    assert more and not more_after


async def test_a_member_finds_only_cases_they_may_see(storage: SqliteStorage) -> None:
    mine = await new_case(storage, "Ô nhiễm nguồn nước.", field="moi-truong")
    other = await new_case(storage, "Ô nhiễm tiếng ồn.", field="ha-tang")
    held = await new_case(storage, "Ô nhiễm khói bụi.", field="ha-tang", assignee="minh")
    formal = await new_case(storage, "Tố cáo ô nhiễm.", field="khac", kind=CaseKind.DENUNCIATION)
    supported = await new_case(storage, "Ô nhiễm rác.", field="khac")
    async with storage.transaction() as uow:
        case = await uow.cases.by_code(supported)
        assert case is not None
        await uow.cases.add_supporter(case.id, "minh", "hung", T0)
    assert set(await found(storage, "o nhiem", MINH)) == {mine, held, supported}
    reception = SearchScope("hoa", all_fields=False, field_ids=(), formal_route=True)
    assert await found(storage, "o nhiem", reception) == [formal]
    assert set(await found(storage, "o nhiem")) == {mine, other, held, formal, supported}


async def test_a_case_that_names_a_member_never_reaches_them_in_search(
    storage: SqliteStorage,
) -> None:
    code = await new_case(storage, "Ông Minh thu tiền sai quy định.", field="moi-truong")
    async with storage.transaction() as uow:
        case = await uow.cases.by_code(code)
        assert case is not None
        await uow.cases.exclude(case.id, ["minh", "hung"])
    assert await found(storage, "thu tien", MINH) == []
    assert await found(storage, "thu tien", CHAIR) == []


HOSTILE = [
    'đường" OR "*',
    "NEAR(duong hong, 2)",
    "duong AND OR NOT hong",
    "(((duong",
    "duong*",
    "^duong",
    "col:duong",
    "- + : ; ' ` {} []",
    "\"\"\"'''",
    "duong\x00hong",
    "đ" * 40,
    "NOT",
    "a_b_c",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_search_syntax_typed_by_a_member_is_only_text(
    storage: SqliteStorage, text: str
) -> None:
    code = await new_case(storage, "Đường hỏng, not near (col) a b c.")
    try:
        query = parse_query(text)
    except ValueError:
        return  # refused politely by the service (no word, or too long)
    async with storage.transaction() as uow:
        hits, _ = await uow.search.search(query, CHAIR, limit=5)
    assert all(hit.case.code == code for hit in hits)


async def test_the_migration_indexes_messages_written_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:  # back to the schema before search existed
        conn.executescript(
            "DROP TABLE case_search; DROP TABLE case_search_terms;"
            "DROP TRIGGER case_search_insert; DROP TRIGGER case_search_delete;"
            "DROP TRIGGER case_search_update_old; DROP TRIGGER case_search_update_new;"
            "DELETE FROM schema_migrations WHERE name LIKE '%_case_search.sql';"
            "INSERT INTO citizens (id, channel, chat_id, created_at) VALUES (1, 'telegram', '9', '2027-02-01T01:00:00.000000Z');"
            "INSERT INTO cases (id, code, citizen_id, field_id, kind, state, anonymous,"
            " created_at, due_at, updated_at) VALUES (1, 'MT-270201-0001-AA', 1, 'dat-dai',"
            " 'gop_y', 'received', 1, '2027-02-01T01:00:00.000000Z', '2027-02-01T01:00:00.000000Z', '2027-02-01T01:00:00.000000Z');"
            "INSERT INTO case_messages (case_id, kind, body, created_at)"
            " VALUES (1, 'citizen', 'Đường liên xã sạt lở.', '2027-02-01T01:00:00.000000Z');"
        )
    conn.close()
    db = await Database.open(path)
    try:
        assert await found(SqliteStorage(db), "duong sat lo") == ["MT-270201-0001-AA"]
        assert await found(SqliteStorage(db), "duong lie") == ["MT-270201-0001-AA"]
    finally:
        await db.close()


async def test_a_whole_word_found_as_typed_is_not_widened_to_longer_words(
    storage: SqliteStorage,
) -> None:
    market = await new_case(storage, "Chợ họp lấn ra đường.")
    await new_case(storage, "Chống ngập cho khu dân cư.")  # "cho" here is a word too
    flood = await new_case(storage, "Chống sạt lở bờ sông.")
    assert flood not in await found(storage, "cho")
    assert market in await found(storage, "cho")
    assert await found(storage, "chon") != []  # no word "chon": read as the start of "chống"


async def test_a_half_typed_word_that_starts_very_many_words_still_finds_them(
    storage: SqliteStorage,
) -> None:
    many = " ".join(f"abc{n}" for n in range(MAX_EXPANSION + 5))
    code = await new_case(storage, f"Mã số {many}.")
    assert await found(storage, "ma abc") == [code]
    assert await found(storage, "ma abc6") == [code]
