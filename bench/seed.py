"""Seed a homthu database (the current schema, created by homthu's own migrations) with years of
cases, their threads and events, the outbox rows and processed-update ledger they left, and
optionally pending outbox rows as a crash would leave them. Plain sqlite3 with executemany:
seeding 100,000 cases takes seconds, not the hours homthu's one-update-at-a-time path would."""

from __future__ import annotations

import contextlib
import random
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.model import ChatRef
from bot.domain.outbound import Button, LinkRole, Outbound
from bot.domain.search_query import search_words
from bot.domain.tracking_code import make_code
from bot.storage.database import Database, to_db_time

OPEN = ("received", "assigned", "in_progress")
CLOSED = ("answered", "closed", "transferred", "guided", "rejected", "withdrawn")
WORDS = (
    "đường", "ngõ", "xóm", "điện", "đèn", "nước", "giếng", "rác", "cống", "mương", "ô nhiễm",
    "khói", "tiếng ồn", "lấn chiếm", "đất đai", "sổ đỏ", "cầu", "trường học", "trạm y tế",
    "bảo hiểm", "hộ nghèo", "chó thả rông", "ngập", "lụa", "chợ", "bến xe", "hỏng", "xuống cấp",
    "nhờ", "kiểm tra", "sửa chữa", "thu gom", "giải quyết", "từ lâu", "nhiều hộ", "ban đêm",
)  # fmt: skip
CITIZEN_CHAT_BASE = 10_000_000
DRAIN_CHAT_BASE = 600_000


@dataclass(frozen=True)
class Shape:
    """How many of everything, and over how long."""

    cases: int
    fields: Sequence[str]
    members: Sequence[str]
    villages: int = 100
    years: float = 5.0
    messages_per_case: int = 5
    updates_per_case: int = 8
    outbox_per_case: int = 3
    cases_per_citizen: int = 3


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _notice_payload(code: str, text: str, case_id: int) -> str:
    buttons = (
        (Button("Nhận xử lý", f"m:claim:{case_id}"), Button("Trả lời", f"m:answer:{case_id}")),
    )
    return Outbound(ChatRef("telegram", "0"), f"<b>Góp ý mới</b> {code}\n{text}", buttons).to_json()


def _bulk_mode(conn: sqlite3.Connection) -> None:
    """Seeding only: no journal, no syncs, a big page cache, one lock held throughout.

    A crash while seeding leaves a broken file; the benchmark then starts again from scratch."""
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-1000000")  # 1 GB


def _normal_mode(conn: sqlite3.Connection) -> None:
    """Back to the settings homthu runs with (WAL), so the bot opens the file as it would."""
    conn.execute("PRAGMA locking_mode=NORMAL")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA journal_mode=WAL")


def _batches(
    rows: Iterator[tuple[object, ...]], size: int = 50_000
) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def create_schema(path: Path) -> None:
    """An empty database at the current schema, made by homthu's own migrations."""
    db = await Database.open(path)
    await db.close()


