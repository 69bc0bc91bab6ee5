"""Optional py-spy sampling of a bot process during a benchmark, summarised as text."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

from bench.processes import EMULATOR_CORE, pinned

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str | None:
    """The py-spy executable (beside this interpreter, or on PATH), if installed."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Profiler:
    """`py-spy record --format raw` on a pid, stopped with SIGINT (py-spy then writes its file)."""

    def __init__(self, pid: int, output: Path) -> None:
        self.pid = pid
        self.output = output
        self._proc: asyncio.subprocess.Process | None = None

    async def start(self) -> bool:
        """Start sampling; False if py-spy is not installed."""
        exe = py_spy()
        if exe is None:
            return False
        argv = [exe, "record", "--pid", str(self.pid), "--rate", "250", "--format", "raw",
                "--threads", "--nonblocking", "--output", str(self.output)]  # fmt: skip
        self._proc = await asyncio.create_subprocess_exec(
            *pinned(EMULATOR_CORE, argv),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await asyncio.sleep(0.5)  # py-spy attaches
        return True

    async def stop(self) -> None:
        """Stop sampling and let py-spy write its output."""
        if self._proc is None:
            return
        if self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self._proc.wait(), 20)
        except TimeoutError:
            self._proc.kill()
            await self._proc.wait()


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if match is None:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = path.rsplit("/main/", 1)[-1]
    return f"{match['func']} ({path})"


# Where a sample's time goes, checked in this order against every frame on its stack.
_BUCKETS = (
    ("HTTP client via PTB (_do_post; httpx or aiohttp)", ("_do_post", "httpx/", "httpcore/")),
    ("HTTP client (aiohttp, aiogram session)", ("aiohttp/client", "aiogram/client/session")),
    ("update parsing (PTB de_json / aiogram models)", ("de_json", "pydantic")),
    # The dispatcher and the modules it is made of (outbox_selection, outbox_sending, ...).
    ("outbox dispatcher (outside its HTTP call)", ("bot/services/outbox_",)),
    ("homthu storage (SQLite on the event loop; aiosqlite hops)", ("bot/storage/", "aiosqlite/")),
    ("homthu services, domain, handlers", ("bot/services/", "bot/domain/", "bot/handlers/")),
    ("framework dispatch (PTB ext / aiogram dispatcher)", ("telegram/ext/", "aiogram/dispatcher")),
    # The emulator process (`--profile emulator`): its simulated people, then its Bot API.
    ("simulated people (bench driver)", ("bench/people", "bench/driver")),
    ("emulator Bot API methods and state (sandbox)", ("sandbox/",)),
    ("HTTP server (aiohttp web)", ("aiohttp/web", "aiohttp/http", "aiohttp/_http")),
)


def _bucket(thread: str, frames: list[str]) -> str:
    if "MainThread" not in thread:
        return "aiosqlite worker thread (lock waits, checkpoints, migrations)"
    for name, needles in _BUCKETS:
        if any(needle in frame for frame in frames for needle in needles):
            return name
    if frames and frames[-1].startswith("EpollSelector.select"):
        return "event loop: epoll (wake-ups, ready I/O)"
    return "event loop and everything else"


def summarise(folded: Path, top: int = 12) -> str:
    """Where the samples went: by activity (see _BUCKETS) and by innermost frame."""
    if not folded.exists():
        return "(no profile written)"
    buckets: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in folded.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        thread, *frames = stack.split(";")
        total += count
        buckets[_bucket(thread, frames)] += count
        if frames:
            own[_short(frames[-1])] += count
    if total == 0:
        return "(no samples)"

    def share(counter: Counter[str]) -> list[str]:
        return [f"  {100 * n / total:5.1f}%  {name}" for name, n in counter.most_common(top)]

    return "\n".join(
        [
            f"{total} samples at 250 Hz while not idle; by activity:",
            *share(buckets),
            "by innermost frame (self time):",
            *share(own),
        ]
    )
