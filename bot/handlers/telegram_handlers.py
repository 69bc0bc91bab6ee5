"""The Telegram handler table: each callback translates, calls the mailbox, and returns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.domain.errors import StorageBusy
from bot.handlers.lean_updates import lean_inbound
from bot.handlers.translate import CHANNEL, to_inbound
from bot.services.mailbox import Mailbox

log = logging.getLogger(__name__)

MAILBOX_KEY = "mailbox"
GROUP_KEY = "committee_chat_id"

# Commands shown in Telegram's menu.
COMMANDS = (
    ("gopy", "Gửi góp ý, phản ánh, kiến nghị"),
    ("tracuu", "Tra cứu tình trạng bằng mã tra cứu"),
    ("huy", "Hủy bước đang làm"),
    ("trogiup", "Hướng dẫn sử dụng"),
    ("start", "Giới thiệu hòm thư"),
)


def register(
    app: Application[Any, Any, Any, Any, Any, Any],
    mailbox: Mailbox,
    committee_chat_id: int | None = None,
) -> None:
    """Install the handlers: private (and committee group) messages, buttons, the error handler.

    `LeanDispatch` does this table's work for the commonest updates: keep the two in step.
    """
    app.bot_data[MAILBOX_KEY] = mailbox
    app.bot_data[GROUP_KEY] = committee_chat_id
    app.add_handler(CallbackQueryHandler(press_button))
    chats: filters.BaseFilter = filters.ChatType.PRIVATE
    if committee_chat_id is not None:
        chats = chats | filters.Chat(committee_chat_id)
    app.add_handler(MessageHandler(chats & filters.UpdateType.MESSAGE, receive_message))
    app.add_error_handler(report_error)


async def receive_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message: command, dialog input, follow-up, answer, or a note in a case's topic."""
    inbound = to_inbound(update, context.bot_data.get(GROUP_KEY))
    if inbound is not None:
        await _mailbox(context).handle(inbound)


async def press_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: let the mailbox decide (the data is untrusted).

    The channel stops the button's spinner once the press is committed (see
    `telegram_polling` and `telegram_webhook`), so no Telegram round trip happens in here.
    """
    inbound = to_inbound(update, context.bot_data.get(GROUP_KEY))
    if inbound is not None:
        await _mailbox(context).handle(inbound)


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


class LeanDispatch:
    """Hands each update's JSON to the mailbox; the commonest skip PTB's objects and dispatch.

    For a private text message or button press, the handler table of `register` runs
    `receive_message` or `press_button`, both `Mailbox.handle(to_inbound(update))`. For those
    shapes `lean_inbound` gives the same event from the JSON (tests/handlers check it), so they
    are handed to the mailbox directly: no `telegram.Update` (about 90 µs), no handler
    matching, no `CallbackContext`. A failure still reaches the Application's error handlers
    with the update as PTB reads it: `report_error`'s apology, the poller's retry flag. Every
    other update goes to `fallback` (PTB's objects and handler table) unchanged.
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        mailbox: Mailbox,
        fallback: Callable[[Mapping[str, Any]], Awaitable[bool]],
    ) -> None:
        self._app = app
        self._mailbox = mailbox
        self._fallback = fallback

    async def __call__(self, data: Mapping[str, Any]) -> bool:
        """Handle one update; False if it could not be read (see telegram_updates)."""
        inbound = lean_inbound(data)
        if inbound is None:
            return await self._fallback(data)
        try:
            await self._mailbox.handle(inbound)
        except Exception as exc:  # as Application.process_update: to the error handlers
            await self._app.process_error(Update.de_json(dict(data), self._app.bot), exc)
        return True


def _mailbox(context: ContextTypes.DEFAULT_TYPE) -> Mailbox:
    mailbox = context.bot_data[MAILBOX_KEY]
    assert isinstance(mailbox, Mailbox)
    return mailbox
