"""SIGKILL of a real `homthu run` in webhook mode: before the commit Telegram still holds the
update and delivers it again; after the commit but before the 200, the re-delivery is a no-op.
Either way no case is lost and none is made twice."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox_chat import SandboxChat
from sandbox import BotApiEmulator, FaultSpec
from sandbox.webhook import WEBHOOK_ANSWER
from tests.crash.conftest import Crash, confirm_anonymously, walk_to_content
from tests.crash.harness import (
    PROJECT_ROOT,
    START_TIMEOUT,
    WAIT,
    BotProcess,
    case_codes,
    count,
    is_pending,
    mentions,
    newest_update_id,
    receipts,
    write_config,
)

pytestmark = pytest.mark.slow

SECRET = "crash-test_webhook-secret"
TEXT = "Cầu tạm qua kênh thôn Đông bị gãy một nhịp, trẻ em đi học phải lội nước."


def free_port() -> int:
    """A port nobody listens on right now; the bot listens on it at every start."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def switch_to_webhook(config_path: Path, port: int) -> None:
    """Edit the written sample config: mode = "webhook" on a fixed loopback port."""
    text = config_path.read_text(encoding="utf-8")
    for key, value in (
        ("mode", '"webhook"'),
        ("webhook_url", f'"http://127.0.0.1:{port}/telegram"'),
        ("webhook_port", str(port)),
    ):
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        assert found == 1, f"sample config: expected one `{key} =` line"
    config_path.write_text(text, encoding="utf-8")


class WebhookBotProcess(BotProcess):
    """The bot process of the crash harness, started in webhook mode with its secret."""

    async def start(self) -> None:
        """Spawn the bot and wait until it has (re)set its webhook at the emulator."""
        assert not self.running, "the previous bot process is still running"
        self.starts += 1
        env = {key: value for key, value in os.environ.items() if key != "HOMTHU_TELEGRAM_TOKEN"}
        env["PTB_TIMEDELTA"] = "1"
        env["HOMTHU_WEBHOOK_SECRET"] = SECRET
        self._log = self.log_path.open("ab")
        self._log.write(f"\n===== start {self.starts} (webhook) =====\n".encode())
        self._log.flush()
        hooks_before = self.emu.stats["setWebhook"]
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(self.config_path),
            cwd=PROJECT_ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log, stderr=self._log,
        )  # fmt: skip
        await self.wait_until(
            lambda: self.emu.stats["setWebhook"] > hooks_before, "the webhook", START_TIMEOUT
        )


@pytest.fixture
async def crash(tmp_path: Path) -> AsyncIterator[Crash]:
    """The crash world, with the bot receiving updates by webhook."""
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    config_path, db_path = write_config(tmp_path, emu)
    switch_to_webhook(config_path, free_port())
    bot = WebhookBotProcess(emu, config_path, tmp_path / "bot.log")
    try:
        yield Crash(
            emu=emu,
            bot=bot,
            db_path=db_path,
            citizen=SandboxChat(emu, 2001, "Nguyễn", "Văn An"),
            hung=SandboxChat(emu, 1001, "Nguyễn Văn", "Hùng"),
            lan=SandboxChat(emu, 1002, "Trần Thị", "Lan"),
            minh=SandboxChat(emu, 1003, "Lê Quang", "Minh"),
            hoa=SandboxChat(emu, 1004, "Phạm Thị", "Hoa"),
        )
    finally:
        await bot.cleanup()
        await emu.stop()


def delivered(emu: BotApiEmulator, update_id: int) -> list[int]:
    """HTTP statuses the bot answered to each POST of this update (0: no answer)."""
    return [d.status for d in emu.webhook_deliveries if d.update_id == update_id]


