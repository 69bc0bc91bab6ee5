"""The metronome: a sweep at start-up and then on its interval, never two at once, a clean stop."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.scheduler import Metronome


class Sweeps:
    """A sweep that counts its calls (failing the first `failing` of them)."""

    def __init__(self, failing: int = 0) -> None:
        self.count = 0
        self._failing = failing
        self._calls: asyncio.Queue[None] = asyncio.Queue()

    async def __call__(self) -> int:
        self.count += 1
        self._calls.put_nowait(None)
        if self.count <= self._failing:
            raise RuntimeError("database on fire")
        return 0

    async def wait(self, calls: int, timeout: float = 3.0) -> None:  # noqa: ASYNC109
        """Wait until the sweep has been called `calls` times in all."""
        async with asyncio.timeout(timeout):
            for _ in range(calls):
                await self._calls.get()


async def test_it_sweeps_at_start_and_then_on_its_interval_until_stopped() -> None:
    sweeps = Sweeps()
    metronome = Metronome(sweeps, every_seconds=0.05)
    metronome.start()
    await sweeps.wait(3)
    await metronome.stop()
    stopped_at = sweeps.count
    await asyncio.sleep(0.2)
    assert sweeps.count == stopped_at
    assert not metronome.running


async def test_the_first_sweep_does_not_wait_for_the_interval() -> None:
    sweeps = Sweeps()
    metronome = Metronome(sweeps, every_seconds=3600)
    metronome.start()
    try:
        await sweeps.wait(1, timeout=1.0)
    finally:
        await metronome.stop()


async def test_stop_waits_for_a_sweep_in_flight_and_sweep_now_never_overlaps_it() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    running, most = 0, 0

    async def sweep() -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        started.set()
        await release.wait()
        running -= 1
        return 1

    metronome = Metronome(sweep, every_seconds=3600)
    metronome.start()
    async with asyncio.timeout(2):
        await started.wait()
    extra = asyncio.create_task(metronome.sweep_now())
    stopping = asyncio.create_task(metronome.stop())
    await asyncio.sleep(0.05)
    assert not extra.done() and not stopping.done()  # both wait for the sweep in flight
    release.set()
    await stopping
    assert extra.done() and extra.result() == 1
    assert most == 1 and running == 0


async def test_a_failing_sweep_is_logged_and_the_next_tick_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.scheduler")
    sweeps = Sweeps(failing=1)
    metronome = Metronome(sweeps, every_seconds=0.05)
    metronome.start()
    try:
        await sweeps.wait(2)
    finally:
        await metronome.stop()
    assert "sweep failed" in caplog.text
