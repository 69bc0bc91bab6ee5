"""A real `homthu run` child process against the in-process emulator, and what survives it.

The emulator runs on the test's event loop, so Telegram's side (chats, queued updates, offsets)
outlives every bot process the tests kill. The database is read with the stdlib `sqlite3`,
read-only, the way an operator would inspect it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bot.config import sample_config_text
from bot.sandbox_chat import SandboxChat, visible_text
from sandbox import BotApiEmulator

TOKEN = "123456:SANDBOX"  # the sample config's token, which the emulator must accept
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Generous: the suite must hold on a loaded 2-core machine.
START_TIMEOUT = 30.0
WAIT = 20.0


def write_config(folder: Path, emu: BotApiEmulator) -> tuple[Path, Path]:
    """The packaged sample config, pointed at the emulator, with fast pacing; (config, db)."""
    db_path = folder / "homthu.sqlite3"
    text = sample_config_text()
    for key, value in (
        ("base_url", json.dumps(emu.base_url)),
        ("base_file_url", json.dumps(emu.base_file_url)),
        ("poll_timeout", "1"),
        ("path", json.dumps(str(db_path))),
        # The emulator enforces no flood limits, so the bot need not pace like real Telegram.
        ("global_rate", "200.0"),
        ("per_chat_rate", "50.0"),
        ("per_chat_burst", "10"),
    ):
        text, count = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        assert count == 1, f"sample config: expected one `{key} =` line, found {count}"
    config_path = folder / "homthu.toml"
    config_path.write_text(text, encoding="utf-8")
    return config_path, db_path


class BotProcess:
    """`python -m bot run --config FILE`, started, killed and restarted on the same files."""

    def __init__(self, emu: BotApiEmulator, config_path: Path, log_path: Path) -> None:
        self.emu = emu
        self.config_path = config_path
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        """A child process exists and has not exited."""
        return self.proc is not None and self.proc.returncode is None

    async def start(self) -> None:
        """Spawn the bot and wait until it long-polls the emulator."""
        assert not self.running, "the previous bot process is still running"
        self.starts += 1
        env = {key: value for key, value in os.environ.items() if key != "HOMTHU_TELEGRAM_TOKEN"}
        env["PTB_TIMEDELTA"] = "1"
        self._log = self.log_path.open("ab")
        self._log.write(f"\n===== start {self.starts} =====\n".encode())
        self._log.flush()
        polls_before = self.emu.state.poll_generation
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(self.config_path),
            cwd=PROJECT_ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log, stderr=self._log,
        )  # fmt: skip
        await self.wait_until(
            lambda: self.emu.state.poll_generation > polls_before, "the bot to poll", START_TIMEOUT
        )

    async def kill(self) -> None:
        """SIGKILL: no cleanup of any kind runs in the bot."""
        assert self.proc is not None and self.proc.returncode is None, "no bot process to kill"
        self.proc.send_signal(signal.SIGKILL)
        await self._reap()

    async def terminate(self, timeout: float = WAIT) -> int:  # noqa: ASYNC109
        """SIGTERM, then the exit status (SIGKILL and fail if it does not exit in time)."""
        assert self.proc is not None and self.proc.returncode is None, "no bot process to stop"
        self.proc.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(timeout):
                return await self._reap()
        except TimeoutError:
            await self.kill()
            raise AssertionError(f"the bot did not exit within {timeout} s of SIGTERM") from None

    async def cleanup(self) -> None:
        """Fixture teardown: never leave a child process behind."""
        if self.running:
            assert self.proc is not None
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            await self._reap()

    async def _reap(self) -> int:
        assert self.proc is not None
        code = await self.proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def log_tail(self, lines: int = 30) -> str:
        """The end of the bot's log, for failure messages."""
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        what: str,
        timeout: float = WAIT,  # noqa: ASYNC109 - a deadline for the whole wait
    ) -> None:
        """Wait for `predicate`, failing early (with the bot's log) if the bot process died."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.proc is not None and self.proc.returncode is not None:
                raise AssertionError(
                    f"bot exited ({self.proc.returncode}) while waiting for {what}:\n"
                    + self.log_tail()
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n" + self.log_tail())
            await asyncio.sleep(0.02)


# The database, as the operator would inspect it --------------------------------------------


def query(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query on a read-only connection, closed at once (so the bot's close can
    checkpoint and remove the WAL)."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        return list(conn.execute(sql, params).fetchall())


def count(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> int:
    """The single integer a COUNT query returns."""
    return int(query(db_path, sql, params)[0][0])


def case_codes(db_path: Path) -> list[str]:
    """Tracking codes of every case, oldest first."""
    return [row[0] for row in query(db_path, "SELECT code FROM cases ORDER BY id")]


def pending_outbox(db_path: Path) -> list[tuple[str, int]]:
    """(chat id, attempts) of every outbox row still waiting to be sent."""
    return [
        (str(chat), int(attempts))
        for chat, attempts in query(
            db_path, "SELECT chat_id, attempts FROM outbox WHERE status = 'pending' ORDER BY id"
        )
    ]


# What people see in the emulator -----------------------------------------------------------


def receipts(chat: SandboxChat) -> list[str]:
    """Tracking codes of every receipt the citizen was shown, duplicates included."""
    return [
        text.split("Mã tra cứu: ", 1)[1].split()[0]
        for text in chat.texts()
        if "Đã tiếp nhận góp ý" in text and "Mã tra cứu: " in text
    ]


def mentions(chat: SandboxChat, code: str) -> int:
    """How many of the bot's messages in this chat name the tracking code."""
    return sum(code in visible_text(message) for message in chat.inbox())


def newest_update_id(emu: BotApiEmulator) -> int:
    """The update the user side queued last."""
    return emu.state.next_update_id - 1


def is_pending(emu: BotApiEmulator, update_id: int) -> bool:
    """Telegram still holds the update: no getUpdates offset has confirmed it yet."""
    return update_id in emu.state.updates
