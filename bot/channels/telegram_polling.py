"""Long polling that confirms an update to Telegram only after it has been handled.

PTB's Updater confirms a batch (the next getUpdates `offset`) as soon as it has *queued* it, so a
crash between queueing and committing would lose those updates for good. This poller hands each
update to the Application and waits for its handlers to finish (our handlers commit before they
return); only then does the next getUpdates call confirm it. A crash at any moment therefore
means re-delivery, which the processed-updates ledger turns into a no-op: nothing is lost and
nothing happens twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, CallbackContext

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
MAX_ATTEMPTS = 5  # per update, when its handling failed for a reason that may pass
CONCURRENT_CHATS = 8  # chats handled side by side within one batch


class CommitThenConfirmPoller:
    """Fetches updates, handles them one by one, then confirms them."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        retryable: Callable[[BaseException], bool] = lambda _exc: False,
    ) -> None:
        self._app = app
        self._retryable = retryable
        self._retry_wanted: set[int] = set()
        self._timeout = timeout
        self._allowed = list(allowed_updates)
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._handling = asyncio.Lock()

    async def start(self) -> None:
        """Remove any webhook (keeping pending updates) and start polling in the background."""
        await self._app.bot.delete_webhook(drop_pending_updates=False)
        self._app.add_error_handler(self._note_error)
        self._task = asyncio.create_task(self._poll(), name="homthu:polling")

    async def stop(self) -> None:
        """Finish the update being handled, stop polling, and confirm what was handled."""
        self._stopping.set()
        async with self._handling:  # never cut a handler short
            if self._task is not None:
                self._task.cancel()
                try:
                    await self._task
                except asyncio.CancelledError:
                    pass
                except Exception:
                    log.debug("polling had ended with an error")
        if self._offset is not None:
            try:
                await self._app.bot.get_updates(
                    offset=self._offset, timeout=timedelta(0), allowed_updates=self._allowed
                )
            except TelegramError as exc:
                # Harmless: the handled updates come again on restart and are recognised.
                log.warning("could not confirm the last updates: %s", type(exc).__name__)

    async def _poll(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                updates = await self._app.bot.get_updates(
                    offset=self._offset,
                    timeout=timedelta(seconds=self._timeout),
                    allowed_updates=self._allowed,
                )
            except RetryAfter as exc:
                await self._pause(_seconds(exc.retry_after))
                continue
            except TimedOut:
                continue  # a long poll that outlived the client's patience: just ask again
            except InvalidToken:
                log.critical("Telegram rejected the bot token; polling stops")
                raise
            except Conflict:
                log.error("another process is polling with this token (or a webhook is set)")
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except TelegramError as exc:
                log.warning("polling failed (%s); retrying in %.0f s", type(exc).__name__, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            if not updates:
                continue
            async with self._handling:
                if not await self._handle_batch(updates):
                    return  # stopping: the batch stays unconfirmed and comes again
                self._offset = updates[-1].update_id + 1

    async def _handle_batch(self, updates: Sequence[Update]) -> bool:
        """Handle a batch: chats side by side, each chat's updates strictly in order.

        Different chats overlap their waits (database, Telegram round trips) instead of queueing
        behind each other; the batch is confirmed only when all of it is handled.
        """
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat
            by_chat[chat.id if chat is not None else 0].append(update)
        gate = asyncio.Semaphore(CONCURRENT_CHATS)

        async def one_chat(chat_updates: list[Update]) -> bool:
            async with gate:
                for update in chat_updates:
                    if not await self._handle(update):
                        return False
                return True

        results = await asyncio.gather(*(one_chat(group) for group in by_chat.values()))
        return all(results)

    async def _handle(self, update: Update) -> bool:
        """Handle one update, retrying while it fails for a passing reason (a locked database).

        Returns False when stopping interrupted the retries.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self._retry_wanted.discard(update.update_id)
            # process_update routes handler errors to the error handlers; it never raises.
            await self._app.process_update(update)
            if update.update_id not in self._retry_wanted:
                return True
            if attempt == MAX_ATTEMPTS:
                self._retry_wanted.discard(update.update_id)
                log.error("update %s dropped after %d attempts", update.update_id, attempt)
                return True
            await self._pause(min(2.0**attempt, MAX_BACKOFF))
            if self._stopping.is_set():
                return False
        return True

    async def _note_error(
        self, update: object, context: CallbackContext[Any, Any, Any, Any]
    ) -> None:
        """Error handler: remember that this update deserves another try."""
        if context.error is not None and self._retryable(context.error):
            if isinstance(update, Update):
                self._retry_wanted.add(update.update_id)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
