"""Simulated people for the intake benchmark: they talk to the bot only through the emulator's
control API (`/_ctl/text`, `/_ctl/press`) and read its answers from the bench feed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from sandbox.control_client import EmulatorControl

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as the bench feed reports it (t: emulator's monotonic clock)."""

    chat_id: int
    message_id: int
    t: float
    text: str
    buttons: tuple[tuple[str, str], ...]

    def matches(self, marker: str) -> bool:
        """The text contains `marker`, or a button carries it as its label."""
        return marker in self.text or any(label == marker for label, _ in self.buttons)


@dataclass(frozen=True)
class Step:
    """One thing a person does ("say" a text or "press" a labelled button), and what the bot's
    answer to it contains."""

    action: str
    value: str
    expect: str


class Feed:
    """Long-polls `/_bench/feed` and hands each bot message to its chat's inbox."""

    def __init__(self, session: aiohttp.ClientSession, root: str) -> None:
        self._session = session
        self._root = root
        self._next = 0
        self.inboxes: dict[int, asyncio.Queue[BotMessage]] = {}
        self._task: asyncio.Task[None] | None = None

    def inbox(self, chat_id: int) -> asyncio.Queue[BotMessage]:
        """The chat's queue of unread bot messages."""
        return self.inboxes.setdefault(chat_id, asyncio.Queue())

    def start(self, since: int = 0) -> None:
        """Begin routing messages from feed position `since`."""
        self._next = since
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        url = f"{self._root}/_bench/feed"
        while True:
            params = {"since": str(self._next), "timeout": "1"}
            async with self._session.get(url, params=params) as response:
                payload = json.loads(await response.read())
            self._next = int(payload["next"])
            for chat_id, message_id, t, text, buttons in payload["messages"]:
                message = BotMessage(
                    chat_id, message_id, t, text, tuple((b[0], b[1]) for b in buttons)
                )
                self.inbox(chat_id).put_nowait(message)


class Person:
    """One user in their private chat with the bot."""

    def __init__(self, control: EmulatorControl, feed: Feed, user_id: int, steps: Sequence[Step]):
        self.control = control
        self.user_id = user_id
        self.steps = list(steps)
        self.done = 0
        self.seen: list[BotMessage] = []
        self.answered_at: float | None = None  # emulator time of the answer to the last step
        self.error: str | None = None
        self._inbox = feed.inbox(user_id)

    async def act(self, step: Step) -> None:
        """Do one step through the control API."""
        if step.action == "say":
            await self.control.send_text(self.user_id, step.value, brief=True)
            return
        for message in reversed(self.seen):
            for label, data in message.buttons:
                if label == step.value:
                    await self.control.press_button(
                        self.user_id, message.message_id, data, brief=True
                    )
                    return
        raise LookupError(f"user {self.user_id}: no button {step.value!r} shown")

    async def expect(self, marker: str, timeout: float) -> BotMessage:  # noqa: ASYNC109
        """Read bot messages until one matches `marker`."""
        async with asyncio.timeout(timeout):
            while True:
                message = await self._inbox.get()
                self.seen.append(message)
                if message.matches(marker):
                    return message

    async def next_step(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Do the next step and wait for its answer; False once finished or failed."""
        if self.error is not None or self.done >= len(self.steps):
            return False
        step = self.steps[self.done]
        try:
            await self.act(step)
            answer = await self.expect(step.expect, timeout)
        except (TimeoutError, LookupError, aiohttp.ClientError) as exc:
            self.error = f"step {self.done + 1} ({step.action} {step.value!r}): {exc!r}"
            return False
        self.done += 1
        if self.done == len(self.steps):
            self.answered_at = answer.t
        return self.done < len(self.steps)

    async def run(self, timeout: float) -> None:  # noqa: ASYNC109
        """All steps, each after the previous one's answer."""
        while await self.next_step(timeout):
            pass


@dataclass
class LoadResult:
    """What the driver saw: who finished, who failed, and the injection schedule's lateness."""

    people: list[Person]
    lateness: list[float] = field(default_factory=list)  # fixed-rate mode: s behind schedule

    @property
    def finished(self) -> list[Person]:
        """People who got the answer to their last step."""
        return [p for p in self.people if p.answered_at is not None]

    @property
    def errors(self) -> list[str]:
        """The first few failures."""
        return [p.error for p in self.people if p.error][:5]


async def closed_loop(people: Sequence[Person], timeout: float) -> LoadResult:  # noqa: ASYNC109
    """Everyone at once, each person acting as soon as the bot answered their previous step."""
    await asyncio.gather(*(person.run(timeout) for person in people))
    return LoadResult(list(people))


async def fixed_rate(people: Sequence[Person], rate: float, timeout: float) -> LoadResult:  # noqa: ASYNC109
    """Inject updates at `rate` per second overall, each from a person whose last step was
    answered; a slot with nobody ready waits (and counts as lateness)."""
    ready: asyncio.Queue[Person] = asyncio.Queue()
    for person in people:
        ready.put_nowait(person)
    total = sum(len(p.steps) for p in people)
    loop = asyncio.get_running_loop()
    lateness: list[float] = []
    running: set[asyncio.Task[None]] = set()

    async def step(person: Person) -> None:
        if await person.next_step(timeout):
            ready.put_nowait(person)

    start = loop.time()
    for k in range(total):
        target = start + k / rate
        delay = target - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            async with asyncio.timeout(timeout):
                person = await ready.get()
        except TimeoutError:
            break  # nobody got an answer for a whole timeout: the bot is stuck
        lateness.append(max(0.0, loop.time() - target))
        task = asyncio.create_task(step(person))
        running.add(task)
        task.add_done_callback(running.discard)
    if running:
        await asyncio.gather(*running)
    return LoadResult(list(people), lateness)
