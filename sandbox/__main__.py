"""`python -m sandbox`: run the emulator as its own process, controlled through `/_ctl/`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from sandbox.emulator import BotApiEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--bot-username", default="homthu_bot")
    parser.add_argument("--port-file", type=Path, help="write the bound port here once listening")
    parser.add_argument(
        "--no-require-start",
        action="store_true",
        help="let the bot write to users who never wrote to it",
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT or SIGTERM."""
    emu = BotApiEmulator(token=args.token, bot_username=args.bot_username)
    emu.require_start = not args.no_require_start
    await emu.start(host=args.host, port=args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    if args.port_file is not None:
        # Write then rename, so a reader polling for the file never sees it half-written.
        partial = args.port_file.with_name(args.port_file.name + ".partial")
        partial.write_text(str(emu.port))
        partial.replace(args.port_file)
    print(f"sandbox Bot API listening on {emu.root} (base_url {emu.base_url})", flush=True)
    try:
        await stop.wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
