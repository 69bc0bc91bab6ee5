"""EmulatorControl: drive an out-of-process emulator through its `/_ctl/` API."""

from __future__ import annotations

import base64
import dataclasses
import json
from types import TracebackType
from typing import Any

import aiohttp

from sandbox.faults import FaultSpec
from sandbox.wire import JsonDict

_JSON_HEADERS = {"Content-Type": "application/json"}


class ControlError(RuntimeError):
    """The emulator refused a control request."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(f"{status}: {error}")
        self.status = status
        self.error = error


class EmulatorControl:
    """Async client mirroring BotApiEmulator's helpers for an emulator in another process."""

    def __init__(self, root_url: str, session: aiohttp.ClientSession | None = None) -> None:
        self.root = root_url.rstrip("/")
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> EmulatorControl:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if this client opened it."""
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(trust_env=False)
        return self._session

    async def _call(self, verb: str, path: str, body: JsonDict | None = None, **query: Any) -> Any:
        params = {key: str(value) for key, value in query.items() if value is not None}
        url = f"{self.root}/_ctl/{path}"
        # The body is encoded here and the answer decoded from its bytes: aiohttp's `json=`
        # payload and `response.json()` cost a benchmark driver more than the encoding itself.
        data = None if body is None else json.dumps(body).encode()
        headers = None if body is None else _JSON_HEADERS
        async with self._http().request(
            verb, url, data=data, headers=headers, params=params
        ) as response:
            raw = await response.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            raise ControlError(response.status, raw.decode("utf-8", "replace")) from None
        if not payload.get("ok"):
            raise ControlError(response.status, str(payload.get("error")))
        return payload["result"]

    async def _post(self, action: str, *, brief: bool = False, **body: Any) -> Any:
        sent = {k: v for k, v in body.items() if v is not None}
        return await self._call("POST", action, sent, brief=1 if brief else None)

    async def add_user(self, user_id: int, first_name: str = "An", **names: Any) -> JsonDict:
        """Create or rename a user."""
        result: JsonDict = await self._post("user", user_id=user_id, first_name=first_name, **names)
        return result

    async def send_text(
        self,
        user_id: int,
        text: str,
        reply_to: int | None = None,
        *,
        chat_id: int | None = None,
        brief: bool = False,
    ) -> JsonDict:
        """The user writes `text`; returns the injected Message (`brief=True`: `{}`, cheaper)."""
        result: JsonDict = await self._post(
            "text", user_id=user_id, text=text, reply_to=reply_to, chat_id=chat_id, brief=brief
        )
        return result

    async def send_document(
        self,
        user_id: int,
        file_name: str = "a.pdf",
        mime_type: str = "application/pdf",
        data: bytes = b"%PDF-1.4 sandbox",
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> JsonDict:
        """The user sends a document."""
        result: JsonDict = await self._post(
            "document",
            user_id=user_id,
            file_name=file_name,
            mime_type=mime_type,
            data_base64=base64.b64encode(data).decode(),
            caption=caption,
            reply_to=reply_to,
        )
        return result

    async def send_photo(
        self, user_id: int, caption: str | None = None, reply_to: int | None = None
    ) -> JsonDict:
        """The user sends a photo."""
        result: JsonDict = await self._post(
            "photo", user_id=user_id, caption=caption, reply_to=reply_to
        )
        return result

    async def send_contact(self, user_id: int, phone_number: str, own: bool = True) -> JsonDict:
        """The user shares a contact."""
        result: JsonDict = await self._post(
            "contact", user_id=user_id, phone_number=phone_number, own=own
        )
        return result

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> JsonDict:
        """The user shares a location."""
        result: JsonDict = await self._post(
            "location", user_id=user_id, latitude=latitude, longitude=longitude
        )
        return result

    async def press_button(
        self, user_id: int, message_id: int, data: str, *, forged: bool = False, brief: bool = False
    ) -> JsonDict:
        """The user presses an inline button; returns the CallbackQuery (`brief=True`: `{}`)."""
        result: JsonDict = await self._post(
            "press", user_id=user_id, message_id=message_id, data=data, forged=forged, brief=brief
        )
        return result

    async def inject_update(self, raw: JsonDict) -> int:
        """Queue a hand-built update; return its update_id."""
        result = await self._post("update", raw=raw)
        return int(result["update_id"])

    async def inject_fault(self, spec: FaultSpec) -> None:
        """Arm a fault."""
        await self._call("POST", "fault", dataclasses.asdict(spec))

    async def clear_faults(self) -> None:
        """Disarm every fault."""
        await self._post("clear_faults")

    async def set_rate_limits(
        self,
        overall_per_second: float | None = 30.0,
        *,
        per_chat_per_second: float | None = 1.0,
        burst: int = 3,
        per_group_per_minute: float | None = 20.0,
    ) -> None:
        """Answer 429 beyond these limits; `set_rate_limits(None)` switches limiting off."""
        if overall_per_second is None:
            await self._post("limits", off=True)
            return
        await self._call(
            "POST",
            "limits",
            {
                "overall_per_second": overall_per_second,
                "per_chat_per_second": per_chat_per_second,
                "burst": burst,
                "per_group_per_minute": per_group_per_minute,
            },
        )

    async def block(self, chat_id: int) -> None:
        """The user blocks the bot."""
        await self._post("block", chat_id=chat_id)

    async def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        await self._post("unblock", chat_id=chat_id)

    async def set_require_start(self, value: bool) -> None:
        """Switch the 403 for users who never wrote to the bot."""
        await self._post("require_start", value=value)

    async def set_webhook_timeout(self, seconds: float) -> None:
        """How long a webhook POST may take before it is delivered again."""
        await self._post("webhook_timeout", seconds=seconds)

    async def reset(self) -> None:
        """Forget everything (see BotApiEmulator.reset)."""
        await self._post("reset")

    async def messages(self, chat_id: int) -> list[JsonDict]:
        """Every message in the chat."""
        result: list[JsonDict] = await self._call("GET", "messages", chat_id=chat_id)
        return result

    async def bot_messages(self, chat_id: int) -> list[JsonDict]:
        """The bot's messages in the chat."""
        result: list[JsonDict] = await self._call("GET", "messages", chat_id=chat_id, bot_only=1)
        return result

    async def stats(self) -> JsonDict:
        """`{"stats": {...}, "pending_updates": n, "calls": n, "unknown_calls": [...]}`."""
        result: JsonDict = await self._call("GET", "stats")
        return result

    async def calls(self, method: str | None = None, since: int = 0) -> list[JsonDict]:
        """Recorded calls (from index `since`), optionally of one method."""
        result: list[JsonDict] = await self._call("GET", "calls", method=method, since=since)
        return result

    async def wait_for_bot_message(
        self,
        chat_id: int,
        *,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - forwarded to the emulator's own wait
        after_count: int | None = None,
    ) -> JsonDict:
        """Wait (server-side) for a bot message; raises TimeoutError if none came."""
        try:
            result: JsonDict = await self._post(
                "wait", chat_id=chat_id, contains=contains, timeout=timeout, after_count=after_count
            )
        except ControlError as error:
            if error.status == 408:
                raise TimeoutError(error.error) from None
            raise
        return result
