"""Start-up and restart: how long homthu takes to poll, and to drain an outbox left by a crash.

    python -m bench.startup                           # 100,000 cases; drain 10,000 messages
    python -m bench.startup --cases 20000 --drain 2000 --pacing production

1. Time from process start (spawn) to the first getUpdates reaching the emulator, for a bare
   python-telegram-bot echo bot (the floor: interpreter + PTB import + initialize), homthu on an
   empty database, and homthu on a database seeded with --cases cases (their threads, events,
   sent outbox rows and processed-update ledger) and --reminders pending deadline reminders,
   due over the next 30 days. Median of --repeat starts each.
2. Crash recovery: --drain pending outbox rows to distinct chats, as a crash in the middle of a
   broadcast leaves them (in the bulk lane, where the schema has outbox lanes); homthu starts
   and the clock runs until the emulator has every one. Meanwhile a new citizen writes /start
   every 2 s: how long do they wait for an answer?
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.figures import percentile, spread_ms, table
from bench.homthu_config import PACINGS, TOKEN, load, write_config
from bench.machine import machine_report
from bench.processes import BOT_CORE, EMULATOR_CORE, Child, pin_this_process, spawn, spawn_emulator
from bench.seed import (
    DRAIN_CHAT_BASE,
    Shape,
    counts,
    create_schema,
    seed_cases,
    seed_pending,
    seed_reminders,
)
from bot.domain.outbound import Lane
from sandbox.control_client import EmulatorControl

PROBE_BASE = 700_000
PROBE_EVERY = 2.0


class Rig:
    """The emulator, a control client, and the folder everything lives in."""

    def __init__(self, workdir: Path, root: str, session: aiohttp.ClientSession) -> None:
        self.workdir = workdir
        self.root = root
        self.session = session
        self.control = EmulatorControl(root, session)

    async def reset(self) -> None:
        """Forget the previous bot."""
        async with self.session.post(f"{self.root}/_bench/reset") as response:
            response.raise_for_status()

    async def timeline(self) -> dict[str, Any]:
        """The bench emulator's timeline (see bench.emulator)."""
        async with self.session.get(f"{self.root}/_bench/timeline") as response:
            result: dict[str, Any] = await response.json()
        return result

    async def feed(self, since: int) -> tuple[int, list[list[Any]]]:
        """Bot messages from feed position `since`, without waiting; (next position, entries)."""
        params = {"since": str(since), "timeout": "0"}
        async with self.session.get(f"{self.root}/_bench/feed", params=params) as response:
            payload = await response.json()
        return int(payload["next"]), payload["messages"]

    async def first_poll(self, child: Child, timeout: float = 120.0) -> float:  # noqa: ASYNC109
        """Wall time at which the bot's first getUpdates arrived at the emulator."""
        deadline = time.monotonic() + timeout
        while not (polls := (await self.timeline())["polls"]):
            if not child.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{child.name} never polled:\n{child.log_tail()}")
            await asyncio.sleep(0.01)
        return float(polls[0])

    async def spawn_homthu(self, name: str, config_path: Path) -> tuple[Child, float]:
        """Start homthu on the bot core; (child, wall time just before the spawn)."""
        argv = [sys.executable, "-m", "bot", "run", "--config", str(config_path)]
        spawned = time.time()
        return await spawn(name, argv, self.workdir, core=BOT_CORE), spawned

    async def spawn_ptb(self) -> tuple[Child, float]:
        """Start the bare PTB echo bot; (child, wall time just before the spawn)."""
        argv = [sys.executable, "-m", "bench.echo_ptb", "--base-url", f"{self.root}/bot", "--token", TOKEN]  # fmt: skip
        spawned = time.time()
        return await spawn("ptb", argv, self.workdir, core=BOT_CORE), spawned


async def time_to_poll(rig: Rig, start: Any) -> tuple[float, float]:
    """(seconds from spawn to first getUpdates, seconds from SIGTERM to exit)."""
    await rig.reset()
    child, spawned = await start()
    try:
        polled = await rig.first_poll(child)
    finally:
        stopping = time.monotonic()
        await child.stop()
        stopped = time.monotonic() - stopping
    return polled - spawned, stopped


