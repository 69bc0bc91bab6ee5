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
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, CallbackContext

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
MAX_ATTEMPTS = 5  # per update, when its handling failed for a reason that may pass


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
        self._retry_wanted = False
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
            for update in updates:
                async with self._handling:
                    if not await self._handle(update):
                        return  # stopping: the update stays unconfirmed and comes again
                    self._offset = update.update_id + 1

    async def _handle(self, update: Update) -> bool:
        """Handle one update, retrying while it fails for a passing reason (a locked database).

        Returns False when stopping interrupted the retries.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self._retry_wanted = False
            # process_update routes handler errors to the error handlers; it never raises.
            await self._app.process_update(update)
            if not self._retry_wanted:
                return True
            if attempt == MAX_ATTEMPTS:
                log.error("update %s dropped after %d attempts", update.update_id, attempt)
                return True
            await self._pause(min(2.0**attempt, MAX_BACKOFF))
            if self._stopping.is_set():
                return False
        return True

    async def _note_error(
        self, _update: object, context: CallbackContext[Any, Any, Any, Any]
    ) -> None:
        """Error handler: remember that the current update deserves another try."""
        if context.error is not None and self._retryable(context.error):
            self._retry_wanted = True

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
