"""A change signal that synchronous code can fire and coroutines can wait on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class ChangeSignal:
    """Wakes every waiter whenever the emulator's state changes.

    An `asyncio.Condition` would need its lock held to notify, which the synchronous
    user-side helpers (`emu.send_text(...)`) cannot do; swapping events needs no lock.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float | None) -> bool:
        """Wait until `predicate()` holds; return False if `seconds` pass first (None: wait forever)."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while not predicate():
            event = self._event
            if deadline is None:
                await event.wait()
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True
