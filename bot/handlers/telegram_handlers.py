"""The Telegram handler table: each callback translates, calls the mailbox, and returns."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.domain.errors import StorageBusy
from bot.handlers.translate import CHANNEL, to_inbound
from bot.services.mailbox import Mailbox

log = logging.getLogger(__name__)

MAILBOX_KEY = "mailbox"

# Commands shown in Telegram's menu.
COMMANDS = (
    ("gopy", "Gửi góp ý, phản ánh, kiến nghị"),
    ("tracuu", "Tra cứu tình trạng bằng mã tra cứu"),
    ("huy", "Hủy bước đang làm"),
    ("trogiup", "Hướng dẫn sử dụng"),
    ("start", "Giới thiệu hòm thư"),
)


def register(app: Application[Any, Any, Any, Any, Any, Any], mailbox: Mailbox) -> None:
    """Install the handlers: private messages, button presses, and the error handler."""
    app.bot_data[MAILBOX_KEY] = mailbox
    app.add_handler(CallbackQueryHandler(press_button))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, receive_message)
    )
    app.add_error_handler(report_error)


async def receive_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message: command, dialog input, follow-up or answer."""
    inbound = to_inbound(update)
    if inbound is not None:
        await _mailbox(context).handle(inbound)


async def press_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: stop the spinner, then let the mailbox decide (the data is untrusted)."""
    query = update.callback_query
    if query is None:
        return
    inbound = to_inbound(update)
    if inbound is not None:
        await _mailbox(context).handle(inbound)
    try:
        await query.answer()
    except TelegramError as exc:
        # An expired query only leaves a spinner on the user's screen; the work is done.
        log.info("could not answer callback query: %s", type(exc).__name__)


async def report_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (no user data) and apologise to the user through the outbox."""
    error = context.error
    if isinstance(error, StorageBusy):
        # The poller handles the update again shortly; an apology now would be premature.
        log.warning("database busy; the update will be retried")
        return
    log.error("update handling failed", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.effective_chat.type == "private":
            await _mailbox(context).apologise(CHANNEL, str(update.effective_chat.id))


def _mailbox(context: ContextTypes.DEFAULT_TYPE) -> Mailbox:
    mailbox = context.bot_data[MAILBOX_KEY]
    assert isinstance(mailbox, Mailbox)
    return mailbox
