"""Simulated people for the intake benchmark, run inside the emulator's own process.

A person acts through the emulator's user-side Python API (`send_text`, `press_button`: the
calls `/_ctl/text` and `/_ctl/press` make) and is woken directly when a bot message lands in
their chat, so the stand-in for Telegram spends its core on the bot's calls, not on HTTP
round trips with a driver process. Each person does one step at a time: one update queued per
action, the next action only after the bot's answer to the previous one reached their chat.

The benchmark process describes the people (`Step`s, as JSON) and reads back each one's
`Outcome`; `bench.emulator` runs them (`/_bench/people`, `/_bench/run`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sandbox.people import UserSide

JsonDict = dict[str, Any]
WATCHDOG_PERIOD = 0.5  # s between checks for people whose answer is overdue


@dataclass(frozen=True)
class Step:
    """One thing a person does ("say" a text or "press" a labelled button), and what the bot's
    answer to it contains."""

    action: str
    value: str
    expect: str


def inline_buttons(message: JsonDict) -> list[JsonDict]:
    """The inline keyboard's buttons of a stored message, row by row."""
    markup = message.get("reply_markup")
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard") or () for button in row]


def answers(message: JsonDict, marker: str) -> bool:
    """The message's text (or caption) contains `marker`, or a button carries it as its label."""
    text = message.get("text") or message.get("caption") or ""
    if marker in text:
        return True
    return any(button.get("text") == marker for button in inline_buttons(message))


@dataclass
class Outcome:
    """What became of one person: steps answered, when the last answer arrived, the failure."""

    user_id: int
    done: int = 0
    answered_at: float | None = None  # emulator monotonic time of the answer to the last step
    error: str | None = None


@dataclass
class LoadResult:
    """What the driver saw: who finished, who failed, and the injection schedule's lateness."""

    people: list[Outcome]
    lateness: list[float] = field(default_factory=list)  # fixed-rate mode: s behind schedule

    @property
    def finished(self) -> list[Outcome]:
        """People who got the answer to their last step."""
        return [p for p in self.people if p.answered_at is not None]

    @property
    def errors(self) -> list[str]:
        """The first few failures."""
        return [p.error for p in self.people if p.error][:5]

    def to_json(self) -> JsonDict:
        """For the answer to `/_bench/run`."""
        return {"people": [asdict(p) for p in self.people], "lateness": self.lateness}

    @classmethod
    def from_json(cls, body: JsonDict) -> LoadResult:
        """Read the answer of `/_bench/run`."""
        return cls([Outcome(**p) for p in body["people"]], [float(x) for x in body["lateness"]])


class Person:
    """One user in their private chat with the bot, acting through the emulator's Python API."""

    def __init__(self, emu: UserSide, user_id: int, steps: Sequence[Step]) -> None:
        self.emu = emu
        self.user_id = user_id
        self.steps = list(steps)
        self.outcome = Outcome(user_id)
        self.shown: list[JsonDict] = []  # the bot's messages in the chat, live, as a phone shows
        self.waiting_for: str | None = None  # the marker of the answer awaited
        self.acted_at = 0.0  # loop time of the last action (for the answer timeout)
        self.on_answer: Callable[[Person], None] = lambda person: None
        self.on_failure: Callable[[Person], None] = lambda person: None

    @property
    def finished(self) -> bool:
        """Every step answered, or failed."""
        return self.outcome.error is not None or self.outcome.done >= len(self.steps)

    def act(self, now: float) -> None:
        """Do the next step: queue exactly one update in the emulator."""
        step = self.steps[self.outcome.done]
        self.acted_at = now
        self.waiting_for = step.expect
        try:
            if step.action == "say":
                self.emu.send_text(self.user_id, step.value)
            else:
                message_id, data = self._button(step.value)
                self.emu.press_button(self.user_id, message_id, data)
        except (LookupError, ValueError) as exc:
            self.fail(f"{exc!r}")

    def _button(self, label: str) -> tuple[int, str]:
        for message in reversed(self.shown):
            for button in inline_buttons(message):
                if button.get("text") == label and "callback_data" in button:
                    return int(message["message_id"]), str(button["callback_data"])
        raise LookupError(f"user {self.user_id}: no button {label!r} shown")

    def receive(self, message: JsonDict, t: float) -> None:
        """A bot message landed in the chat (`t`: emulator monotonic time); called by the
        emulator while it stores the message, so the next action waits for `on_answer`."""
        self.shown.append(message)
        marker = self.waiting_for
        if marker is None or not answers(message, marker):
            return
        self.waiting_for = None
        self.outcome.done += 1
        if self.outcome.done == len(self.steps):
            self.outcome.answered_at = t
        self.on_answer(self)

    def fail(self, reason: str) -> None:
        """Give up: the step's answer never came, or the step could not be done."""
        if self.outcome.error is not None:
            return
        step = self.steps[self.outcome.done]
        self.outcome.error = (
            f"step {self.outcome.done + 1} ({step.action} {step.value!r}): {reason}"
        )
        self.waiting_for = None
        self.on_failure(self)


