"""BotApiEmulator: the project's own Telegram Bot API, run in-process or as a server."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from sandbox.control import add_control_routes
from sandbox.faults import FaultBook, FaultSpec, RateLimiter, RateLimits
from sandbox.people import UserSide
from sandbox.recording import CallLog, RecordedCall
from sandbox.server import ApiServer
from sandbox.state import SandboxState, WebhookDelivery
from sandbox.webhook import WebhookDeliverer
from sandbox.wire import JsonDict


def _visible(message: JsonDict) -> str:
    return str(message.get("text") or message.get("caption") or "")


class BotApiEmulator(UserSide):
    """A local Telegram: PTB talks to it over HTTP; tests act as users and watch the chats."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "homthu_bot",
        bot_id: int | None = None,
        *,
        bot_name: str = "Hòm thư góp ý",
    ) -> None:
        self.token = token
        self.bot_user: JsonDict = {
            "id": bot_id if bot_id is not None else int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.state = SandboxState(token, self.bot_user)
        self.faults = FaultBook()
        self.log = CallLog()
        self.api = ApiServer(self.state, self.faults, self.log)
        self.host = "127.0.0.1"
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (0 picks a free port) and start webhook delivery."""
        self.state.closing = False
        self.api.stopping = asyncio.Event()
        app = self.api.build_app()
        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.host, self.port = host, int(self._runner.addresses[0][1])
        self._webhook_task = asyncio.create_task(
            WebhookDeliverer(self.state, self.faults, self.api.perform_webhook_reply).run()
        )

    async def stop(self) -> None:
        """Wake every long poll and held request, then close the server."""
        self.state.closing = True
        self.state.changed.notify()
        self.api.stopping.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def root(self) -> str:
        """`http://host:port` of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`."""
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`."""
        return f"{self.root}/file/bot"

    # -- behaviour switches ----------------------------------------------------------------

    @property
    def require_start(self) -> bool:
        """Refuse (403) private chats whose user never wrote to the bot."""
        return self.state.require_start

    @require_start.setter
    def require_start(self, value: bool) -> None:
        self.state.require_start = value

    @property
    def callback_ttl(self) -> float | None:
        """Seconds after which answerCallbackQuery is refused (None: never)."""
        return self.state.callback_ttl

    @callback_ttl.setter
    def callback_ttl(self, value: float | None) -> None:
        self.state.callback_ttl = value

    @property
    def webhook_timeout(self) -> float:
        """Seconds a webhook POST may take before it is counted failed and delivered again."""
        return self.state.webhook_timeout

    @webhook_timeout.setter
    def webhook_timeout(self, value: float) -> None:
        self.state.webhook_timeout = value

    def inject_fault(self, spec: FaultSpec) -> None:
        """Arm a fault for the next matching calls."""
        self.faults.add(spec)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.faults.clear()

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: every send to them gets 403 until unblock()."""
        self.state.person(chat_id)
        self.state.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        self.state.blocked.discard(chat_id)

    def set_rate_limits(
        self,
        overall_per_second: float | None = 30.0,
        *,
        per_chat_per_second: float | None = 1.0,
        burst: int = 3,
        per_group_per_minute: float | None = 20.0,
    ) -> None:
        """Answer 429 beyond these limits; `set_rate_limits(None)` switches limiting off.

        A limit of 0 (or None, after the first argument) switches just that limit off.
        """
        if overall_per_second is None:
            self.api.limiter = None
            return
        limits = RateLimits(overall_per_second, per_chat_per_second, burst, per_group_per_minute)
        self.api.limiter = RateLimiter(limits)

    def reset(self) -> None:
        """Forget people, chats, updates, files, faults, limits, calls and counters."""
        self.state.clear()
        self.state.require_start = True
        self.state.callback_ttl = None
        self.state.webhook_timeout = 10.0
        self.faults.clear()
        self.log.clear()
        self.api.limiter = None

    # -- observation -----------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        """Every Bot API call, in order."""
        return self.log.calls

    @property
    def unknown_calls(self) -> list[RecordedCall]:
        """Calls to methods the emulator does not implement."""
        return self.log.unknown_calls

    @property
    def stats(self) -> Counter[str]:
        """Counters: `stats["sendMessage"]`, `stats["429"]`, `stats["sendMessage:429"]`."""
        return self.log.stats

    def _live_messages(self, chat_id: int) -> list[JsonDict]:
        log = self.state.logs.get(chat_id)
        return [] if log is None else list(log.messages.values())

    def _live_bot_messages(self, chat_id: int) -> list[JsonDict]:
        bot_id = self.bot_user["id"]
        return [m for m in self._live_messages(chat_id) if m["from"]["id"] == bot_id]

    def messages(self, chat_id: int) -> list[JsonDict]:
        """Every message in the chat, both directions (with the emulator's `_html` keys)."""
        return copy.deepcopy(self._live_messages(chat_id))

    def bot_messages(self, chat_id: int) -> list[JsonDict]:
        """The bot's messages in the chat, in order, as currently shown (after edits)."""
        return copy.deepcopy(self._live_bot_messages(chat_id))

    def reply_keyboard(self, chat_id: int) -> JsonDict | None:
        """The reply keyboard the bot currently shows in the chat."""
        return copy.deepcopy(self.state.reply_keyboards.get(chat_id))

    def callback_answer(self, query_id: str) -> JsonDict | None:
        """What the bot answered to a callback query (None if not yet answered)."""
        record = self.state.callback_queries.get(query_id)
        return None if record is None else copy.deepcopy(record.answer)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every POST of an update to the webhook so far, in the order they were answered."""
        return list(self.state.webhook_deliveries)

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by an offset (or webhook delivery)."""
        return len(self.state.updates)

    async def wait_for_bot_message(
        self,
        chat_id: int,
        predicate: Callable[[JsonDict], bool] | None = None,
        *,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the whole wait, like asyncio.wait_for
        after_count: int | None = None,
    ) -> JsonDict:
        """Wait for a bot message (past the first `after_count`) matching; return a copy."""
        found: list[JsonDict] = []

        def arrived() -> bool:
            for message in self._live_bot_messages(chat_id)[after_count or 0 :]:
                if contains is not None and contains not in _visible(message):
                    continue
                candidate = copy.deepcopy(message)
                if predicate is None or predicate(candidate):
                    found.append(candidate)
                    return True
            return False

        if not await self.state.changed.wait_for(arrived, timeout):
            shown = [_visible(m)[:80] for m in self._live_bot_messages(chat_id)[-5:]]
            raise TimeoutError(
                f"no bot message in chat {chat_id} matched within {timeout}s "
                f"(contains={contains!r}, after_count={after_count}); last ones: {shown}"
            )
        return found[0]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the whole wait
    ) -> None:
        """Wait until `predicate()` holds, re-checking on every change and every 50 ms."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout}s")
            await self.state.changed.wait_for(predicate, min(remaining, 0.05))
