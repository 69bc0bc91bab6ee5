"""The `homthu` command: run, demo, sandbox, migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import event_loop
from bot.domain.errors import ConfigError, StorageError


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `homthu` and `python -m bot`."""
    parser = argparse.ArgumentParser(prog="homthu", description="Hòm thư góp ý số")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING, ERROR")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or a webhook when configured)")
    run.add_argument("--config", type=Path, required=True, help="TOML config file")
    migrate = sub.add_parser("migrate", help="create or upgrade the database, then exit")
    migrate.add_argument("--config", type=Path, required=True)
    sub.add_parser("demo", help="the whole round trip on the embedded sandbox; no token needed")
    sub.add_parser("sandbox", help="chat with the bot in the terminal through the emulator")
    args = parser.parse_args(argv)
    _configure_logging(args.log_level, quiet=args.command in ("demo", "sandbox"))
    try:
        if args.command == "run":
            return _run(args.config)
        if args.command == "migrate":
            return asyncio.run(_migrate(args.config))
        if args.command == "demo":
            from bot.demo import run_demo

            return 0 if event_loop.run(run_demo()) else 1
        from bot.terminal_sandbox import run_terminal_sandbox

        return int(asyncio.run(run_terminal_sandbox()))
    except ConfigError as exc:
        print(f"homthu: configuration error: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"homthu: storage error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


def _run(config_path: Path) -> int:
    from bot.app import run
    from bot.config import load_config

    config = load_config(config_path)
    logging.getLogger(__name__).info(
        "starting for %s; citizens' data is processed via Telegram, a platform hosted outside "
        "Vietnam: the operator must have filed the cross-border transfer impact assessment",
        config.commune.name,
    )
    logging.getLogger(__name__).info("event loop: %s", event_loop.loop_name())
    event_loop.run(run(config))
    return 0


async def _migrate(config_path: Path) -> int:
    from bot.config import load_config
    from bot.storage.database import Database

    config = load_config(config_path, require_token=False)
    db = await Database.open(config.storage.path)
    try:
        print(f"database {config.storage.path} at schema version {await db.schema_version()}")
    finally:
        await db.close()
    return 0


def _configure_logging(level: str, *, quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
