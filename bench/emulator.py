"""`python -m bench.emulator`: the sandbox emulator with a timeline and the simulated people.

The same `BotApiEmulator` that `python -m sandbox` serves, plus routes that time everything
inside the emulator's own process, so that no clock is compared across processes, and that run
the simulated people here too (`bench.people`), beside the emulator they act on:

- `POST /_bench/people` `{"people": [{"user_id", "name", "steps": [[action, value, expect]]}]}`
  adds these users and gets them ready; nobody acts yet.
- `POST /_bench/run` `{"timeout": S, "rate": R or null}` runs them (everyone at once, or R
  updates/s overall) and answers, when all have finished or failed, with each one's outcome.
- `GET /_bench/timeline` returns when each update was queued and when each bot message arrived
  (monotonic seconds), from which the drivers compute update-to-answer latency, and when each
  getUpdates arrived (wall clock, to compare with a spawn time taken in another process).
- `GET /_bench/feed?since=N&timeout=S` long-polls for the bot's messages from position N.
- `POST /_bench/reset` forgets people, chats, calls and the timeline between two bots.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.people import (
    Crowd,
    LoadResult,
    Person,
    closed_loop,
    fixed_rate,
    inline_buttons,
    steps_from_json,
)
from bot import event_loop
from sandbox.emulator import BotApiEmulator
from sandbox.wire import Params

JsonDict = dict[str, Any]


def _chat_of(update: JsonDict) -> int | None:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["from"]["id"])
    return None


class Timeline:
    """Queued updates and delivered bot messages, stamped with this process's monotonic clock;
    each bot message is also handed to the simulated person whose chat it reached."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self.updates: list[list[Any]] = []  # [update_id, chat_id, kind, t]
        self.bot_messages: list[tuple[int, float, JsonDict]] = []  # (chat_id, t, live message)
        self.polls: list[float] = []  # wall-clock arrival of each getUpdates (for start-up)
        self.crowd = Crowd()
        self._arrived: asyncio.Future[None] | None = None  # only while a feed request waits
        bot_user = emu.bot_user
        bot_id = bot_user["id"]
        state = emu.state
        enqueue, add_message = state.enqueue, state.add_message
        updates, bot_messages, crowd = self.updates, self.bot_messages, self.crowd
        monotonic = time.monotonic

        def timed_enqueue(update: JsonDict) -> int:
            update_id = enqueue(update)
            kind = next((key for key in update if key != "update_id"), "")
            updates.append([update_id, _chat_of(update), kind, monotonic()])
            return update_id

        def timed_add_message(chat_id: int, sender: JsonDict, content: JsonDict) -> JsonDict:
            message = add_message(chat_id, sender, content)
            if sender is bot_user or sender.get("id") == bot_id:
                t = monotonic()
                bot_messages.append((chat_id, t, message))
                crowd.bot_message(chat_id, message, t)
                if self._arrived is not None:
                    if not self._arrived.done():
                        self._arrived.set_result(None)
                    self._arrived = None
            return message

        run = emu.api._run

        async def timed_run(method: str, params: Params) -> object:
            if method == "getUpdates":
                # The call log stamps a call when it is answered, a long poll up to `timeout`
                # later; this is when it arrived.
                self.polls.append(time.time())
            return await run(method, params)

        # Instance attributes shadow the methods: every caller inside this emulator goes through
        # the timed versions, and the emulator's own code (and any other emulator) is left as
        # it ships.
        emu.api._run = timed_run  # type: ignore[method-assign]
        state.enqueue = timed_enqueue  # type: ignore[method-assign]
        state.add_message = timed_add_message  # type: ignore[method-assign]

    def clear(self) -> None:
        """Forget everything recorded so far, and the simulated people."""
        self.updates.clear()
        self.bot_messages.clear()
        self.polls.clear()
        self.crowd.clear()

    def feed_entries(self, since: int) -> list[list[Any]]:
        """`[chat_id, message_id, t, text, buttons]` of the bot messages from position `since`
        (text and buttons as the message shows them now)."""
        entries = []
        for chat_id, t, message in self.bot_messages[since:]:
            text = str(message.get("text") or message.get("caption") or "")
            buttons = [
                [b.get("text", ""), b.get("callback_data", "")] for b in inline_buttons(message)
            ]
            entries.append([chat_id, message["message_id"], t, text, buttons])
        return entries

    async def wait_feed(self, since: int, timeout: float) -> list[list[Any]]:  # noqa: ASYNC109
        """Feed entries from `since`, waiting up to `timeout` s for the first one."""
        if len(self.bot_messages) <= since and timeout > 0:
            if self._arrived is None:
                self._arrived = asyncio.get_running_loop().create_future()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._arrived), timeout)
        return self.feed_entries(since)


class Driver:
    """The simulated people of the next run, made from `/_bench/people`."""

    def __init__(self, emu: BotApiEmulator, timeline: Timeline) -> None:
        self.emu = emu
        self.timeline = timeline
        self.people: list[Person] = []

    def prepare(self, body: JsonDict) -> int:
        """Add the users and get the people ready; how many."""
        self.people = []
        for raw in body["people"]:
            user_id = int(raw["user_id"])
            self.emu.add_user(user_id, str(raw.get("name") or f"Dân {user_id}"))
            self.people.append(Person(self.emu, user_id, steps_from_json(raw["steps"])))
        self.timeline.crowd.add(self.people)
        return len(self.people)

    async def run(self, timeout: float, rate: float | None) -> LoadResult:  # noqa: ASYNC109
        """Run the prepared people to the end."""
        people, self.people = self.people, []
        if rate:
            return await fixed_rate(people, rate, timeout)
        return await closed_loop(people, timeout)


def add_bench_routes(app: web.Application, emu: BotApiEmulator, timeline: Timeline) -> None:
    """Mount `/_bench/...` beside the emulator's own routes."""
    driver = Driver(emu, timeline)

    async def feed(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        entries = await timeline.wait_feed(since, float(request.query.get("timeout", "1")))
        return web.json_response({"next": since + len(entries), "messages": entries})

    async def get_timeline(request: web.Request) -> web.Response:
        bot_messages = [[chat, t] for chat, t, _message in timeline.bot_messages]
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

    async def people(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "people": driver.prepare(await request.json())})

    async def run(request: web.Request) -> web.Response:
        body = await request.json()
        rate = body.get("rate")
        result = await driver.run(float(body["timeout"]), float(rate) if rate else None)
        return web.json_response(result.to_json(), dumps=json.dumps)

    app.router.add_get("/_bench/feed", feed)
    app.router.add_get("/_bench/timeline", get_timeline)
    app.router.add_post("/_bench/reset", reset)
    app.router.add_post("/_bench/people", people)
    app.router.add_post("/_bench/run", run)


def bench_emulator(token: str) -> tuple[BotApiEmulator, Timeline]:
    """An emulator (not started yet) whose app will carry the `/_bench/` routes."""
    emu = BotApiEmulator(token=token, bot_username="homthu_bench_bot")
    emu.require_start = False
    timeline = Timeline(emu)
    # BotApiEmulator.start builds its aiohttp app inside; mount our routes on that same app.
    build_app = emu.api.build_app

    def build_with_bench_routes() -> web.Application:
        app = build_app()
        add_bench_routes(app, emu, timeline)
        return app

    emu.api.build_app = build_with_bench_routes  # type: ignore[method-assign]
    return emu, timeline


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT or SIGTERM."""
    emu, _timeline = bench_emulator(args.token)
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
