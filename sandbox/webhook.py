"""Webhook delivery: POST each queued update to the bot, retrying until it answers 2xx."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from sandbox.state import SandboxState, WebhookConfig, WebhookDelivery, update_type
from sandbox.wire import JsonDict

# Seconds before delivering a refused update again, growing with each failure like Telegram's
# (whose real delays are longer and undocumented; these keep tests and restarts quick).
RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)
NO_ANSWER = 0  # the status recorded when the connection failed or the bot took too long
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _chat_key(update: JsonDict) -> object:
    """The chat an update belongs to; one update per chat is in flight at a time."""
    body = update.get(update_type(update))
    if not isinstance(body, dict):
        return None
    chat = body.get("chat") or (body.get("message") or {}).get("chat") or body.get("from")
    return chat.get("id") if isinstance(chat, dict) else None


class WebhookDeliverer:
    """Pushes updates while a webhook is set: up to max_connections at once, in order per chat."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
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
                    batch = self._next_batch(hook) if hook is not None else []
                    if not batch:
                        await self._wait_for_change(self._snapshot())
                        continue
                    assert hook is not None
                    for update in batch:
                        self._in_flight[update["update_id"]] = _chat_key(update)
                        task = asyncio.create_task(self._post(session, hook, update))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
            finally:
                for task in self._tasks:
                    task.cancel()
                await asyncio.gather(*self._tasks, return_exceptions=True)

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
        timeout = aiohttp.ClientTimeout(total=self.state.webhook_timeout)
        try:
            async with session.post(
                hook.url, json=update, headers=headers, timeout=timeout
            ) as response:
                status = response.status
                if not 200 <= response.status < 300:
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {type(exc).__name__}"
        self.state.webhook_deliveries.append(WebhookDelivery(update_id, status, time.time()))
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