def seed_cases(
    path: Path, shape: Shape, *, now: datetime | None = None, seed: int = 5
) -> list[str]:
    """Fill the database at `path` (schema already there); return every tracking code."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    span = timedelta(days=365 * shape.years)
    start = now - span
    secret = secrets.token_bytes(16)
    codes: list[str] = []
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        _bulk_mode(conn)
        conn.execute("BEGIN")
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('code_secret', ?)", (secret.hex(),)
        )
        stamp = to_db_time(start)
        conn.executemany(
            "INSERT OR IGNORE INTO members (id, name, roles, channel, chat_id, active, updated_at)"
            " VALUES (?, ?, 'member', NULL, NULL, 1, ?)",
            [(m, f"Thành viên {m}", stamp) for m in shape.members],
        )
        citizens = max(1, shape.cases // shape.cases_per_citizen)
        conn.executemany(
            "INSERT INTO citizens (id, channel, chat_id, user_id, full_name, consent_version,"
            " consent_at, created_at) VALUES (?, 'telegram', ?, ?, ?, '2026-11', ?, ?)",
            (
                (
                    i,
                    str(CITIZEN_CHAT_BASE + i),
                    str(CITIZEN_CHAT_BASE + i),
                    f"Công dân {i}",
                    stamp,
                    stamp,
                )
                for i in range(1, citizens + 1)
            ),
        )
        # Cases arrive in time order: the id order is the created_at order, as in real life.
        instants = sorted(start + span * rng.random() for _ in range(shape.cases))
        per_day: dict[str, int] = {}
        case_rows = []
        for case_id, created in enumerate(instants, start=1):
            local_day = (created + timedelta(hours=7)).date()
            sequence = per_day[local_day.isoformat()] = per_day.get(local_day.isoformat(), 0) + 1
            code = make_code("MT", local_day, sequence, secret)
            codes.append(code)
            due = created + timedelta(days=15)
            recent = now - created < timedelta(days=45)
            state = (
                rng.choice(OPEN)
                if (recent and rng.random() < 0.6) or rng.random() < 0.02
                else rng.choice(CLOSED)
            )
            answered = (
                to_db_time(created + timedelta(days=rng.uniform(1, 20)))
                if state in ("answered", "closed")
                else None
            )
            assignee = rng.choice(shape.members) if state != "received" else None
            case_rows.append((
                case_id, code, rng.randint(1, citizens), rng.choice(shape.fields),
                f"Thôn {rng.randint(1, shape.villages)}", "gop_y", state, rng.random() < 0.5,
                assignee, to_db_time(created), to_db_time(due), answered, to_db_time(created),
            ))  # fmt: skip
        conn.executemany(
            "INSERT INTO cases (id, code, citizen_id, field_id, village, kind, state, anonymous,"
            " assignee_id, created_at, due_at, answered_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            case_rows,
        )
        conn.executemany(
            "INSERT INTO daily_sequences (day, last) VALUES (?, ?)", list(per_day.items())
        )

        def messages() -> Iterator[tuple[object, ...]]:
            kinds = ("citizen", "answer", "internal", "citizen", "answer")
            for row in case_rows:
                case_id, created = row[0], row[9]
                for k in range(shape.messages_per_case):
                    kind = kinds[k % len(kinds)]
                    member = rng.choice(shape.members) if kind != "citizen" else None
                    yield (case_id, kind, _text(rng, rng.randint(8, 30)), member, created)

        for batch in _batches(messages()):
            conn.executemany(
                "INSERT INTO case_messages (case_id, kind, body, member_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                batch,
            )

        # The search's word list, which SqliteCaseRepo.add_message keeps in production.
        conn.executemany(
            "INSERT OR IGNORE INTO case_search_terms (term) VALUES (?)",
            [(word,) for word in sorted(set().union(*(search_words(w) for w in WORDS)))],
        )

        def events() -> Iterator[tuple[object, ...]]:
            for row in case_rows:
                case_id, state, created = row[0], row[6], row[9]
                yield (case_id, "received", "citizen", None, "received", created)
                if state != "received":
                    yield (case_id, "state", "system", "received", state, created)

        for batch in _batches(events()):
            conn.executemany(
                "INSERT INTO case_events (case_id, action, actor, from_state, to_state, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                batch,
            )

        def outbox() -> Iterator[tuple[object, ...]]:
            for row in case_rows:
                case_id, code, citizen, created = row[0], row[1], row[2], row[9]
                payload = _notice_payload(code, "Góp ý đã được tiếp nhận.", case_id)
                for k in range(shape.outbox_per_case):
                    chat = str(CITIZEN_CHAT_BASE + citizen) if k == 0 else str(1000 + k)
                    role = LinkRole.CITIZEN_NOTICE.value if k == 0 else LinkRole.MEMBER_NOTICE.value
                    yield ("telegram", chat, payload, case_id, role, created, created, created,
                           str(case_id * 10 + k))  # fmt: skip

        for batch in _batches(outbox()):
            conn.executemany(
                "INSERT INTO outbox (channel, chat_id, payload, case_id, link_role, status,"
                " attempts, next_attempt_at, created_at, sent_at, sent_message_id)"
                " VALUES (?, ?, ?, ?, ?, 'sent', 1, ?, ?, ?, ?)",
                batch,
            )
            conn.executemany(
                "INSERT OR IGNORE INTO message_links (channel, chat_id, message_id, case_id, role)"
                " VALUES (?, ?, ?, ?, ?)",
                [(r[0], r[1], r[8], r[3], r[4]) for r in batch],
            )

        def updates() -> Iterator[tuple[object, ...]]:
            for row in case_rows:
                case_id, created = row[0], row[9]
                for k in range(shape.updates_per_case):
                    yield ("telegram", str(case_id * 16 + k), created)

        for batch in _batches(updates()):
            conn.executemany(
                "INSERT INTO processed_updates (channel, update_id, processed_at) VALUES (?, ?, ?)",
                batch,
            )
        conn.execute("COMMIT")
        _normal_mode(conn)
    return codes


def seed_pending(path: Path, count: int, *, first_chat: int = DRAIN_CHAT_BASE) -> None:
    """`count` pending notices to distinct chats, as a crash mid-broadcast leaves them."""
    stamp = to_db_time(datetime.now(UTC))
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO outbox (channel, chat_id, payload, next_attempt_at, created_at)"
            " VALUES ('telegram', ?, ?, ?, ?)",
            (
                (
                    str(first_chat + i),
                    _notice_payload(f"MT-261127-{i:04d}-K7", "Đường hỏng.", i),
                    stamp,
                    stamp,
                )
                for i in range(count)
            ),
        )
        conn.execute("COMMIT")


def counts(path: Path) -> dict[str, int]:
    """Rows per table, for the report."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found: dict[str, int] = {}
        for t in tables:
            # An FTS5 table whose tokenizer only the bot registers cannot be read from here.
            with contextlib.suppress(sqlite3.OperationalError):
                found[t] = int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
        return found


def seed_reminders(path: Path, count: int, *, now: datetime | None = None) -> int:
    """`count` pending deadline reminders on open cases, due over the next 30 days (none due at
    start-up); 0 if this schema has no reminders table yet."""
    now = now or datetime.now(UTC)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='case_reminders'"
        ).fetchone()
        if found is None:
            return 0
        open_ids = [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM cases WHERE state IN {OPEN!r} ORDER BY id DESC LIMIT ?", (count,)
            )
        ] or [
            row[0]
            for row in conn.execute("SELECT id FROM cases ORDER BY id DESC LIMIT ?", (count,))
        ]
        if not open_ids:
            return 0
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO case_reminders (case_id, kind, days_before, due_at) VALUES (?, 'before', 2, ?)",
            (
                (
                    open_ids[i % len(open_ids)],
                    to_db_time(now + timedelta(days=1 + i % 30, seconds=i)),
                )
                for i in range(count)
            ),
        )
        conn.execute("COMMIT")
    return count
