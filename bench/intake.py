"""Intake throughput and latency: homthu against two bare echo bots, on one emulator, in one run.

    python -m bench.intake --citizens 1000                 # closed loop, demo/test pacing
    python -m bench.intake --citizens 100 --pacing production
    python -m bench.intake --citizens 300 --rate 100       # fixed 100 updates/s: the p99 target

The emulator (`bench.emulator`, core 0) plays Telegram and, inside its own process, the
citizens (`bench.people`); this process only orchestrates (core 0 too); each bot runs alone on
core 1. A homthu citizen completes a whole /gopy submission: 8 updates (/gopy, consent, field,
village, one text, Tiếp tục, Ẩn danh, Gửi), every button pressed with the callback data read
from the bot's message in the chat. A baseline "citizen" sends 8 texts, each after the echo of
the one before. Latency is measured inside the emulator: from queueing an update to the bot's
next message in that chat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench.figures import latencies, percentile, spread_ms, table, verdict
from bench.homthu_config import PACINGS, TOKEN, Pacing, load, write_config
from bench.machine import machine_report
from bench.people import LoadResult, Step, steps_to_json
from bench.processes import (
    BOT_CORE,
    EMULATOR_CORE,
    Child,
    Usage,
    Watch,
    pin_this_process,
    spawn,
    spawn_emulator,
    system_busy_seconds,
)
from bench.profiling import Profiler, summarise
from bench.webhook_runner import LABEL as WEBHOOK_LABEL  # --mode webhook|both
from bench.webhook_runner import (
    MODES,
    WEBHOOK_BOT,
    bots_for_mode,
    deliveries_note,
    spawn_webhook_bot,
    wait_webhook,
)
from bot import event_loop
from bot.config import HTTP_CLIENTS, Config
from sandbox.control_client import EmulatorControl

BOTS = ("homthu", "ptb", "aiogram")
EMULATOR = "emulator"  # --profile emulator: py-spy the emulator process during every load
LABELS = {
    "homthu": "homthu",
    "ptb": "python-telegram-bot echo (defaults)",
    "aiogram": "aiogram 3 echo (defaults)",
    WEBHOOK_BOT: WEBHOOK_LABEL,
}
FIRST_USER = {"homthu": 200_000, "ptb": 300_000, "aiogram": 400_000, WEBHOOK_BOT: 500_000}
STEPS_PER_PERSON = 8
ANSWER_TIMEOUT = 60.0
P99_TARGET = 0.250
NOISY = 0.3  # cores of CPU used by other processes beyond which a run's figures are suspect
TEXT = "Đường đất vào xóm Đông bị lấn chiếm, thu hẹp còn 1 mét; xe cứu thương không vào được."


@dataclass
class BotRun:
    """One bot's figures."""

    bot: str
    people: int
    round: int = 1
    updates: int = 0
    elapsed: float = math.nan
    finished: int = 0
    latency: list[float] = field(default_factory=list)
    by_step: dict[int, list[float]] = field(default_factory=dict)
    unanswered: int = 0
    bot_usage: Usage = field(default_factory=Usage)
    emulator_usage: Usage = field(default_factory=Usage)
    driver_usage: Usage = field(default_factory=Usage)
    lateness: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)  # py-spy summaries by process
    background: float = 0.0  # cores' worth of CPU used by other processes during the load

    @property
    def updates_per_second(self) -> float:
        """Updates injected ÷ time from the first injection to the last final answer."""
        return self.updates / self.elapsed if self.elapsed > 0 else math.nan

    @property
    def core0_ms_per_update(self) -> float:
        """CPU ms of core 0 (the emulator with the simulated people, and this benchmark
        process) per update injected."""
        cpu = self.emulator_usage.cpu_seconds + self.driver_usage.cpu_seconds
        return 1000 * cpu / max(self.updates, 1)

    @property
    def completions_per_second(self) -> float:
        """People who finished ÷ the same time."""
        return self.finished / self.elapsed if self.elapsed > 0 else math.nan


