"""Outbox pacing under Telegram's limits: the real OutboxDispatcher and TelegramSender, the real
SQLite outbox, and an emulator (own process, core 0) that answers 429 past ~30 msg/s overall or
1 msg/s per chat.

    python -m bench.outbox_pacing                     # 10,000 notices: about 7 minutes at 25/s
    python -m bench.outbox_pacing --messages 2000     # about 80 s

This process plays homthu's sending side on core 1: it queues N notices to N distinct chats in
one transaction (as a broadcast would), starts the dispatcher with the production [outbox]
settings, and measures until the outbox is empty.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bench.figures import table, verdict
from bench.homthu_config import PACINGS, TOKEN, load, write_config
from bench.machine import machine_report
from bench.processes import BOT_CORE, Watch, pin_this_process, spawn_emulator
from bot.app import build_telegram
from bot.channels.telegram_sender import TelegramSender
from bot.domain.model import ChatRef
from bot.domain.outbound import Button, Outbound
from bot.domain.ports import SystemClock
from bot.services.outbox_dispatcher import OutboxDispatcher
from bot.storage import outbox_store
from bot.storage.database import Database
from bot.storage.outbox_store import OutboxStore
from sandbox.control_client import EmulatorControl

FIRST_CHAT = 500_000
STEADY_AFTER = 2.0  # seconds; 429s after this count as provoked in steady state
TARGET_FRACTION = 0.95


def notice(i: int) -> Outbound:
    """A typical member notice (HTML, one button row) to chat FIRST_CHAT + i."""
    text = (
        f"<b>Góp ý mới</b> MT-261127-{i:04d}-K7\nLĩnh vực: Đất đai\n"
        "Đường đất vào xóm Đông bị lấn chiếm, thu hẹp còn 1 mét; xe cứu thương không vào được."
    )
    buttons = ((Button("Nhận xử lý", f"m:claim:{i}"), Button("Trả lời", f"m:answer:{i}")),)
    return Outbound(chat=ChatRef("telegram", str(FIRST_CHAT + i)), text=text, buttons=buttons)


async def seed(db: Database, count: int) -> None:
    """Queue `count` notices in one transaction, through the product's own enqueue."""
    async with db.transaction() as tx:
        await outbox_store.enqueue(tx, [notice(i) for i in range(count)], datetime.now(UTC))


