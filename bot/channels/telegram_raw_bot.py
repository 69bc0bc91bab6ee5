"""The PTB bot homthu runs on: an `ExtBot` that can also return a call's result unparsed.

`bot.send_message(...)` turns Telegram's answer into a `telegram.Message` (about 120 µs of CPU
for a text message); the outbox only needs its `message_id`. `post_raw` goes through the same
stack as every typed method (`Bot._post`: PTB objects such as `InlineKeyboardMarkup` serialised
by their `to_dict`, `None` values dropped, the rate limiter if any, the request object, and
`BaseRequest`'s error mapping to `RetryAfter`, `Forbidden`, `BadRequest`, `ChatMigrated`,
`TimedOut`, …) and stops before building objects. Every typed method keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import ExtBot


class RawResultBot(ExtBot[None]):
    """`ExtBot` plus `post_raw`, for the calls whose answer homthu barely reads."""

    async def post_raw(self, endpoint: str, params: dict[str, Any]) -> Any:
        """Call `endpoint` (camelCase, e.g. "sendMessage") and return Telegram's raw `result`.

        Values are what the typed method would take (ints, strings, PTB objects); `None`
        values are left out, as the typed methods do. Not for uploads (use the typed method)
        nor with `arbitrary_callback_data`, whose keyboards only the typed methods rewrite.
        """
        return await self._post(endpoint, dict(params))

    async def get_updates_raw(
        self, offset: int | None, poll_seconds: int, allowed_updates: Sequence[str]
    ) -> list[Any]:
        """`get_updates` with Telegram's answer left as JSON objects (read them with
        bot/channels/telegram_updates.py). The read timeout is the long poll's plus the
        getUpdates request's own, as `get_updates` computes it."""
        read_timeout = (self._request[0].read_timeout or 0) + poll_seconds
        result = await self._post(
            "getUpdates",
            {"offset": offset, "timeout": poll_seconds, "allowed_updates": list(allowed_updates)},
            read_timeout=read_timeout,
        )
        return list(result) if isinstance(result, list) else []