async def test_kill_before_the_commit_loses_nothing(crash: Crash) -> None:
    emu, citizen = crash.emu, crash.citizen
    await crash.boot_to_confirmation(TEXT)

    # Someone else holds the write lock, so the bot cannot commit the press while we kill it.
    outsider = sqlite3.connect(crash.db_path, isolation_level=None, timeout=30)
    try:
        outsider.execute("BEGIN IMMEDIATE")
        citizen.press("Gửi")
        press = newest_update_id(emu)
        await asyncio.sleep(1.0)  # the POST is with the bot, waiting on the database
        assert delivered(emu, press) == []
        await crash.bot.kill()
    finally:
        outsider.execute("ROLLBACK")
        outsider.close()

    assert case_codes(crash.db_path) == []
    assert is_pending(emu, press)  # the bot never said 200: Telegram still has the press

    await crash.bot.start()
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.outbox_drained()
    await asyncio.gather(*(chat.settle(quiet=0.3) for chat in (citizen, crash.lan, crash.minh)))
    await crash.bot.kill()

    (code,) = case_codes(crash.db_path)
    assert receipts(citizen) == [code]
    assert mentions(crash.lan, code) == 1 and mentions(crash.minh, code) == 1
    assert delivered(emu, press)[0] == 0 and delivered(emu, press)[-1] == 200
    assert not is_pending(emu, press)


async def test_kill_after_the_commit_but_before_the_200_makes_no_duplicate(crash: Crash) -> None:
    emu, citizen = crash.emu, crash.citizen
    await crash.boot_to_confirmation(TEXT)

    # The bot commits and answers 200, but the answer never reaches Telegram (each time it is
    # delivered again, too), so the press stays pending after the commit.
    emu.inject_fault(FaultSpec(method=WEBHOOK_ANSWER, timeout=True, times=None))
    citizen.press("Gửi")
    press = newest_update_id(emu)
    query_id = emu.state.updates[press]["callback_query"]["id"]
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()
    answered = [c for c in emu.calls if c.params.get("callback_query_id") == query_id]
    assert answered == []  # the call in a lost answer is never made

    (code,) = case_codes(crash.db_path)
    handled = "SELECT COUNT(*) FROM processed_updates WHERE update_id = ?"
    assert count(crash.db_path, handled, (str(press),)) == 1
    assert is_pending(emu, press)  # Telegram never heard the 200
    seen_by_citizen = len(citizen.inbox())

    emu.clear_faults()
    await crash.bot.start()
    await crash.bot.wait_until(lambda: not is_pending(emu, press), "the press to be re-delivered")
    await crash.outbox_drained()
    await asyncio.gather(*(chat.settle(quiet=0.3) for chat in (citizen, crash.lan, crash.minh)))
    await crash.bot.kill()

    assert case_codes(crash.db_path) == [code]
    assert count(crash.db_path, handled, (str(press),)) == 1
    assert citizen.texts()[seen_by_citizen:] == []  # no second receipt
    assert receipts(citizen) == [code]
    assert mentions(crash.lan, code) == 1 and mentions(crash.minh, code) == 1
    assert delivered(emu, press)[-1] == 200
    # The accepted delivery's answer stopped the button's spinner, without a request of its own.
    answered = [c for c in emu.calls if c.params.get("callback_query_id") == query_id]
    assert [c.webhook_reply for c in answered] == [True] and answered[0].ok


async def test_kill_mid_dialog_resumes_in_webhook_mode(crash: Crash) -> None:
    citizen = crash.citizen
    await crash.boot()
    await walk_to_content(citizen)
    await crash.bot.kill()

    citizen.say(TEXT)  # written while the bot is dead: Telegram keeps trying
    await crash.emu.wait_until(lambda: len(crash.emu.webhook_deliveries) > 0, timeout=WAIT)
    await crash.bot.start()
    await citizen.wait_for("(1 phần)", timeout=WAIT)
    await confirm_anonymously(citizen)
    citizen.press("Gửi")
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    (code,) = case_codes(crash.db_path)
    assert receipts(citizen) == [code]
    assert crash.emu.stats["getUpdates"] == 0


async def test_sigterm_keeps_the_webhook_so_messages_sent_while_down_arrive(crash: Crash) -> None:
    citizen = crash.citizen
    await crash.boot()

    assert await crash.bot.terminate() == 0
    assert crash.emu.stats["deleteWebhook"] == 0
    assert crash.emu.state.webhook is not None  # Telegram keeps queueing for the bot

    citizen.say("/trogiup")
    await crash.emu.wait_until(lambda: len(crash.emu.webhook_deliveries) > 0, timeout=WAIT)
    await crash.bot.start()
    await citizen.wait_for("/gopy", timeout=WAIT)
    assert crash.emu.pending_updates() == 0
    assert await crash.bot.terminate() == 0
