"""Baseline: a bare aiogram 3 echo bot with default settings, one answer per message.

`python -m bench.echo_aiogram --root http://127.0.0.1:PORT --token T`; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def run(root: str, token: str) -> None:
    """Poll until SIGINT or SIGTERM (aiogram installs the handlers)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(root))
    bot = Bot(token, session=session)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        """Say the same text back."""
        await message.answer(message.text or "")

    await dispatcher.start_polling(bot)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.echo_aiogram", description=__doc__)
    parser.add_argument("--root", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    asyncio.run(run(args.root, args.token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