async def outbox_counts(db: Database) -> dict[str, int]:
    """Rows by status."""
    rows = await db.read("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {row[0]: int(row[1]) for row in rows}


async def run(args: argparse.Namespace) -> int:
    """Measure, print, and return 0 if nothing was lost."""
    pin_this_process(BOT_CORE)
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        workdir = Path(tmp)
        emulator, root = await spawn_emulator(workdir, TOKEN)
        try:
            return await measure(args, workdir, root)
        finally:
            await emulator.stop()


async def measure(args: argparse.Namespace, workdir: Path, root: str) -> int:
    """Seed, drain under limits, check the database and the emulator."""
    config_path, db_path = write_config(workdir, root, PACINGS["production"])
    config = load(config_path)
    out = config.outbox
    rate = args.global_rate or out.global_rate
    db = await Database.open(db_path)
    telegram = build_telegram(config)
    await telegram.initialize()
    dispatcher = OutboxDispatcher(
        OutboxStore(db),
        {"telegram": TelegramSender(telegram.bot)},
        SystemClock(),
        global_rate=rate,
        per_chat_rate=out.per_chat_rate,
        per_chat_burst=out.per_chat_burst,
        max_in_flight=out.max_in_flight,
        max_backoff=out.max_backoff_seconds,
    )
    async with EmulatorControl(root) as control:
        await control.set_rate_limits(args.limit, per_chat_per_second=1.0)
        seeded_at = time.monotonic()
        await seed(db, args.messages)
        seed_seconds = time.monotonic() - seeded_at
        watch = Watch(psutil.Process().pid)
        watch.begin()
        started_wall = time.time()
        dispatcher.start()
        deadline = time.monotonic() + args.messages / rate * 2 + 60
        # The database is the judge of "delivered"; the end time comes from the emulator below.
        while (pending := (await outbox_counts(db)).get("pending", 0)) and (  # noqa: ASYNC110
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.2)
        usage = watch.usage()
        await watch.close()
        await dispatcher.stop(0)
        await telegram.shutdown()
        counts = await outbox_counts(db)
        await db.close()
        calls = await control.calls("sendMessage")
        stats = (await control.stats())["stats"]
    delivered = [c for c in calls if c["status"] == 200]
    refused = [c for c in calls if c["status"] == 429]
    steady_refused = [c for c in refused if c["time"] - started_wall > STEADY_AFTER]
    chats = {int(c["params"]["chat_id"]) for c in delivered}
    expected = set(range(FIRST_CHAT, FIRST_CHAT + args.messages))
    times = sorted(c["time"] for c in delivered)
    elapsed = (times[-1] if times else time.time()) - started_wall
    achieved = len(delivered) / elapsed
    steady = [t for t in times if t - started_wall > STEADY_AFTER]
    steady_rate = (len(steady) - 1) / (steady[-1] - steady[0]) if len(steady) > 1 else 0.0
    lost = args.messages - counts.get("sent", 0)
    print("== bench.outbox_pacing: outbox under Telegram's flood limits ==")
    print(machine_report())
    print(
        f"setup     {args.messages} notices to {args.messages} distinct chats, queued in one "
        f"transaction ({seed_seconds:.2f} s); dispatcher: global_rate {rate:g}/s, per chat "
        f"{out.per_chat_rate:g}/s burst {out.per_chat_burst}, max_in_flight {out.max_in_flight}"
    )
    print(
        f"emulator  429 + retry_after beyond {args.limit:g} msg/s overall, 1 msg/s per chat "
        "(burst 3); own process on core 0, this process (the sender) on core 1"
    )
    print()
    rows = [
        ["figure", "value"],
        ["time to empty the outbox", f"{elapsed:.1f} s"],
        ["achieved rate (all)", f"{achieved:.2f} msg/s = {100 * achieved / rate:.1f}% of configured {rate:g}/s"],
        ["achieved rate (after first 2 s)", f"{steady_rate:.2f} msg/s = {100 * steady_rate / rate:.1f}%"],
        ["429 answers provoked", f"{len(refused)} ({len(steady_refused)} after the first {STEADY_AFTER:g} s)"],
        ["database: sent / pending / failed", f"{counts.get('sent', 0)} / {counts.get('pending', 0)} / {counts.get('failed', 0)}"],
        ["emulator: chats that got their notice", f"{len(chats & expected)} of {args.messages}"],
        ["emulator: duplicate deliveries", str(len(delivered) - len(chats))],
        ["sender CPU", f"{usage.cpu_seconds:.1f} s ({1000 * usage.cpu_seconds / max(len(delivered), 1):.2f} ms/message)"],
        ["sendMessage calls answered 200 / 429", f"{stats.get('sendMessage:200', 0)} / {stats.get('sendMessage:429', 0)}"],
    ]  # fmt: skip
    print(table(rows))
    print()
    print("targets (issue 5):")
    fraction = achieved / rate
    print(
        f"  outbox at ≥ {100 * TARGET_FRACTION:.0f}% of the configured rate: "
        f"{100 * fraction:.1f}% {verdict(fraction >= TARGET_FRACTION)}"
    )
    print(f"  no 429 provoked in steady state: {len(steady_refused)} {verdict(not steady_refused)}")
    print(f"  zero lost: {lost} lost {verdict(lost == 0 and chats >= expected)}")
    if pending:
        print(f"  (stopped waiting with {pending} still pending)")
    return 0 if lost == 0 else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_pacing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--global-rate", type=float,
                        help="override [outbox] global_rate (default: the sample config's 25)")  # fmt: skip
    parser.add_argument("--limit", type=float, default=30.0,
                        help="the emulator's overall limit in msg/s (Telegram: about 30)")  # fmt: skip
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
