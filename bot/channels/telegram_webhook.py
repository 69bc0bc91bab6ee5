"""Webhook mode: Telegram POSTs each update, and hears 200 only once the update is committed.

PTB's own webhook server answers 200 as soon as it has *queued* an update, and Telegram never
sends an acknowledged update again, so a crash before the commit would lose it for good. This
server hands the update to homthu's handlers and waits for them (they commit before they
return); only then does it answer 200. A kill at any earlier moment leaves Telegram without an
answer, so it delivers the update again, and the processed-updates ledger makes a second
delivery of an update already committed a no-op: nothing is lost and nothing happens twice.

A button press's spinner is stopped in the same answer, once the press is committed: the 200
carries `answerCallbackQuery` in its body (Telegram's "making requests when getting updates"),
which saves a round trip to the Bot API. Telegram never tells whether such a call succeeded, so
an expired query goes unnoticed; it only leaves a spinner on the user's screen.

Each chat's updates are handled strictly in arrival order; different chats side by side.
`deleteWebhook` is deliberately not called on stop: Telegram keeps queueing updates for the
webhook while the bot is down and delivers them once it is back, so a restart loses nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.channels.telegram_updates import (
    UpdateHandler,
    chat_key_of,
    press_id_of,
    through_application,
)

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
# A Telegram update is a few kilobytes; a message with a long reply chain stays far below this.
MAX_BODY_BYTES = 1024 * 1024
MAX_ATTEMPTS = 3  # per delivery, when handling failed for a reason that may pass
RETRY_PAUSE = 0.5  # seconds, doubled per attempt: Telegram will not wait for long
CONCURRENT_UPDATES = 8  # updates of different chats handled side by side


class _ChatOrder:
    """One lock per chat, created on demand and forgotten when nobody waits on it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for the chat's earlier updates (asyncio locks are first come, first served)."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class WebhookReceiver:
    """An aiohttp server that receives Telegram's POSTs and acknowledges committed updates.

    `handle` handles one update's JSON (by default through the Application's handler table).
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        url: str,
        secret_token: str,
        listen: str,
        port: int,
        path: str,
        max_connections: int,
        allowed_updates: Sequence[str],
        retryable: Callable[[BaseException], bool] = lambda _exc: False,
        handle: UpdateHandler | None = None,
    ) -> None:
        self._app = app
        self._process = handle or through_application(app)
        self._url = url
        self._secret = secret_token.encode()
        self._listen = listen
        self._port = port
        self._path = path
        self._max_connections = max_connections
        self._allowed = list(allowed_updates)
        self._retryable = retryable
        self._retry_wanted: set[int] = set()
        self._order = _ChatOrder()
        self._slots = asyncio.Semaphore(CONCURRENT_UPDATES)
        self._stopping = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port actually listened on (useful when configured as 0)."""
        if self._runner is None or not self._runner.addresses:
            return self._port
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        """Listen, then ask Telegram to deliver here (pending updates are kept)."""
        self._app.add_error_handler(self._note_error)
        server = web.Application(client_max_size=MAX_BODY_BYTES)
        server.router.add_post(self._path, self._receive)
        server.router.add_get(HEALTH_PATH, self._health)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()
        try:
            await self._app.bot.set_webhook(
                url=self._url,
                secret_token=self._secret.decode(),
                allowed_updates=self._allowed,
                max_connections=self._max_connections,
                drop_pending_updates=False,
            )
        except BaseException:
            await self._runner.cleanup()
            self._runner = None
            raise
        log.info("receiving updates by webhook on %s:%d%s", self._listen, self.port, self._path)

    async def stop(self) -> None:
        """Refuse new deliveries (Telegram retries them later), finish those in hand, close.

        The webhook stays set at Telegram, which queues what arrives meanwhile.
        """
        self._stopping = True
        await self._idle.wait()  # never cut a handler short
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _health(self, request: web.Request) -> web.Response:
        """For the reverse proxy: 200 while updates are accepted, 503 while stopping."""
        if self._stopping:
            return web.json_response({"status": "stopping"}, status=503)
        return web.json_response({"status": "ok"})

    async def _receive(self, request: web.Request) -> web.Response:
        """One delivery: check it comes from Telegram, handle it, answer once it is committed."""
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            log.warning("refused a webhook request without the secret token header")
            return web.Response(status=401, text="secret token required")
        if not hmac.compare_digest(given.encode(), self._secret):
            log.warning("refused a webhook request with a wrong secret token")
            return web.Response(status=403, text="wrong secret token")
        if self._stopping:
            return web.Response(status=503, text="stopping; deliver again later")
        self._begin()  # from here on, stop() waits for this delivery
        try:
            update = await self._read_body(request)
            if isinstance(update, web.Response):
                return update
            handled = await self._handle_in_order(update)
        finally:
            self._end()
        if handled is None:
            return _not_an_update()
        if not handled:
            return web.Response(status=503, text="not handled yet; deliver again later")
        press_id = press_id_of(update)
        if press_id is not None:
            return web.json_response(
                {"method": "answerCallbackQuery", "callback_query_id": press_id}
            )
        return web.Response(text="ok")

    async def _read_body(self, request: web.Request) -> Mapping[str, Any] | web.Response:
        """The update's JSON in the body, or a 4xx answer for a body that is none (nothing
        logged of it); the update handler reads it further."""
        if (request.content_length or 0) > MAX_BODY_BYTES:
            log.warning("refused an oversized webhook body (%d bytes)", request.content_length)
            return web.Response(status=413, text="body too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("refused an oversized webhook body")
            return web.Response(status=413, text="body too large")
        try:
            data = json.loads(body)
        except Exception:  # any malformed body; its content may be personal, so it is not logged
            return _not_an_update()
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return _not_an_update()
        return data

    async def _handle_in_order(self, update: Mapping[str, Any]) -> bool | None:
        async with self._order.turn(chat_key_of(update)), self._slots:
            return await self._handle(update)

    async def _handle(self, update: Mapping[str, Any]) -> bool | None:
        """Handle one update, retrying briefly while it fails for a passing reason.

        False when it still fails: Telegram then delivers it again later; None when it could
        not be read at all.
        """
        update_id: int = update["update_id"]
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self._retry_wanted.discard(update_id)
            # The handler routes handler errors to the error handlers; it never raises.
            if not await self._process(update):
                return None
            if update_id not in self._retry_wanted:
                return True
            self._retry_wanted.discard(update_id)
            if attempt < MAX_ATTEMPTS:
                await asyncio.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
        log.warning("update %s not handled yet; Telegram will deliver it again", update_id)
        return False

    async def _note_error(
        self, update: object, context: CallbackContext[Any, Any, Any, Any]
    ) -> None:
        """Error handler: remember that this update deserves another try."""
        if context.error is not None and self._retryable(context.error):
            if isinstance(update, Update):
                self._retry_wanted.add(update.update_id)

    def _begin(self) -> None:
        self._in_flight += 1
        self._idle.clear()

    def _end(self) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self._idle.set()


def _not_an_update() -> web.Response:
    log.warning("refused a webhook body that is not a Telegram update")
    return web.Response(status=400, text="not a Telegram update")
