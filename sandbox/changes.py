"""A change signal that synchronous code can fire and coroutines can wait on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class ChangeSignal:
    """Wakes the waiters whose condition a change of the emulator's state made true.

    An `asyncio.Condition` would need its lock held to notify, which the synchronous
    user-side helpers (`emu.send_text(...)`) cannot do. Each waiter registers its predicate;
    `notify()` only schedules one check of them all (on the next pass of the event loop, once
    the code that changed the state has finished), and a waiter is resumed only when its own
    predicate holds. A busy emulator changes many times per answer: waking every waiter on
    every change, only for most to wait again, would be its main cost.
    """

    def __init__(self) -> None:
        self._waiters: dict[asyncio.Future[bool], Callable[[], bool]] = {}
        self._check_scheduled = False

    def notify(self) -> None:
        """Have every waiter's predicate checked once the current callback has finished."""
        if self._check_scheduled or not self._waiters:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop runs: nobody waiting could be resumed now anyway
            return
        self._check_scheduled = True
        loop.call_soon(self._check)

    def _check(self) -> None:
        self._check_scheduled = False
        for future, predicate in list(self._waiters.items()):
            if future.done():
                continue
            try:
                holds = predicate()
            except Exception as error:  # the waiter's own error, raised in the waiter
                future.set_exception(error)
                continue
            if holds:
                future.set_result(True)

    async def wait_for(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until `predicate()` holds; return False if `seconds` pass first (None: wait forever)."""
        if predicate():
            return True
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiters[future] = predicate
        timer = None if seconds is None else loop.call_later(seconds, _time_up, future)
        try:
            if await future:
                return True
        finally:
            del self._waiters[future]
            if timer is not None:
                timer.cancel()
        return predicate()


def _time_up(future: asyncio.Future[bool]) -> None:
    if not future.done():
        future.set_result(False)
