"""homthu in webhook mode for `bench.intake --mode webhook|both`: same load, same figures.

The bot runs `homthu run` with `[telegram] mode = "webhook"` on a free loopback port; the
benchmark emulator POSTs each update to it (up to `webhook_max_connections` at once, one at a
time per chat, as Telegram does) instead of answering getUpdates. Everything else (the
simulated citizens, the timeline, CPU and RSS watching) is what the polling run uses, so the
two rows of the report compare like with like.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sys
import time
from pathlib import Path

from bench.processes import BOT_CORE, Child, spawn
from sandbox.control_client import EmulatorControl

WEBHOOK_BOT = "homthu-webhook"
LABEL = "homthu (webhook)"
# A throwaway secret for a loopback run. It travels on the child's command line (through `env`),
# which is acceptable here and nowhere else: production reads it from an untracked env file.
SECRET = "bench-intake-webhook-secret"
MODES = ("polling", "webhook", "both")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bots_for_mode(bots: list[str], mode: str) -> list[str]:
    """The run order: polling homthu, webhook homthu, or both side by side, then the baselines."""
    if "homthu" not in bots or mode == "polling":
        return bots
    order: list[str] = []
    for bot in bots:
        if bot == "homthu" and mode == "both":
            order += ["homthu", WEBHOOK_BOT]
        elif bot == "homthu":
            order.append(WEBHOOK_BOT)
        else:
            order.append(bot)
    return order


def switch_to_webhook(config_path: Path, port: int) -> Path:
    """A copy of a written benchmark config with mode = "webhook" on `port`; its path.

    The original stays in polling mode, so the benchmark can still read it without the secret.
    """
    text = config_path.read_text(encoding="utf-8")
    for key, value in (
        ("mode", '"webhook"'),
        ("webhook_url", f'"http://127.0.0.1:{port}/telegram"'),
        ("webhook_port", str(port)),
    ):
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        if found != 1:
            raise RuntimeError(f"benchmark config: expected one `{key} =` line, found {found}")
    webhook_path = config_path.with_name("homthu-webhook.toml")
    webhook_path.write_text(text, encoding="utf-8")
    return webhook_path


async def spawn_webhook_bot(config_path: Path, workdir: Path) -> Child:
    """`homthu run` in webhook mode on the bot core, its secret in its environment."""
    webhook_config = switch_to_webhook(config_path, free_port())
    argv = [
        "env", f"HOMTHU_WEBHOOK_SECRET={SECRET}",
        sys.executable, "-m", "bot", "run", "--config", str(webhook_config),
    ]  # fmt: skip
    return await spawn(WEBHOOK_BOT, argv, workdir, core=BOT_CORE)


async def wait_webhook(control: EmulatorControl, bot: Child, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    """Until the bot has set its webhook at the emulator (its server listens by then)."""
    deadline = time.monotonic() + timeout
    while (await control.stats())["stats"].get("setWebhook:200", 0) == 0:
        if not bot.alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{bot.name} did not set its webhook:\n{bot.log_tail()}")
        await asyncio.sleep(0.05)


def deliveries_note(stats: dict[str, object]) -> str:
    """How the emulator's POSTs were answered: every one 200 when nothing was re-delivered."""
    counts = stats.get("webhook_deliveries") or {}
    assert isinstance(counts, dict)
    shown = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counts.items()))
    return f"webhook POSTs answered {shown or 'none'}"
