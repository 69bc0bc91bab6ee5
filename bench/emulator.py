"""`python -m bench.emulator`: the sandbox emulator with a timeline and a feed, for benchmarks.

The same `BotApiEmulator` that `python -m sandbox` serves, plus two read-only routes that time
everything inside the emulator's own process, so that no clock is compared across processes:

- `GET /_bench/feed?since=N&timeout=S` long-polls for the bot's messages from position N of a
  global feed: one request serves every simulated chat, where `/_ctl/wait` would need one each.
- `GET /_bench/timeline` returns when each update was queued and when each bot message arrived
  (monotonic seconds), from which the drivers compute update-to-answer latency, and when each
  getUpdates arrived (wall clock, to compare with a spawn time taken in another process).
- `POST /_bench/reset` forgets people, chats, calls and the timeline between two bots.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import event_loop
from sandbox import methods
from sandbox.emulator import BotApiEmulator
from sandbox.state import SandboxState
from sandbox.wire import Params

JsonDict = dict[str, Any]


def _chat_of(update: JsonDict) -> int | None:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["from"]["id"])
    return None


def _buttons(message: JsonDict) -> list[list[str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [[b.get("text", ""), b.get("callback_data", "")] for row in rows for b in row]


class Timeline:
    """Queued updates and delivered bot messages, stamped with this process's monotonic clock."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self.updates: list[list[Any]] = []  # [update_id, chat_id, kind, t]
        self.feed: list[list[Any]] = []  # [chat_id, message_id, t, text, buttons]
        self.polls: list[float] = []  # wall-clock arrival of each getUpdates (for start-up)
        self._arrived = asyncio.Event()
        self._bot_id = emu.bot_user["id"]
        state = emu.state
        enqueue, add_message = state.enqueue, state.add_message

        def timed_enqueue(update: JsonDict) -> int:
            update_id = enqueue(update)
            kind = next((key for key in update if key != "update_id"), "")
            self.updates.append([update_id, _chat_of(update), kind, time.monotonic()])
            return update_id

        def timed_add_message(chat_id: int, sender: JsonDict, content: JsonDict) -> JsonDict:
            message = add_message(chat_id, sender, content)
            if sender.get("id") == self._bot_id:
                text = str(message.get("text") or message.get("caption") or "")
                entry = [chat_id, message["message_id"], time.monotonic(), text, _buttons(message)]
                self.feed.append(entry)
                self._arrived.set()
                self._arrived = asyncio.Event()
            return message

        get_updates = methods.METHODS["getUpdates"]

        async def timed_get_updates(state: SandboxState, params: Params) -> object:
            # The call log stamps a call when it is answered, a long poll up to `timeout` later.
            self.polls.append(time.time())
            return await get_updates(state, params)

        # This process is a benchmark's own emulator: patching its method table touches no one.
        methods.METHODS["getUpdates"] = timed_get_updates
        # Instance attributes shadow the methods: every caller inside the emulator goes through
        # the timed versions, and the emulator's own code is left as it ships.
        state.enqueue = timed_enqueue  # type: ignore[method-assign]
        state.add_message = timed_add_message  # type: ignore[method-assign]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.updates.clear()
        self.feed.clear()
        self.polls.clear()

    async def wait_feed(self, since: int, timeout: float) -> list[list[Any]]:  # noqa: ASYNC109
        """Feed entries from `since`, waiting up to `timeout` s for the first one."""
        if len(self.feed) <= since and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        return self.feed[since:]


def add_bench_routes(app: web.Application, emu: BotApiEmulator, timeline: Timeline) -> None:
    """Mount `/_bench/...` beside the emulator's own routes."""

    async def feed(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        entries = await timeline.wait_feed(since, float(request.query.get("timeout", "1")))
        return web.json_response({"next": since + len(entries), "messages": entries})

    async def get_timeline(request: web.Request) -> web.Response:
        bot_messages = [[chat, t] for chat, _id, t, _text, _buttons in timeline.feed]
        return web.json_response(
            {
                "updates": timeline.updates,
                "bot_messages": bot_messages,
                "polls": timeline.polls,
                "now": time.monotonic(),
            }
        )

    async def reset(request: web.Request) -> web.Response:
        emu.reset()
        emu.require_start = False
        timeline.clear()
        return web.json_response({"ok": True})

    app.router.add_get("/_bench/feed", feed)
    app.router.add_get("/_bench/timeline", get_timeline)
    app.router.add_post("/_bench/reset", reset)


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT or SIGTERM."""
    emu = BotApiEmulator(token=args.token, bot_username="homthu_bench_bot")
    emu.require_start = False
    timeline = Timeline(emu)
    # BotApiEmulator.start builds its aiohttp app inside; mount our routes on that same app.
    build_app = emu.api.build_app

    def build_with_bench_routes() -> web.Application:
        app = build_app()
        add_bench_routes(app, emu, timeline)
        return app

    emu.api.build_app = build_with_bench_routes  # type: ignore[method-assign]
    await emu.start(host="127.0.0.1", port=args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    partial = args.port_file.with_name(args.port_file.name + ".partial")
    partial.write_text(str(emu.port))
    partial.replace(args.port_file)
    try:
        await stop.wait()
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="123456:SANDBOX")
    parser.add_argument("--port-file", type=Path, required=True)
    # The stand-in for Telegram must not cap what it measures: it runs on the fastest loop there is.
    event_loop.run(serve(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
