"""The emulator's change signal: a waiter resumes when its condition holds, times out otherwise,
and a burst of changes costs one check of each waiter, not one wake-up per change."""

import asyncio

import pytest

from sandbox.changes import ChangeSignal


async def test_a_waiter_resumes_once_its_condition_holds() -> None:
    signal = ChangeSignal()
    box: list[int] = []
    waiting = asyncio.create_task(signal.wait_for(lambda: len(box) >= 2, 5))
    await asyncio.sleep(0)
    box.append(1)
    signal.notify()
    await asyncio.sleep(0.01)
    assert not waiting.done()
    box.append(2)
    signal.notify()
    assert await asyncio.wait_for(waiting, 1) is True


async def test_a_burst_of_changes_checks_each_waiter_once() -> None:
    signal = ChangeSignal()
    checks: list[int] = []

    def never() -> bool:
        checks.append(1)
        return False

    waiting = asyncio.create_task(signal.wait_for(never, 5))
    await asyncio.sleep(0)
    before = len(checks)
    for _ in range(50):
        signal.notify()
    await asyncio.sleep(0.01)
    assert len(checks) - before == 1
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting


async def test_a_wait_that_times_out_reports_false_and_leaves_no_waiter_behind() -> None:
    signal = ChangeSignal()
    assert await signal.wait_for(lambda: False, 0.05) is False
    assert await signal.wait_for(lambda: True, 0.05) is True
    signal.notify()  # nobody waits: nothing scheduled, nothing raised
    await asyncio.sleep(0)


async def test_a_condition_that_raises_raises_in_the_waiter() -> None:
    signal = ChangeSignal()
    armed: list[bool] = []

    def condition() -> bool:
        if armed:
            raise LookupError("gone")
        return False

    waiting = asyncio.create_task(signal.wait_for(condition, 5))
    await asyncio.sleep(0)
    armed.append(True)
    signal.notify()
    with pytest.raises(LookupError):
        await asyncio.wait_for(waiting, 1)


def test_notifying_outside_a_running_loop_is_harmless() -> None:
    ChangeSignal().notify()
