"""Storage at scale: homthu's own queries on a database seeded with years of cases.

    python -m bench.storage_scale                  # 100,000 cases, 500,000 messages
    python -m bench.storage_scale --cases 20000    # quicker
    python -m bench.storage_scale --cases 1000000 --keep /big/disk/m1.sqlite3   # the issue's size
    python -m bench.storage_scale --reuse /big/disk/m1.sqlite3                  # time it again

The issue's full size (1,000,000 cases, 5,000,000 messages) takes about 4.7 GB of disk and, on a
2-core machine, about 16 minutes of seeding: seed it once with --keep, then time it with --reuse as
often as needed. Queries go through homthu's repositories (aiosqlite, inside a transaction, as a
handler runs them): tracking-code lookup, /tracuu's reads, a member's open-case lists, the
overdue list and the deadline sweep's query, /thongke's monthly statistics, and /timkiem's
full-text search (FTS5, diacritics folded). Only the 12-month trend is plain SQL: homthu has no
such query yet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.figures import percentile, table, verdict
from bench.machine import machine_report
from bench.seed import Shape, counts, create_schema, seed_cases, seed_reminders
from bot.domain.ports import SearchScope
from bot.domain.search_query import parse_query
from bot.storage.cases import SqliteCaseRepo
from bot.storage.database import Database, Tx, to_db_time
from bot.storage.reminders import SqliteReminderRepo
from bot.storage.search import SqliteCaseSearch
from bot.storage.stats import SqliteStatsRepo

FIELDS = [f"linh-vuc-{i:02d}" for i in range(100)]
MEMBERS = [f"tv{i:02d}" for i in range(20)]
FULL_SIZE = 1_000_000  # the target size
OPEN = "state IN ('received', 'assigned', 'in_progress')"

MONTHLY_SQL = "SELECT c.id FROM cases c WHERE c.created_at >= ? AND c.created_at < ?"
TREND_SQL = (
    "SELECT substr(created_at, 1, 7) AS month, COUNT(*) AS n,"
    " SUM(answered_at IS NOT NULL AND answered_at <= due_at) AS on_time"
    " FROM cases WHERE created_at >= ? GROUP BY month"
)
SEARCH_SQL = (  # the shape of SqliteCaseSearch's query, for its plan
    "SELECT m.body, c.id FROM case_search s CROSS JOIN case_messages m ON m.id = s.rowid"
    " CROSS JOIN cases c ON c.id = m.case_id WHERE case_search MATCH ? AND c.field_id IN (?, ?)"
    " ORDER BY s.rowid DESC LIMIT 24"
)
REMINDERS_SQL = (
    "SELECT case_id FROM case_reminders WHERE sent_at IS NULL AND skipped_at IS NULL"
    " AND due_at <= ? GROUP BY case_id ORDER BY MIN(due_at), case_id LIMIT 50"
)
REMINDERS = 10_000
# Queries that read rows in proportion to the cases (a month holds 1/60 of them): projected
# linearly to 1M from a smaller run. The others read a page, or what the index leads to.
GROWS_WITH_CASES = ("overdue list", "monthly statistics", "12-month trend")
# What members type: whole words (common, several, a phrase no case holds), and words whose last
# one is half typed (read as the words it starts).
SEARCHES = ("duong", "den duong hong", "o nhiem", "duong sat cao toc", "xuong cap", "giai quyet")
HALF_TYPED = tuple(parse_query(text) for text in ("giai quy", "duo", "o nhi", "sua chu"))

Probe = Callable[[Tx, int], Awaitable[Any]]


async def sample(db: Database, probe: Probe, count: int) -> list[float]:
    """Seconds per call of `probe`, each inside its own transaction (not timed)."""
    times = []
    for i in range(count):
        async with db.transaction() as tx:
            started = time.perf_counter()
            await probe(tx, i)
            times.append(time.perf_counter() - started)
    return times


def plan(db_path: Path, sql: str, params: tuple[Any, ...]) -> str:
    """SQLite's query plan, one line."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "; ".join(str(row[3]) for row in rows)


def file_mb(path: Path) -> float:
    """Size on disk in MB."""
    return path.stat().st_size / 1e6


def table_sizes(db_path: Path) -> list[tuple[str, float]]:
    """MB per table and index (needs SQLite's dbstat, which most builds have)."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        try:
            rows = conn.execute(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
    return [(name, size / 1e6) for name, size in rows]


async def prepare(args: argparse.Namespace, db_path: Path, now: datetime) -> float | None:
    """Seed a new database (returns the seconds it took), or None when reusing one."""
    if args.reuse:
        return None
    await create_schema(db_path)
    started = time.monotonic()
    shape = Shape(
        cases=args.cases, fields=FIELDS, members=MEMBERS, messages_per_case=args.messages_per_case
    )
    seed_cases(db_path, shape, now=now)
    seed_reminders(db_path, REMINDERS, now=now)
    return time.monotonic() - started


def stored_codes(db_path: Path) -> list[str]:
    """Every tracking code in the database."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM cases")]