async def drain(rig: Rig, config_path: Path, count: int, rate: float) -> list[str]:
    """Start homthu on an outbox with `count` pending rows; report the drain and the probes."""
    await rig.reset()
    child, spawned = await rig.spawn_homthu("homthu-drain", config_path)
    probes: list[int] = []
    try:
        polled = await rig.first_poll(child)
        deadline = time.monotonic() + count / rate * 3 + 60
        delivered, cursor = 0, 0
        next_probe = time.monotonic()
        while delivered < count and time.monotonic() < deadline:
            if not child.alive():
                raise RuntimeError(f"homthu died while draining:\n{child.log_tail()}")
            if time.monotonic() >= next_probe:
                user_id = PROBE_BASE + len(probes)
                await rig.control.add_user(user_id, "Người mới")
                await rig.control.send_text(user_id, "/start")
                probes.append(user_id)
                next_probe += PROBE_EVERY
            cursor, entries = await rig.feed(cursor)
            delivered += sum(DRAIN_CHAT_BASE <= e[0] < PROBE_BASE for e in entries)
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # the last probes' answers
        calls = await rig.control.calls("sendMessage")
        timeline = await rig.timeline()
    finally:
        await child.stop()
    drained = [
        c["time"] for c in calls
        if c["status"] == 200 and int(c["params"]["chat_id"]) >= DRAIN_CHAT_BASE
        and int(c["params"]["chat_id"]) < PROBE_BASE
    ]  # fmt: skip
    chats = {
        int(c["params"]["chat_id"]) for c in calls
        if c["status"] == 200 and DRAIN_CHAT_BASE <= int(c["params"]["chat_id"]) < PROBE_BASE
    }  # fmt: skip
    waits = probe_waits(timeline, set(probes))
    answered = [w for w in waits if w is not None]
    ideal = count / rate
    rows: list[tuple[str, str]] = [("first getUpdates", f"{polled - spawned:.2f} s after spawn")]
    if len(chats) >= count:
        rows.append((f"all {count:,} delivered", f"{max(drained) - spawned:.1f} s after spawn"))
    else:
        rows.append(("NOT all delivered", f"{len(chats)} of {count} chats got their message"))
    if len(drained) > 1:
        drain_rate = len(drained) / (max(drained) - min(drained))
        rows.append(("drain rate", f"{drain_rate:.1f} msg/s (configured global_rate {rate:g}/s;"
                     f" ideal drain {ideal:.1f} s)"))  # fmt: skip
    rows.append(("duplicates", str(len(drained) - len(chats))))
    rows.append((
        "new citizens during drain",
        f"{len(probes)} sent /start, one every {PROBE_EVERY:g} s; {len(answered)} answered; "
        f"wait p50/p95/p99/max {spread_ms(answered)}",
    ))  # fmt: skip
    if len(answered) < len(probes):
        rows.append(("", f"{len(probes) - len(answered)} never answered before the drain ended"))
    lines = [f"{label:<27}{value}" for label, value in rows]
    return lines