def homthu_steps(config: Config, index: int) -> list[Step]:
    """A citizen's whole submission, the field and village varying with `index`."""
    field_name = config.fields[index % len(config.fields)].name
    village = config.commune.villages[index % len(config.commune.villages)]
    return [
        Step("say", "/gopy", "dữ liệu cá nhân"),
        Step("press", "Đồng ý", "Bước 1/5"),
        Step("press", field_name, "Bước 2/5"),
        Step("press", village, "Bước 3/5"),
        Step("say", f"{TEXT} (#{index})", "Đã nhận (1 phần)"),
        Step("press", "Tiếp tục", "Bước 4/5"),
        Step("press", "Ẩn danh", "kiểm tra lại"),
        Step("press", "Gửi", "Mã tra cứu"),
    ]


def echo_steps(user_id: int) -> list[Step]:
    """Eight texts, each answered by its echo."""
    texts = [f"Xin chào, tin nhắn số {k} của người dân {user_id}." for k in range(1, 9)]
    return [Step("say", text, text) for text in texts]


def pending_outbox(db_path: Path) -> int:
    """Outbox rows homthu has not sent yet (read-only, as an operator would look)."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status='pending'").fetchone()[0])


class Bench:
    """The shared emulator, this process's HTTP session to it, and the run's settings."""

    def __init__(self, args: argparse.Namespace, workdir: Path, emulator: Child, root: str):
        self.args = args
        self.workdir = workdir
        self.emulator = emulator
        self.root = root
        self.pacing: Pacing = PACINGS[args.pacing]
        connector = aiohttp.TCPConnector(limit=0)
        self.session = aiohttp.ClientSession(connector=connector, trust_env=False)
        self.control = EmulatorControl(root, self.session)

    async def get(self, path: str) -> Any:
        """GET a `/_bench/` or `/_ctl/` route."""
        async with self.session.get(f"{self.root}{path}") as response:
            return await response.json()

    async def post(self, path: str, body: Any) -> Any:
        """POST JSON to a `/_bench/` route and return its answer (a run takes long: no timeout)."""
        untimed = aiohttp.ClientTimeout(total=None)
        async with self.session.post(f"{self.root}{path}", json=body, timeout=untimed) as response:
            response.raise_for_status()
            return await response.json()

    async def people(self, people: Sequence[tuple[int, str, Sequence[Step]]]) -> None:
        """Have the emulator add these (user id, name, steps) and get them ready to act."""
        body = [
            {"user_id": user_id, "name": name, "steps": steps_to_json(steps)}
            for user_id, name, steps in people
        ]
        await self.post("/_bench/people", {"people": body})

    async def load(self, rate: float | None = None) -> LoadResult:
        """Run the people made ready, in the emulator's process, until all have finished."""
        body = {"timeout": self.args.answer_timeout, "rate": rate}
        return LoadResult.from_json(await self.post("/_bench/run", body))

    async def reset(self) -> None:
        """Forget the previous bot's people, chats, calls and timeline."""
        async with self.session.post(f"{self.root}/_bench/reset") as response:
            response.raise_for_status()

    async def wait_polling(self, bot: Child, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        """Until the bot's first getUpdates reaches the emulator."""
        deadline = time.monotonic() + timeout
        while (await self.control.stats())["stats"].get("getUpdates", 0) == 0:
            if not bot.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{bot.name} did not start polling:\n{bot.log_tail()}")
            await asyncio.sleep(0.05)

    async def start_bot(self, bot: str) -> tuple[Child, Path | None]:
        """Spawn a bot on the bot core; (child, homthu's database or None)."""
        py = sys.executable
        if bot.startswith("homthu"):
            folder = Path(tempfile.mkdtemp(prefix="homthu-", dir=self.workdir))
            config_path, db_path = write_config(folder, self.root, self.pacing)
            written = config_path.read_text(encoding="utf-8")
            chosen = f'http_client = "{self.args.http_client}"'
            written = re.sub(r"^http_client = .*$", chosen, written, count=1, flags=re.MULTILINE)
            config_path.write_text(written, encoding="utf-8")
            if bot == WEBHOOK_BOT:
                return await spawn_webhook_bot(config_path, self.workdir), db_path
            argv = [py, "-m", "bot", "run", "--config", str(config_path)]
            return await spawn(bot, argv, self.workdir, core=BOT_CORE), db_path
        if bot == "ptb":
            argv = [py, "-m", "bench.echo_ptb", "--base-url", f"{self.root}/bot", "--token", TOKEN]
        else:
            argv = [py, "-m", "bench.echo_aiogram", "--root", self.root, "--token", TOKEN]
        return await spawn(bot, argv, self.workdir, core=BOT_CORE), None

    async def run(self, bot: str, round_: int = 1) -> BotRun:
        """Start the bot, load it, measure, stop it."""
        await self.reset()
        child, db_path = await self.start_bot(bot)
        try:
            if bot == WEBHOOK_BOT:
                await wait_webhook(self.control, child)
            else:
                await self.wait_polling(child)
            if bot.startswith("homthu"):
                await self._members_start()
            return await self._measure(bot, round_, child, db_path)
        finally:
            await child.stop()

    async def _members_start(self) -> None:
        """Committee members press /start first, as they do once in real life."""
        folder = next(self.workdir.glob("homthu-*/homthu.toml"))
        steps = [Step("say", "/start", "kết nối với hòm thư")]
        await self.people(
            [(m.telegram_id, m.name, steps) for m in load(folder).members if m.telegram_id]
        )
        failed = (await self.load()).errors
        if failed:
            raise RuntimeError(f"members could not /start: {failed}")

    def _people(self, bot: str, config_path: Path | None) -> list[tuple[int, str, list[Step]]]:
        first = FIRST_USER[bot]
        config = load(config_path) if config_path is not None else None
        people = []
        for i in range(self.args.citizens):
            user_id = first + i
            if config is not None:
                steps = homthu_steps(config, i)
            else:
                steps = echo_steps(user_id)
            people.append((user_id, f"Dân {user_id}", steps[: self.args.steps]))
        return people

    async def _measure(self, bot: str, round_: int, child: Child, db_path: Path | None) -> BotRun:
        config_path = db_path.parent / "homthu.toml" if db_path else None
        people = self._people(bot, config_path)
        # Adding the users is no per-update cost: it stays out of the measured window.
        await self.people(people)
        watches = {
            "bot": Watch(child.pid),
            "emulator": Watch(self.emulator.pid),
            "driver": Watch(psutil.Process().pid),
        }
        profilers: dict[str, Profiler] = {}
        if bot in self.args.profile:
            profilers[bot] = Profiler(child.pid, self.workdir / f"{bot}.pyspy.txt")
        if EMULATOR in self.args.profile:
            name = f"{EMULATOR}-{bot}-{round_}"
            profilers[name] = Profiler(self.emulator.pid, self.workdir / f"{name}.pyspy.txt")
        for name, profiler in list(profilers.items()):
            if not await profiler.start():
                del profilers[name]
        for watch in watches.values():
            watch.begin()
        busy0, wall0 = system_busy_seconds(), time.monotonic()
        load_result = await self.load(self.args.rate)
        notes = []
        if db_path is not None:
            notes.append(await self._drain_note(db_path, watches["bot"]))
        if bot == WEBHOOK_BOT:
            notes.append(deliveries_note(await self.control.stats()))
        usages = {name: watch.usage() for name, watch in watches.items()}
        ours = sum(usage.cpu_seconds for usage in usages.values())
        background = (system_busy_seconds() - busy0 - ours) / (time.monotonic() - wall0)
        for watch in watches.values():
            await watch.close()
        run = BotRun(bot, len(people), round_, notes=notes, background=max(0.0, background))
        for name, profiler in profilers.items():
            await profiler.stop()
            run.profiles[name] = summarise(profiler.output)
        await self._figures(run, load_result, usages)
        return run

    async def _drain_note(self, db_path: Path, bot_watch: Watch) -> str:
        """With fast pacing, wait for the member notices too; with production pacing, count."""
        started = time.monotonic()
        limit = 0.0 if self.pacing.name == "production" else 60.0
        # Polling the database file, as an operator would; nothing in this process can notify.
        while (pending := pending_outbox(db_path)) and time.monotonic() - started < limit:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        waited = time.monotonic() - started
        if pending:
            return f"{pending} outbox messages (member notices) still pending when the last receipt arrived"
        return f"outbox drained (member notices sent) {waited:.1f} s after the last receipt"

    async def _figures(
        self, run: BotRun, load_result: LoadResult, usages: dict[str, Usage]
    ) -> None:
        timeline = await self.get("/_bench/timeline")
        if self.args.keep:
            dump = self.workdir / f"{run.bot}-{run.round}.timeline.json"
            dump.write_text(json.dumps(timeline), encoding="utf-8")
        chats = {person.user_id for person in load_result.people}
        queued = [u[3] for u in timeline["updates"] if u[1] in chats]
        finished = load_result.finished
        run.updates = len(queued)
        run.finished = len(finished)
        if queued and finished:
            last = max(p.answered_at for p in finished if p.answered_at is not None)
            run.elapsed = last - min(queued)
        run.latency, run.by_step, unanswered = latencies(timeline, chats)
        run.unanswered = len(unanswered)
        run.bot_usage = usages["bot"]
        run.emulator_usage = usages["emulator"]
        run.driver_usage = usages["driver"]
        run.lateness = load_result.lateness
        run.errors = load_result.errors


def median_rate(runs: Sequence[BotRun], bot: str) -> float:
    """The median updates/s of a bot's runs."""
    return percentile([r.updates_per_second for r in runs if r.bot == bot], 50)


def round_ratios(runs: Sequence[BotRun], base: str) -> str:
    """homthu ÷ `base` within each run round (the two ran back to back)."""
    rates = {(r.bot, r.round): r.updates_per_second for r in runs}
    rounds = sorted({r.round for r in runs})
    return ", ".join(
        f"{rates[('homthu', n)] / rates[(base, n)]:.2f}"
        for n in rounds
        if ("homthu", n) in rates and (base, n) in rates
    )


def typical(runs: Sequence[BotRun], bot: str) -> BotRun:
    """The bot's run with the median updates/s."""
    mine = sorted((r for r in runs if r.bot == bot), key=lambda r: r.updates_per_second)
    return mine[(len(mine) - 1) // 2]


def report(runs: Sequence[BotRun], args: argparse.Namespace, pacing: Pacing) -> str:
    """The whole printed report."""
    mode = f"fixed rate {args.rate:g} updates/s" if args.rate else "closed loop (all at once)"
    out = [
        "== bench.intake: intake throughput and latency ==",
        machine_report(),
        f"load      {args.citizens} simulated people per bot, {args.steps} updates each, {mode}",
        f"homthu    {pacing.description}; [telegram] http_client = {args.http_client}; "
        f"updates by {args.mode if args.mode != 'both' else 'polling and by webhook'}",
        f"cores     emulator + simulated people on core {EMULATOR_CORE}, bot alone on core {BOT_CORE}",
        f"loops     homthu, the emulator and the simulated people on {event_loop.loop_name()}"
        f" ({event_loop.ENV_VAR}); the echo bots on their default (asyncio)",
        "",
    ]
    rows = [["bot", "run", "updates", "s", "updates/s", "done/s", "latency p50/p95/p99/max",
             "bot CPU s", "CPU ms/update", "peak RSS MB", "core-0 busy", "core-0 ms/update",
             "other load"]]  # fmt: skip
    for run in runs:
        core0 = run.emulator_usage.cpu_share + run.driver_usage.cpu_share
        rows.append(
            [
                LABELS[run.bot],
                str(run.round),
                str(run.updates),
                f"{run.elapsed:.2f}",
                f"{run.updates_per_second:.1f}" if run.finished == run.people else "n/a",
                f"{run.completions_per_second:.1f}" if run.finished == run.people else "n/a",
                spread_ms(run.latency),
                f"{run.bot_usage.cpu_seconds:.2f}",
                f"{1000 * run.bot_usage.cpu_seconds / max(run.updates, 1):.2f}",
                f"{run.bot_usage.peak_rss_mb:.0f}",
                f"{100 * core0:.0f}%",
                f"{run.core0_ms_per_update:.2f}",
                f"{run.background:.2f} cores",
            ]
        )
    out.append(table(rows))
    out.append(
        "(done/s: people who finished all their steps per second; for homthu, submissions/s;"
    )
    out.append(" other load: CPU used by processes outside this benchmark, in cores, out of 2)")
    by_bot = {bot: typical(runs, bot) for bot in LABELS if any(r.bot == bot for r in runs)}
    if args.repeat > 1:
        out.append("median updates/s over the runs: " + ", ".join(
            f"{LABELS[bot]} {median_rate(runs, bot):.1f}" for bot in by_bot))  # fmt: skip
        out.append("(the details below are of each bot's median run)")
    for run in by_bot.values():
        extra = [*run.notes]
        if run.unanswered:
            extra.append(f"{run.unanswered} updates never answered")
        if run.finished < run.people:
            extra.append(f"only {run.finished} of {run.people} finished: {run.errors}")
        if run.lateness:
            achieved = run.updates / (run.elapsed or math.nan)
            extra.append(
                f"injection lateness p99 {percentile(run.lateness, 99) * 1000:.0f} ms"
                f" (achieved {achieved:.1f} updates/s overall)"
            )
        extra.append(
            f"bot CPU share {100 * run.bot_usage.cpu_share:.0f}% of one core; emulator with the"
            f" simulated people {100 * run.emulator_usage.cpu_share:.0f}%, benchmark process"
            f" {100 * run.driver_usage.cpu_share:.0f}%"
            f" ({1000 * run.emulator_usage.cpu_seconds / max(run.updates, 1):.2f} and"
            f" {1000 * run.driver_usage.cpu_seconds / max(run.updates, 1):.2f} CPU ms/update)"
        )
        out.append(f"- {LABELS[run.bot]}: " + "; ".join(extra))
    homthu = by_bot.get("homthu")
    if homthu is not None and homthu.by_step:
        out += ["", "homthu latency by step (p50 / p99 ms):"]
        names = ["/gopy", "consent", "field", "village", "text", "Tiếp tục", "Ẩn danh", "Gửi"]
        cells = []
        for step, values in sorted(homthu.by_step.items()):
            name = names[step - 1] if step <= len(names) else str(step)
            p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
            cells.append(f"{name} {p50:.0f}/{p99:.0f}")
        out.append("  " + ", ".join(cells))
    out += ["", "targets (issue 5):"]
    if homthu is not None:
        for base in ("ptb", "aiogram"):
            if base in by_bot and args.rate:
                p99 = percentile(by_bot[base].latency, 99) * 1000
                out.append(f"  {LABELS[base]} p99 at the same rate: {p99:.0f} ms (for comparison)")
            elif base in by_bot:
                ratio = median_rate(runs, "homthu") / median_rate(runs, base)
                rounds = round_ratios(runs, base)
                out.append(
                    f"  homthu ÷ {LABELS[base]}: {ratio:.2f}× (target ≥ 1.0×) {verdict(ratio >= 1.0)}"
                    f"  [{pacing.name} pacing]"
                    + (f"; per run: {rounds}" if args.repeat > 1 else "")
                )
        if args.rate:
            p99 = percentile(homthu.latency, 99)
            out.append(
                f"  homthu p99 latency at {args.rate:g} updates/s: {p99 * 1000:.0f} ms "
                f"(target ≤ {P99_TARGET * 1000:.0f} ms) {verdict(p99 <= P99_TARGET)}"
            )
        rss_ok = homthu.bot_usage.peak_rss_mb <= 200
        if homthu.people >= 10_000 and args.steps < STEPS_PER_PERSON:
            rss_verdict = verdict(rss_ok)
        else:
            rss_verdict = "(not the target's load: run --citizens 10000 --steps 2 --bots homthu)"
        state = "mid-dialog" if args.steps < STEPS_PER_PERSON else "after a whole submission"
        out.append(
            f"  peak RSS with {homthu.people} citizens {state}: {homthu.bot_usage.peak_rss_mb:.0f} MB"
            f" (target ≤ 200 MB with 10,000 mid-dialog) {rss_verdict}"
        )
    if WEBHOOK_BOT in by_bot:
        for base in ("homthu", "ptb", "aiogram"):
            if base in by_bot and not args.rate:
                ratio = median_rate(runs, WEBHOOK_BOT) / median_rate(runs, base)
                out.append(f"  {WEBHOOK_LABEL} ÷ {LABELS[base]}: {ratio:.2f}×")
        if args.rate:
            p99 = percentile(by_bot[WEBHOOK_BOT].latency, 99)
            out.append(
                f"  {WEBHOOK_LABEL} p99 latency at {args.rate:g} updates/s: {p99 * 1000:.0f} ms "
                f"(target ≤ {P99_TARGET * 1000:.0f} ms) {verdict(p99 <= P99_TARGET)}"
            )
    for run in runs:
        if run.background > NOISY:
            out.append(
                f"  note: other processes used {run.background:.2f} cores during {run.bot} run "
                f"{run.round}: its figures are depressed; compare runs made on a quiet machine"
            )
    for run in runs:
        core0 = run.emulator_usage.cpu_share + run.driver_usage.cpu_share
        if core0 > 0.85:
            out.append(
                f"  note: core 0 was {100 * core0:.0f}% busy during {run.bot}: the emulator side may"
                " have capped that bot's figures"
            )
    for run in runs:
        for name, summary in run.profiles.items():
            out += [
                "",
                f"py-spy profile of {name} during the load of {run.bot} (py-spy on core 0"
                " perturbs the run: take throughput from an unprofiled run):",
                summary,
            ]
    return "\n".join(out)


async def main_async(args: argparse.Namespace) -> int:
    """Run the selected bots one after another against one emulator."""
    pin_this_process(EMULATOR_CORE)
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        emulator, root = await spawn_emulator(workdir, TOKEN)
        bench = Bench(args, workdir, emulator, root)
        runs = []
        try:
            for round_ in range(1, args.repeat + 1):
                for bot in bots_for_mode(args.bots, args.mode):
                    print(f"... {LABELS[bot]} (run {round_})", file=sys.stderr, flush=True)
                    runs.append(await bench.run(bot, round_))
        finally:
            await bench.session.close()
            await emulator.stop()
        print(report(runs, args, bench.pacing))
    return 0 if all(run.finished == run.people for run in runs) else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.intake", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--citizens", type=int, default=300, help="simulated people per bot")
    parser.add_argument("--rate", type=float, help="inject this many updates/s overall")
    parser.add_argument("--pacing", choices=sorted(PACINGS), default="sandbox",
                        help="homthu's [outbox] pacing (default: sandbox, as in bot/demo.py)")  # fmt: skip
    parser.add_argument("--bots", type=lambda s: s.split(","), default=list(BOTS),
                        help="comma-separated subset of homthu,ptb,aiogram")  # fmt: skip
    parser.add_argument("--profile", type=lambda s: s.split(","), default=[],
                        help="py-spy these bots during the load (e.g. homthu); `emulator`"
                        " samples the emulator (and the simulated people) during every bot's"
                        " load")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=1,
                        help="run the bots in turn this many times; ratios use the medians")  # fmt: skip
    parser.add_argument("--steps", type=int, default=STEPS_PER_PERSON,
                        help="stop each person after this many steps (fewer than 8 leaves homthu"
                        " citizens mid-dialog: the memory target)")  # fmt: skip
    parser.add_argument("--answer-timeout", type=float, default=ANSWER_TIMEOUT,
                        help="seconds a person waits for each answer before giving up")  # fmt: skip
    parser.add_argument("--keep", help="keep logs and databases in this folder")
    parser.add_argument("--mode", choices=MODES, default="polling",
                        help="how homthu receives updates: polling (default), webhook, or both"
                        " side by side in one run")  # fmt: skip
    parser.add_argument("--http-client", choices=HTTP_CLIENTS, default="builtin",
                        help="homthu's [telegram] http_client (default: builtin)")  # fmt: skip
    args = parser.parse_args(argv)
    unknown = set(args.bots) - set(BOTS)
    if unknown:
        parser.error(f"unknown bots: {sorted(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return event_loop.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
