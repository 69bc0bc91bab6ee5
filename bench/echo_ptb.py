"""Baseline: a bare python-telegram-bot echo bot with default settings, one reply_text per message.

`python -m bench.echo_ptb --base-url http://127.0.0.1:PORT/bot --token T`; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the same text back."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main(argv: list[str] | None = None) -> int:
    """Build the application as PTB's own examples do and poll until SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bench.echo_ptb", description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    app = Application.builder().token(args.token).base_url(args.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling()
    return 0


if __name__ == "__main__":
    sys.exit(main())
