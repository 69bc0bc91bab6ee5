"""Long polling that confirms an update to Telegram only after it has been committed.

PTB's Updater confirms a batch (the next getUpdates `offset`) as soon as it has *queued* it, so a
crash between queueing and committing would lose those updates for good. This poller handles
each polled batch itself, one update after another (each chat's updates therefore in order),
inside one database transaction (`batch`): each update's own transaction is a savepoint of it,
so a failing update is undone alone, and the batch commits once. Only after that COMMIT are the
batch's button presses answered (their spinners stop) and the batch confirmed, by the next
getUpdates call. A crash at any moment therefore means re-delivery, which the processed-updates
ledger turns into a no-op: nothing is lost and nothing happens twice.

A transaction is kept short: while it is open every other writer (the outbox dispatcher, the
sweepers) waits, and its replies wait for its COMMIT. So a polled batch of more than
`MAX_BATCH_UPDATES` updates, or one still being handled after `MAX_BATCH_SECONDS`, is committed in
several transactions, in order; it is confirmed once all of them are committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, CallbackContext

from bot.channels.telegram_raw_bot import RawResultBot
from bot.channels.telegram_updates import (
    UpdateHandler,
    press_id_of,
    through_application,
    update_id_of,
)

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
MAX_ATTEMPTS = 5  # per update, when its handling failed for a reason that may pass
MAX_BATCH_UPDATES = 25  # updates per transaction
MAX_BATCH_SECONDS = 0.1  # a transaction takes no further update after this long

Batch = Callable[[], AbstractAsyncContextManager[object]]
Polled = Mapping[str, Any]  # one update of a getUpdates result, as JSON, with an int update_id


class CommitThenConfirmPoller:
    """Fetches updates, handles them one by one in a batch transaction, then confirms them.

    `batch` opens the transaction that the handlers' own transactions join (the database's
    `batch`); without it each update commits on its own. `handle` handles one update's JSON
    (by default through the Application's handler table).
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        retryable: Callable[[BaseException], bool] = lambda _exc: False,
        batch: Batch = nullcontext,
        handle: UpdateHandler | None = None,
    ) -> None:
        if not isinstance(app.bot, RawResultBot):
            raise TypeError("the poller needs the application built by bot.app (a RawResultBot)")
        self._app = app
        self._bot = app.bot
        self._retryable = retryable
        self._batch = batch
        self._process = handle or through_application(app)
        self._unreadable: set[int] = set()  # update ids skipped as unreadable: nothing to answer
        self._answering: set[asyncio.Task[None]] = set()
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
        if self._answering:
            await asyncio.gather(*self._answering, return_exceptions=True)
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
                batch = await self._fetch()
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
            updates = [d for d in batch if update_id_of(d) is not None]
            if not updates:
                continue
            last = max(d["update_id"] for d in updates)
            async with self._handling:
                if not await self._handle_batch(updates):
                    return  # stopping: the batch stays unconfirmed and comes again
                self._offset = last + 1  # unreadable updates too: they would never improve

    async def _fetch(self) -> list[Any]:
        """One long poll's updates, as JSON objects (read by the update handler)."""
        return await self._bot.get_updates_raw(self._offset, self._timeout, self._allowed)

    async def _handle_batch(self, updates: Sequence[Polled]) -> bool:
        """Handle a polled batch in order, in as few transactions as the limits allow.

        An update that fails for a passing reason (a database locked by another process) is
        tried again after a pause, and those after it wait for it, so every chat's updates stay
        in order; each update gets at most `MAX_ATTEMPTS`. Returns False when stopping
        interrupted the retries: the batch then stays unconfirmed and comes again.
        """
        pending = list(updates)
        attempts: dict[int, int] = {}
        while pending:
            committed, tried = await self._commit_some(pending)
            if committed:
                self._answer_presses(pending[:committed])
                del pending[:committed]
            if not tried:
                # Handling never waits, so without this the sends and answers that the COMMIT
                # released would wait for the whole polled batch.
                await asyncio.sleep(0)
                continue
            failed = [update["update_id"] for update in pending[:tried]]
            for update_id in failed:
                attempts[update_id] = attempts.get(update_id, 0) + 1
            worst = max(attempts[update_id] for update_id in failed)
            dropped = [update_id for update_id in failed if attempts[update_id] >= MAX_ATTEMPTS]
            for update_id in dropped:
                log.error("update %s dropped after %d attempts", update_id, MAX_ATTEMPTS)
            pending = [u for u in pending if u["update_id"] not in dropped]
            if len(dropped) < len(failed):
                await self._pause(min(2.0**worst, MAX_BACKOFF))
                if self._stopping.is_set():
                    return False
        return True

    async def _commit_some(self, pending: Sequence[Polled]) -> tuple[int, int]:
        """Handle the first updates of `pending` in one transaction and commit them.

        Returns how many were committed, and how many after those were tried in vain: the one
        that asked for a retry, or all of them when the transaction could not begin or commit.
        """
        loop = asyncio.get_running_loop()
        handled = 0
        retry = 0  # 1 when an update asked for a retry
        began = False
        try:
            async with self._batch():
                began = True
                started = loop.time()
                for update in pending[:MAX_BATCH_UPDATES]:
                    if handled and loop.time() - started >= MAX_BATCH_SECONDS:
                        break
                    if not await self._handle(update):
                        retry = 1
                        break
                    handled += 1
        except Exception as exc:
            if self._retryable(exc):
                log.warning("database busy; the batch's updates will be retried")
            else:
                log.error("a batch of updates could not be committed (%s)", type(exc).__name__)
            return 0, (handled + retry) if began else min(len(pending), MAX_BATCH_UPDATES)
        log.debug("%d updates committed in one transaction", handled)
        return handled, retry

    async def _handle(self, update: Polled) -> bool:
        """Handle one update; False when it failed for a passing reason and asks for a retry.

        A retry leaves the batch: its transaction commits what came before the update.
        """
        update_id: int = update["update_id"]
        self._retry_wanted.discard(update_id)
        # The handler routes handler errors to the error handlers; it never raises.
        if not await self._process(update):
            self._unreadable.add(update_id)
        if update_id in self._retry_wanted:
            self._retry_wanted.discard(update_id)
            return False
        return True

    def _answer_presses(self, committed: Sequence[Polled]) -> None:
        """Stop the spinners of the committed button presses, all at once, in the background."""
        presses = []
        for update in committed:
            press_id = press_id_of(update)
            if update["update_id"] in self._unreadable:
                self._unreadable.discard(update["update_id"])
            elif press_id is not None:
                presses.append(press_id)
        if presses:
            task = asyncio.create_task(
                _answer_all(self._bot, presses), name="homthu:answer-presses"
            )
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

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


async def _answer_all(bot: RawResultBot, press_ids: Sequence[str]) -> None:
    await asyncio.gather(*(_answer_press(bot, press_id) for press_id in press_ids))


async def _answer_press(bot: RawResultBot, press_id: str) -> None:
    """Stop a button's spinner; an expired query only leaves the spinner (the work is done)."""
    try:
        # What CallbackQuery.answer() sends, without building a bool from the answer.
        await bot.post_raw("answerCallbackQuery", {"callback_query_id": press_id})
    except TelegramError as exc:
        log.info("could not answer callback query: %s", type(exc).__name__)


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