def seeded_at(db_path: Path) -> datetime:
    """The newest case's arrival: the seed's "now", so a reused database is timed as seeded."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        newest = conn.execute("SELECT MAX(created_at) FROM cases").fetchone()[0]
    return datetime.strptime(newest, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


async def measure(args: argparse.Namespace, db_path: Path) -> None:
    """Seed (or reuse), time each query, print."""
    seed_seconds = await prepare(args, db_path, datetime.now(UTC))
    now = seeded_at(db_path)
    codes = stored_codes(db_path)
    cases = len(codes)
    rows = counts(db_path)
    size_mb = file_mb(db_path)
    rng = random.Random(1)
    picks = [rng.choice(codes) for _ in range(args.samples)]
    member_fields = {m: FIELDS[i * 5 : i * 5 + 5] for i, m in enumerate(MEMBERS)}
    month_start = (now - timedelta(days=30)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    month = (to_db_time(month_start), to_db_time(month_end))
    year_ago = to_db_time(now - timedelta(days=365))
    queries = [parse_query(text) for text in SEARCHES]

    def scope(i: int) -> SearchScope:
        member = MEMBERS[i % len(MEMBERS)]
        return SearchScope(member, False, member_fields[member], False)

    async def lookup(tx: Tx, i: int) -> Any:
        return await SqliteCaseRepo(tx).by_code(picks[i])

    async def tracuu(tx: Tx, i: int) -> Any:
        repo = SqliteCaseRepo(tx)
        case = await repo.by_code(picks[i])
        assert case is not None
        await repo.citizen_of(case.id)
        return await repo.messages(case.id)

    async def assigned(tx: Tx, i: int) -> Any:
        return await SqliteCaseRepo(tx).open_cases(assignee_id=MEMBERS[i % len(MEMBERS)])

    async def in_fields(tx: Tx, i: int) -> Any:
        member = MEMBERS[i % len(MEMBERS)]
        return await SqliteCaseRepo(tx).open_cases(
            field_ids=member_fields[member], hidden_from=member
        )

    async def overdue(tx: Tx, i: int) -> Any:
        return await SqliteCaseRepo(tx).open_cases(due_before=now, limit=1000)

    async def reminders(tx: Tx, i: int) -> Any:
        # The deadline sweep a fortnight on: about half the pending reminders are due by then.
        return await SqliteReminderRepo(tx).due(now + timedelta(days=15), 50)

    async def monthly(tx: Tx, i: int) -> Any:
        return await SqliteStatsRepo(tx).statistics(month_start, month_end, now)

    async def trend(tx: Tx, i: int) -> Any:
        return await tx.fetch(TREND_SQL, (year_ago,))

    async def search_member(tx: Tx, i: int) -> Any:
        query = queries[i % len(queries)]
        return await SqliteCaseSearch(tx).search(query, scope(i), limit=5)

    async def search_chair(tx: Tx, i: int) -> Any:
        query = queries[i % len(queries)]
        chair = SearchScope("tv00", True, (), False)
        return await SqliteCaseSearch(tx).search(query, chair, limit=5)

    async def search_page(tx: Tx, i: int) -> Any:
        return await SqliteCaseSearch(tx).search(queries[i % 3], scope(i), limit=5, offset=45)

    async def search_prefix(tx: Tx, i: int) -> Any:
        return await SqliteCaseSearch(tx).search(HALF_TYPED[i % len(HALF_TYPED)], scope(i), limit=5)

    few = max(5, args.samples // 50)
    some = max(30, args.samples // 5)
    probes: list[tuple[str, Probe, int, float | None, str, tuple[Any, ...]]] = [
        ("tracking-code lookup (cases.by_code)", lookup, args.samples, 0.005,
         "SELECT * FROM cases WHERE code = ?", (picks[0],)),
        ("/tracuu reads (by_code, citizen_of, messages)", tracuu, args.samples, None,
         "SELECT * FROM case_messages WHERE case_id = ? ORDER BY id", (1,)),
        ("member's open cases: assigned to them (open_cases)", assigned, some, 0.020,
         f"SELECT * FROM cases WHERE {OPEN} AND assignee_id = ? ORDER BY due_at, id LIMIT 10", (MEMBERS[0],)),
        ("member's open cases: their 5 fields, exclusions applied", in_fields, some, 0.020,
         f"SELECT * FROM cases INDEXED BY cases_open_field_due WHERE {OPEN} AND field_id IN (?,?,?,?,?) ORDER BY due_at, id LIMIT 10",
         tuple(FIELDS[:5])),
        ("overdue list (open_cases due_before=now, 1000 rows)", overdue, few, None,
         f"SELECT * FROM cases WHERE {OPEN} AND due_at < ? ORDER BY due_at, id LIMIT 1000", (to_db_time(now),)),
        (f"deadline sweep (reminders.due, {REMINDERS:,} pending, 50 cases)", reminders, some, None,
         REMINDERS_SQL, (to_db_time(now + timedelta(days=15)),)),
        ("monthly statistics (/thongke: stats.statistics, last month)", monthly, few, 0.500,
         MONTHLY_SQL, month),
        ("12-month trend (GROUP BY month, plain SQL)", trend, few, 0.500, TREND_SQL, (year_ago,)),
        ("/timkiem, member (5 fields), 6 queries, page 1", search_member, some, 0.100,
         SEARCH_SQL, ('"den" "duong" "hong"', FIELDS[0], FIELDS[1])),
        ("/timkiem, chair (all fields), 6 queries, page 1", search_chair, some, 0.100,
         SEARCH_SQL, ('"duong"', FIELDS[0], FIELDS[1])),
        ("/timkiem, member, page 10", search_page, some, 0.100,
         SEARCH_SQL, ('"o" "nhiem"', FIELDS[0], FIELDS[1])),
        ("/timkiem, member, half-typed last word ('giai quy', 'duo'…)", search_prefix, some, 0.100,
         SEARCH_SQL, ('"giai" AND ("quyet")', FIELDS[0], FIELDS[1])),
    ]  # fmt: skip
    db = await Database.open(db_path)
    results = []
    try:
        for name, probe, count, target, sql, params in probes:
            times = await sample(db, probe, count)
            results.append((name, times, target, plan(db_path, sql, params)))
    finally:
        await db.close()
    print("== bench.storage_scale: queries on a seeded database ==")
    print(machine_report())
    seeded = f"seeded in {seed_seconds:.1f} s" if seed_seconds is not None else f"reused {db_path}"
    print(
        f"database  {rows.get('cases', 0):,} cases, {rows.get('case_messages', 0):,} messages, "
        f"{rows.get('outbox', 0):,} outbox rows, {rows.get('processed_updates', 0):,} processed "
        f"updates, {rows.get('case_reminders', 0):,} reminders over 5 years, {len(FIELDS)} "
        f"fields, 100 villages; {seeded}"
    )
    print(
        f"size      {size_mb:.1f} MB on disk ({1e6 * size_mb / max(cases, 1) / 1e3:.1f} kB per case)"
    )
    print(
        "timing    through homthu's Database (aiosqlite), each call in its own transaction; warm page cache"
    )
    print()
    scale = FULL_SIZE / max(cases, 1)
    table_rows = [["query", "n", "p50 ms", "p99 ms", "target", "at this size",
                   "p99 at 1M (linear if rows read grow)", "at 1M"]]  # fmt: skip
    for name, times, target, _plan in results:
        p99 = percentile(times, 99)
        goal = f"≤ {target * 1000:g} ms" if target else "-"
        scans = name.startswith(GROWS_WITH_CASES)
        projected = p99 * scale if scans else p99
        table_rows.append([
            name, str(len(times)), f"{percentile(times, 50) * 1000:.2f}", f"{p99 * 1000:.2f}",
            goal, verdict(p99 <= target) if target else "-",
            f"~{projected * 1000:,.0f} ms" if scans else "flat",
            verdict(projected <= target) + (" (projected)" if scale > 1 else "") if target else "-",
        ])  # fmt: skip
    print(table(table_rows))
    print()
    print("query plans (SCAN = reads the whole table: grows linearly with the data):")
    for name, _times, _target, query_plan in results:
        print(f"  {name}: {query_plan}")
    sizes = table_sizes(db_path)
    if sizes:
        print()
        print(
            "largest tables and indexes: " + ", ".join(f"{n} {mb:.1f} MB" for n, mb in sizes[:10])
        )
    print()
    print(
        f"targets (issue 5) are set at 1,000,000 cases; this run has {cases:,}. Rows marked linear "
        "read in proportion to the cases and cost about ×(1,000,000 / cases) more at full\n"
        "size (a projection with a warm cache; measure with --cases 1000000 to be sure). "
        "The search rows walk the FTS5 index newest first and\nstop when a page is full; the "
        "monthly statistics read every case of the month (and its messages and events)."
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.storage_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--messages-per-case", type=int, default=5)
    parser.add_argument("--samples", type=int, default=1000, help="lookups timed (others fewer)")
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    parser.add_argument("--reuse", type=Path, help="time a database seeded earlier with --keep")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        db_path = args.reuse or args.keep or Path(tmp) / "homthu.sqlite3"
        if args.reuse and not db_path.exists():
            parser.error(f"{db_path} does not exist; seed it first with --keep")
        if not args.reuse and db_path.exists():
            parser.error(f"{db_path} exists; give a new path (or time it with --reuse)")
        asyncio.run(measure(args, db_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
