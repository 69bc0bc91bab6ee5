"""The metronome: APScheduler wakes a sweep at a steady interval; the sweep reads what is due.

Nothing about *what* happens at a time lives here: reminders are rows in the database
(bot.services.deadlines), so a restart loses nothing and no job state needs persisting. This is
the only module that imports apscheduler (checked by tests/test_import_contract.py), so the
meetings' recurrences are computed here too (`next_occurrences`), with APScheduler's CronTrigger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# APScheduler 3 ships no type hints; this module is its only user, so the Any stays here.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from bot.domain.meetings import Recurrence, RecurrenceKind

log = logging.getLogger(__name__)

JOB_ID = "sweep"
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
# Days that every month has; a later `day` is the month's last day in shorter months.
_SAFE_DAYS = 28


class Metronome:
    """Calls `sweep` now and then every `every_seconds`, never two at once."""

    def __init__(self, sweep: Callable[[], Awaitable[int]], *, every_seconds: float = 60) -> None:
        if every_seconds <= 0:
            raise ValueError(f"every_seconds must be positive, got {every_seconds}")
        self._sweep = sweep
        self._every = every_seconds
        # Serialises scheduled ticks with sweep_now() and lets stop() wait for a sweep in flight.
        self._busy = asyncio.Lock()
        self._stopping = False
        # UTC, so APScheduler never consults the host's local zone (tzlocal).
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        # "Running job … executed successfully" every minute is noise in the operator's log.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)

    @property
    def running(self) -> bool:
        """Whether the scheduler is ticking."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Start ticking, with a first sweep right away: catch-up after downtime."""
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self._every, timezone=UTC),
            id=JOB_ID,
            next_run_time=datetime.now(UTC),
            # APScheduler's default grace of 1 s silently drops a tick the loop was too busy to
            # start on time (ptb-notes pitfall 8): run late ticks, but only one of a backlog.
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )
        self._scheduler.start()
        log.info("metronome ticking every %s s", self._every)

    async def sweep_now(self) -> int:
        """Sweep at once (waiting for a sweep in flight); returns what the sweep returns."""
        async with self._busy:
            return await self._sweep()

    async def stop(self) -> None:
        """Stop ticking and wait for a sweep in flight to finish (it is never cut short)."""
        self._stopping = True
        if self._scheduler.running:
            self._scheduler.pause()
        async with self._busy:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)
                # AsyncIOScheduler shuts down on the loop's next turn; let it.
                await asyncio.sleep(0)

    async def _tick(self) -> None:
        """One scheduled sweep; a failure is logged and the next tick tries again."""
        async with self._busy:
            if self._stopping:
                return
            try:
                sent = await self._sweep()
            except Exception:
                log.exception("sweep failed; retrying at the next tick")
                return
        if sent:
            log.info("sweep sent %s reminders", sent)


def next_occurrences(rule: Recurrence, after: datetime, count: int, tz: ZoneInfo) -> list[datetime]:
    """The next `count` starts of `rule` strictly after `after`, as aware UTC instants.

    Local times in `tz`. A `day` of 29–31 is clamped to shorter months' last day (see
    bot.domain.meetings), computed from CronTrigger's "last" day and moved back where needed.
    """
    months = "*"
    if rule.kind is RecurrenceKind.QUARTERLY:
        first = rule.month_of_quarter
        months = ",".join(str(first + 3 * q) for q in range(4))
    clamp: int | None = None
    if rule.weekday is not None and rule.week is not None:
        day = f"{_ORDINALS[rule.week]} {rule.weekday}"
    elif rule.day is not None and rule.day > _SAFE_DAYS:
        day, clamp = "last", rule.day
    else:
        day = str(rule.day)
    trigger = CronTrigger(
        month=months, day=day, hour=rule.at.hour, minute=rule.at.minute, timezone=tz
    )
    found: list[datetime] = []
    # Month ends are searched from their last day, which may lie after a clamped start.
    cursor = after.astimezone(tz)
    while len(found) < count:
        fire: datetime | None = trigger.get_next_fire_time(None, cursor + timedelta(microseconds=1))
        if fire is None:  # a valid rule always fires again; never loop on a broken one
            break
        cursor = fire
        if clamp is not None:
            fire = fire.replace(day=min(clamp, fire.day))
        if fire > after:
            found.append(fire.astimezone(UTC))
    return found
