"""CPU per Bot API call for each of homthu's HTTP clients, and for a typed send against a raw one.

The emulator runs as its own process on core 0; this process, pinned to core 1, makes `--calls`
sendMessage calls, `--concurrency` at a time, through a real PTB bot on each client, and reports
its own CPU time per call (the emulator's work is not counted). Rows:

- `<client> typed`: `bot.send_message(...)`, which builds a PTB `Message` from the answer;
- `<client> raw`: `RawResultBot.post_raw("sendMessage", ...)`, the dict as Telegram sent it
  (what `TelegramSender` uses for text sends and edits).

    python -m bench.api_call_cost --calls 3000
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram.constants import ParseMode
from telegram.request import BaseRequest, HTTPXRequest

from bench.processes import BOT_CORE, EMULATOR_CORE, child_env, pin_this_process, pinned
from bot.channels.telegram_aiohttp_request import AiohttpRequest
from bot.channels.telegram_builtin_request import BuiltinRequest
from bot.channels.telegram_raw_bot import RawResultBot
from sandbox.control_client import EmulatorControl

TOKEN = "123456:BENCH"
CHAT = 7001
TEXT = "<b>Phiếu MT-261127-0042-K7</b> đã được tiếp nhận. Cảm ơn Ông/Bà đã góp ý."
CLIENTS: dict[str, Callable[[], BaseRequest]] = {
    "builtin": lambda: BuiltinRequest(64),
    "aiohttp": lambda: AiohttpRequest(64),
    "httpx": lambda: HTTPXRequest(64, httpx_kwargs={"trust_env": False}),
}


async def cpu_per_call(
    call: Callable[[], Awaitable[object]], calls: int, concurrency: int
) -> float:
    """Microseconds of this process's CPU per call, after a warm-up."""
    for _ in range(50):
        await call()
    remaining = calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    start = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.process_time() - start) / calls * 1e6


async def measure(root: str, args: argparse.Namespace) -> list[tuple[str, str, float]]:
    """Rows of (client, call kind, µs per call)."""
    async with EmulatorControl(root) as control:
        await control.send_text(CHAT, "/start")
    rows = []
    for _ in range(args.repeat):
        for name in args.clients:
            bot = RawResultBot(TOKEN, base_url=f"{root}/bot", request=CLIENTS[name]())
            async with bot:
                typed, raw = await measure_bot(bot, args)
            rows += [(name, "typed", typed), (name, "raw", raw)]
    return rows


async def measure_bot(bot: RawResultBot, args: argparse.Namespace) -> tuple[float, float]:
    """µs per typed and per raw sendMessage through `bot`."""

    async def typed() -> object:
        return await bot.send_message(CHAT, TEXT, parse_mode=ParseMode.HTML)

    async def raw() -> object:
        params = {"chat_id": CHAT, "text": TEXT, "parse_mode": ParseMode.HTML}
        return await bot.post_raw("sendMessage", params)

    return (
        await cpu_per_call(typed, args.calls, args.concurrency),
        await cpu_per_call(raw, args.calls, args.concurrency),
    )


async def run(args: argparse.Namespace) -> int:
    """Start the emulator, measure, print, stop."""
    with tempfile.TemporaryDirectory() as folder:
        port_file = Path(folder) / "port"
        argv = [sys.executable, "-m", "sandbox", "--port", "0", "--token", TOKEN]
        emulator = await asyncio.create_subprocess_exec(
            *pinned(EMULATOR_CORE, [*argv, "--port-file", str(port_file)]),
            env=child_env(),
            stdout=asyncio.subprocess.DEVNULL,
        )
        try:
            for _ in range(200):
                if port_file.exists():
                    break
                await asyncio.sleep(0.05)
            root = f"http://127.0.0.1:{port_file.read_text()}"
            pinned_here = pin_this_process(BOT_CORE)
            rows = await measure(root, args)
        finally:
            emulator.terminate()
            await emulator.wait()
    print("== bench.api_call_cost: this process's CPU per sendMessage ==")
    print(f"calls {args.calls} per row, {args.concurrency} at once; pinned: {pinned_here}")
    print(f"{'client':<8}  {'call':<5}  µs/call")
    for name, kind, micros in rows:
        print(f"{name:<8}  {kind:<5}  {micros:7.0f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_call_cost", description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="measure every row this often")
    parser.add_argument("--clients", nargs="+", choices=tuple(CLIENTS), default=tuple(CLIENTS))
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