class Crowd:
    """People by chat, for the emulator to hand each bot message to the person it reached."""

    def __init__(self) -> None:
        self.by_chat: dict[int, Person] = {}

    def add(self, people: Sequence[Person]) -> None:
        """Watch these people's chats (a newer person of the same chat replaces the older)."""
        for person in people:
            self.by_chat[person.user_id] = person

    def clear(self) -> None:
        """Forget everyone."""
        self.by_chat.clear()

    def bot_message(self, chat_id: int, message: JsonDict, t: float) -> None:
        """Hand a bot message to the person whose chat it is, if the chat is watched."""
        person = self.by_chat.get(chat_id)
        if person is not None:
            person.receive(message, t)


class _Load:
    """The bookkeeping both load shapes share: who is still running, and the watchdog."""

    def __init__(self, people: Sequence[Person], timeout: float) -> None:
        self.loop = asyncio.get_running_loop()
        self.people = list(people)
        self.timeout = timeout
        self.remaining = sum(not person.finished for person in self.people)
        self.all_done = self.loop.create_future()
        for person in self.people:
            person.on_failure = self.ended
        if self.remaining == 0:
            self.all_done.set_result(None)

    def ended(self, person: Person) -> None:
        self.remaining -= 1
        if self.remaining == 0 and not self.all_done.done():
            self.all_done.set_result(None)

    async def watchdog(self) -> None:
        """Fail everyone whose answer is overdue; run until cancelled."""
        while True:
            await asyncio.sleep(min(WATCHDOG_PERIOD, self.timeout / 4))
            now = self.loop.time()
            for person in self.people:
                if person.waiting_for is not None and now - person.acted_at > self.timeout:
                    person.fail(
                        f"no answer containing {person.waiting_for!r} in {self.timeout:g} s"
                    )

    async def until_all_done(self) -> None:
        watchdog = asyncio.create_task(self.watchdog())
        try:
            await self.all_done
        finally:
            watchdog.cancel()
            await asyncio.gather(watchdog, return_exceptions=True)

    def result(self, lateness: list[float] | None = None) -> LoadResult:
        return LoadResult([person.outcome for person in self.people], lateness or [])


async def closed_loop(people: Sequence[Person], timeout: float) -> LoadResult:  # noqa: ASYNC109
    """Everyone at once, each person acting as soon as the bot answered their previous step.

    The next action is scheduled (`call_soon`), not made inside the bot's call that delivered
    the answer: that call finishes and is answered first, as when a person reads, then taps.
    """
    load = _Load(people, timeout)
    loop = load.loop

    def next_step(person: Person) -> None:
        if person.finished:
            load.ended(person)
        else:
            person.act(loop.time())

    def answered(person: Person) -> None:
        loop.call_soon(next_step, person)

    for person in load.people:
        person.on_answer = answered
        if not person.finished:
            loop.call_soon(person.act, loop.time())
    await load.until_all_done()
    return load.result()


async def fixed_rate(people: Sequence[Person], rate: float, timeout: float) -> LoadResult:  # noqa: ASYNC109
    """Inject updates at `rate` per second overall, each from a person whose last step was
    answered; a slot with nobody ready waits (and counts as lateness)."""
    load = _Load(people, timeout)
    loop = load.loop
    ready: deque[Person] = deque(person for person in load.people if not person.finished)
    wake: list[asyncio.Future[None]] = []

    def answered(person: Person) -> None:
        if person.finished:
            load.ended(person)
            return
        ready.append(person)
        if wake and not wake[0].done():
            wake[0].set_result(None)

    for person in load.people:
        person.on_answer = answered
    total = sum(len(p.steps) - p.outcome.done for p in load.people if not p.finished)
    lateness: list[float] = []
    watchdog = asyncio.create_task(load.watchdog())
    try:
        start = loop.time()
        for k in range(total):
            target = start + k / rate
            delay = target - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            while not ready:
                wake[:] = [loop.create_future()]
                try:
                    async with asyncio.timeout(timeout):
                        await wake[0]
                except TimeoutError:
                    break
            if not ready:
                break  # nobody got an answer for a whole timeout: the bot is stuck
            now = loop.time()
            lateness.append(max(0.0, now - target))
            ready.popleft().act(now)
        for person in ready:  # stopped early: those waiting to act will not
            person.fail("the load stopped before this step")
        ready.clear()
    finally:
        watchdog.cancel()
        await asyncio.gather(watchdog, return_exceptions=True)
    await load.until_all_done()
    return load.result(lateness)


def steps_from_json(raw: Sequence[Sequence[str]]) -> list[Step]:
    """`[[action, value, expect], ...]` as sent to `/_bench/people`."""
    return [Step(str(a), str(v), str(e)) for a, v, e in raw]


def steps_to_json(steps: Sequence[Step]) -> list[list[str]]:
    """The steps for `/_bench/people`."""
    return [[s.action, s.value, s.expect] for s in steps]
