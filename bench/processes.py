"""Child processes for benchmarks: pinned to a core, watched with psutil, always cleaned up."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psutil

from bench.machine import PROJECT_ROOT

# The emulator (Telegram's side, and the simulated users) gets core 0; the bot under test core 1.
EMULATOR_CORE = 0
BOT_CORE = 1


def pinned(core: int, argv: list[str]) -> list[str]:
    """`argv` run on one core with taskset, when there is one and the machine has that core."""
    if shutil.which("taskset") and core < (os.cpu_count() or 1):
        return ["taskset", "-c", str(core), *argv]
    return argv


def pin_this_process(core: int) -> bool:
    """Move the driver itself onto `core` (it plays the users, beside the emulator)."""
    if hasattr(os, "sched_setaffinity") and core < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {core})
        return True
    return False


def child_env() -> dict[str, str]:
    """The environment for children: no proxies (all traffic is loopback), no real token."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "homthu_telegram_token")
    }
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Usage:
    """What a process consumed between `start()` and `stop()` of a measurement window."""

    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    peak_rss_mb: float = 0.0

    @property
    def cpu_share(self) -> float:
        """CPU seconds per wall second (1.0 = one core fully busy)."""
        return self.cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0


class Watch:
    """Samples a process's RSS (peak over its life) and CPU time over a measurement window."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = 0
        self._task: asyncio.Task[None] | None = None
        self._cpu0 = 0.0
        self._t0 = 0.0

    def _cpu(self) -> float:
        times = self.proc.cpu_times()
        return float(times.user + times.system)

    def begin(self) -> None:
        """Start sampling memory; mark the start of the CPU window."""
        self._cpu0, self._t0 = self._cpu(), time.monotonic()
        if self._task is None:
            self._task = asyncio.create_task(self._sample())

    def usage(self) -> Usage:
        """Consumption since `begin()` (the process must still be alive)."""
        with contextlib.suppress(psutil.Error):
            self.peak_rss = max(self.peak_rss, self.proc.memory_info().rss)
        return Usage(
            cpu_seconds=self._cpu() - self._cpu0,
            wall_seconds=time.monotonic() - self._t0,
            peak_rss_mb=self.peak_rss / 2**20,
        )

    async def _sample(self) -> None:
        while True:
            try:
                self.peak_rss = max(self.peak_rss, self.proc.memory_info().rss)
            except psutil.Error:
                return
            await asyncio.sleep(self.interval)

    async def close(self) -> None:
        """Stop sampling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


@dataclass
class Child:
    """One spawned process with its log file."""

    name: str
    proc: asyncio.subprocess.Process
    log_path: Path
    log: IO[bytes]
    started_at: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        """The process id (of the program itself: taskset execs it)."""
        return self.proc.pid

    def alive(self) -> bool:
        """The process has not exited."""
        return self.proc.returncode is None

    async def stop(self, timeout: float = 15.0) -> int | None:  # noqa: ASYNC109
        """SIGTERM, then SIGKILL if it lingers; return the exit status."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.kill()
                await self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def kill_now(self) -> None:
        """SIGKILL (used for the crash in the restart benchmark)."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()

    def log_tail(self, lines: int = 20) -> str:
        """The end of the child's output, for error messages."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


async def spawn(name: str, argv: list[str], log_dir: Path, *, core: int | None) -> Child:
    """Start `argv` (on `core` if given) with output to `log_dir/name.log`."""
    log_path = log_dir / f"{name}.log"
    log = log_path.open("ab")
    command = pinned(core, argv) if core is not None else argv
    proc = await asyncio.create_subprocess_exec(
        *command, cwd=PROJECT_ROOT, env=child_env(), stdin=asyncio.subprocess.DEVNULL,
        stdout=log, stderr=log,
    )  # fmt: skip
    return Child(name, proc, log_path, log)


async def spawn_emulator(log_dir: Path, token: str) -> tuple[Child, str]:
    """The benchmark emulator in its own process on the emulator core; (child, root URL)."""
    port_file = log_dir / "emulator.port"
    port_file.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "bench.emulator", "--token", token, "--port-file", str(port_file)]
    child = await spawn("emulator", argv, log_dir, core=EMULATOR_CORE)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        if not child.alive() or time.monotonic() > deadline:
            await child.stop()
            raise RuntimeError("the emulator did not start:\n" + child.log_tail())
        await asyncio.sleep(0.02)
    return child, f"http://127.0.0.1:{int(port_file.read_text())}"


def system_busy_seconds() -> float:
    """CPU seconds all processes have used since boot (every core), for the background share."""
    times = psutil.cpu_times()
    return float(times.user + times.system + getattr(times, "nice", 0.0) + getattr(times, "irq", 0.0)
                 + getattr(times, "softirq", 0.0))  # fmt: skip
