"""Webhook delivery: POST each queued update to the bot, retrying until it answers 2xx.

A 2xx answer may carry a Bot API call in its body ("making requests when getting updates" in
Telegram's docs): a JSON or urlencoded body whose `method` parameter names it. It is performed
like a call of its own, and its result goes nowhere. (Multipart bodies, for uploads, are not
emulated: such an answer is only an acceptance.) A `FaultSpec(method=WEBHOOK_ANSWER, ...)` loses
the bot's next answer on its way back: the delivery counts as failed, the call in it is not
made, and the update is delivered again, as when a real answer never reaches Telegram.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

import aiohttp

from sandbox.faults import FaultBook
from sandbox.state import SandboxState, WebhookConfig, WebhookDelivery, update_type
from sandbox.wire import JsonDict, Params, decode_form_value

# Seconds before delivering a refused update again, growing with each failure like Telegram's
# (whose real delays are longer and undocumented; these keep tests and restarts quick).
RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)
NO_ANSWER = 0  # the status recorded when the connection failed or the bot took too long
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_ANSWER = "webhookAnswer"  # the fault name for the bot's answer to a POST
LOST_ANSWER = "Read timeout expired"

Perform = Callable[[str, Params], Coroutine[Any, Any, None]]


def _chat_key(update: JsonDict) -> object:
    """The chat an update belongs to; one update per chat is in flight at a time."""
    body = update.get(update_type(update))
    if not isinstance(body, dict):
        return None
    chat = body.get("chat") or (body.get("message") or {}).get("chat") or body.get("from")
    return chat.get("id") if isinstance(chat, dict) else None


class WebhookDeliverer:
    """Pushes updates while a webhook is set: up to max_connections at once, in order per chat."""

    def __init__(
        self,
        state: SandboxState,
        faults: FaultBook | None = None,
        perform: Perform | None = None,
    ) -> None:
        self.state = state
        self._faults = faults or FaultBook()
        self._perform = perform
        self._in_flight: dict[int, object] = {}
        self._failures: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def _next_batch(self, hook: WebhookConfig) -> list[JsonDict]:
        busy_chats = {key for key in self._in_flight.values() if key is not None}
        batch: list[JsonDict] = []
        for update in self.state.deliverable(len(self.state.updates)):
            if len(self._in_flight) + len(batch) >= hook.max_connections:
                break
            key = _chat_key(update)
            if update["update_id"] in self._in_flight or key in busy_chats:
                continue
            if key is not None:
                busy_chats.add(key)
            batch.append(update)
        return batch

    async def run(self) -> None:
        """Deliver until the emulator stops."""
        async with aiohttp.ClientSession(trust_env=False) as session:
            try:
                while not self.state.closing:
                    hook = self.state.webhook
                    if hook is None:  # polling: nothing to do until a webhook is set
                        await self._wait_for_webhook()
                        continue
                    batch = self._next_batch(hook)
                    if not batch:
                        await self._wait_for_change(self._snapshot())
                        continue
                    for update in batch:
                        self._in_flight[update["update_id"]] = _chat_key(update)
                        task = asyncio.create_task(self._post(session, hook, update))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
            finally:
                for task in self._tasks:
                    task.cancel()
                await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _wait_for_webhook(self) -> None:
        state = self.state
        await state.changed.wait_for(lambda: state.closing or state.webhook is not None, None)

    async def _wait_for_change(self, seen: tuple[object, ...]) -> None:
        await self.state.changed.wait_for(
            lambda: self.state.closing or self._snapshot() != seen, None
        )

    def _snapshot(self) -> tuple[object, ...]:
        state = self.state
        return (id(state.webhook), state.next_update_id, len(state.updates), len(self._in_flight))

    async def _post(
        self, session: aiohttp.ClientSession, hook: WebhookConfig, update: JsonDict
    ) -> None:
        update_id = update["update_id"]
        headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
        error: str | None = None
        status = NO_ANSWER
        reply: tuple[str, Params] | None = None
        timeout = aiohttp.ClientTimeout(total=self.state.webhook_timeout)
        try:
            async with session.post(
                hook.url, json=update, headers=headers, timeout=timeout
            ) as response:
                status = response.status
                if not 200 <= response.status < 300:
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
                else:
                    reply = await _reply_call(response)
        except TimeoutError:
            error = LOST_ANSWER
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {type(exc).__name__}"
        if error is None and self._faults.take(WEBHOOK_ANSWER, _chat_key(update)) is not None:
            status, error, reply = NO_ANSWER, LOST_ANSWER, None
        self.state.webhook_deliveries.append(WebhookDelivery(update_id, status, time.time()))
        if reply is not None and self._perform is not None:
            task = asyncio.create_task(self._perform(*reply))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if error is None:
            self.state.updates.pop(update_id, None)
            self._failures.pop(update_id, None)
        else:
            hook.last_error_date = int(time.time())
            hook.last_error_message = error
            failures = self._failures.get(update_id, 0)
            self._failures[update_id] = failures + 1
            await asyncio.sleep(RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)])
        self._in_flight.pop(update_id, None)
        self.state.changed.notify()


async def _reply_call(response: aiohttp.ClientResponse) -> tuple[str, Params] | None:
    """The Bot API call in the body of the bot's 2xx answer, if it made one."""
    try:
        if response.content_type == "application/json":
            body = await response.json()
            if not isinstance(body, dict):
                return None
            values: JsonDict = {
                key: decode_form_value(key, value) if isinstance(value, str) else value
                for key, value in body.items()
            }
        elif response.content_type == "application/x-www-form-urlencoded":
            text = await response.text()
            values = {key: decode_form_value(key, value) for key, value in parse_qsl(text)}
        else:
            return None
    except (ValueError, aiohttp.ClientError):
        return None
    method = values.pop("method", None)
    return (method, Params(values)) if isinstance(method, str) else None