def mark_broadcast(path: Path) -> str:
    """Put the seeded backlog in the bulk lane if this schema has outbox lanes; how it queues."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(outbox)")}
        if "lane" not in columns:
            return "one queue, no lanes"
        conn.execute("UPDATE outbox SET lane = ? WHERE status = 'pending'", (int(Lane.BULK),))
    return "bulk lane; replies to new citizens go in the interactive lane"


def probe_waits(timeline: dict[str, Any], chats: set[int]) -> list[float | None]:
    """Seconds from each probe's /start to the bot's first message in that chat."""
    first: dict[int, float] = {}
    for chat, t in timeline["bot_messages"]:
        if chat in chats and chat not in first:
            first[chat] = t
    waits: list[float | None] = []
    for _update_id, chat, _kind, t in timeline["updates"]:
        if chat in chats:
            waits.append(first[chat] - t if chat in first else None)
    return waits


async def run(args: argparse.Namespace) -> None:
    """Seed, start, measure, print."""
    pin_this_process(EMULATOR_CORE)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        workdir = Path(tmp)
        emulator, root = await spawn_emulator(workdir, TOKEN)
        try:
            async with aiohttp.ClientSession(trust_env=False) as session:
                await measure(args, Rig(workdir, root, session))
        finally:
            await emulator.stop()


async def measure(args: argparse.Namespace, rig: Rig) -> None:
    """The three start-up timings, then the drain."""
    pacing = PACINGS[args.pacing]
    empty_dir, seeded_dir, drain_dir = (rig.workdir / n for n in ("empty", "seeded", "drain"))
    for folder in (empty_dir, seeded_dir, drain_dir):
        folder.mkdir()
    empty_config, _ = write_config(empty_dir, rig.root, pacing)
    seeded_config, seeded_db = write_config(seeded_dir, rig.root, pacing)
    config = load(seeded_config)
    await create_schema(seeded_db)
    started = time.monotonic()
    shape = Shape(
        cases=args.cases,
        fields=[f.id for f in config.fields],
        members=[m.id for m in config.members],
    )
    seed_cases(seeded_db, shape)
    reminders = seed_reminders(seeded_db, args.reminders)
    seed_seconds = time.monotonic() - started
    rows = counts(seeded_db)
    size_mb = seeded_db.stat().st_size / 1e6

    results: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.repeat):
        for name, start in (
            ("bare python-telegram-bot echo bot", rig.spawn_ptb),
            ("homthu, empty database", lambda: rig.spawn_homthu("homthu-empty", empty_config)),
            (
                f"homthu, {args.cases:,} cases, {reminders:,} reminders",
                lambda: rig.spawn_homthu("homthu-seeded", seeded_config),
            ),
        ):
            results.setdefault(name, []).append(await time_to_poll(rig, start))

    drain_config, drain_db = write_config(drain_dir, rig.root, pacing)
    shutil.copy(seeded_db, drain_db)
    seed_pending(drain_db, args.drain)
    queued_as = mark_broadcast(drain_db)
    drain_lines = await drain(rig, drain_config, args.drain, pacing.global_rate)

    print("== bench.startup: start-up and crash recovery ==")
    print(machine_report())
    print(
        f"database  {rows['cases']:,} cases, {rows['case_messages']:,} messages, "
        f"{rows['outbox']:,} sent outbox rows, {rows['processed_updates']:,} processed updates, "
        f"{reminders:,} pending reminders (due over the next 30 days); {size_mb:.0f} MB; "
        f"seeded in {seed_seconds:.1f} s"
    )
    print(
        f"homthu    {pacing.description}; bot on core {BOT_CORE}, emulator on core {EMULATOR_CORE}"
    )
    print()
    table_rows = [["process", "spawn → first getUpdates (median)", "all starts", "SIGTERM → exit"]]
    for name, timings in results.items():
        starts = [t for t, _ in timings]
        stops = [s for _, s in timings]
        table_rows.append([
            name, f"{percentile(starts, 50):.2f} s", ", ".join(f"{t:.2f}" for t in starts),
            f"{percentile(stops, 50):.2f} s",
        ])  # fmt: skip
    print(table(table_rows))
    print()
    print(
        f"crash recovery: {args.drain:,} pending outbox rows to distinct chats ({queued_as}),"
        f" on the {args.cases:,}-case database"
    )
    print("\n".join("  " + line for line in drain_lines))
    print()
    print("baseline/targets: issue 5 sets no number for start-up; the bare PTB bot above is the")
    print("floor homthu is compared with.")
    if not reminders:
        print("This schema has no reminders table: the pending reminders could not be seeded.")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--drain", type=int, default=10_000, help="pending outbox rows after the crash"
    )
    parser.add_argument("--reminders", type=int, default=10_000,
                        help="pending deadline reminders in the seeded database")  # fmt: skip
    parser.add_argument("--pacing", choices=sorted(PACINGS), default="sandbox",
                        help="homthu's [outbox] pacing; production drains at 25/s (10,000 take 400 s)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="starts per process kind")
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
