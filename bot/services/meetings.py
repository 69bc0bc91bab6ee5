"""The committee's meetings over time: store the coming occurrences, send the reminders due.

`bot.scheduler.next_occurrences` computes a recurrence; the metronome calls `MeetingSweeper.sweep`,
which first stores the next occurrences of every configured meeting and their reminder rows
(idempotent: a row exists once per attendee and moment), then sends what fell due through the
outbox, each row marked sent or skipped in the transaction that queues its message. The catch-up
rule after downtime is `bot.domain.meetings.catch_up`. An occurrence on a public holiday is
flagged to the secretary once, as soon as it is stored.

Occurrences of a meeting removed from the config, or no longer on its schedule, are retired when
the sweep plans: their pending reminders are skipped and /lichhop no longer shows them. An
occurrence moved from the chat is the chair's decision and is retired only with its meeting.
Each secretary gets one summary of the attendance `SUMMARY_BEFORE` the start, stored like a
reminder (sent or skipped once, in the transaction that queues it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config, MeetingConfig
from bot.domain.meetings import (
    MeetingReminder,
    Occurrence,
    Recurrence,
    Rsvp,
    catch_up,
    count_attendance,
    reminder_times,
)
from bot.domain.model import Member, Role
from bot.domain.outbound import Lane, Outbound, in_lane
from bot.domain.ports import Clock, Storage, UnitOfWork
from bot.domain.working_days import WorkingCalendar, local_day
from bot.services.briefing_pack import packs_with_reminders
from bot.services.meeting_attendance import roll_call_text
from bot.services.meeting_lookup import meeting_for
from bot.services.meeting_messages import reminder_text, rsvp_buttons
from bot.services.rendering import Renderer

log = logging.getLogger(__name__)

# Occurrences stored ahead per recurring meeting: the next one, and the one after for /lichhop.
AHEAD = 2
SWEEP_BATCH = 100
# The secretary's attendance summary goes this long before the start.
SUMMARY_BEFORE = timedelta(hours=1)

NextOccurrences = Callable[[Recurrence, datetime, int, ZoneInfo], list[datetime]]


def attendance_params(meeting: MeetingConfig, answers: Sequence[Rsvp]) -> dict[str, int]:
    """How many attend, are absent, have not answered (only current attendees count)."""
    counted = [a for a in answers if a.member_id in meeting.attendees]
    tally = count_attendance(counted, len(meeting.attendees))
    return {"attending": tally.attending, "absent": tally.absent, "waiting": tally.waiting}


def secretaries(members: Sequence[Member]) -> list[Member]:
    """Members with the secretary role whom the bot can reach."""
    return [m for m in members if Role.SECRETARY in m.roles and can_write(m)]


class MeetingSweeper:
    """Stores coming occurrences and sends the meeting reminders that fell due."""

    def __init__(
        self,
        storage: Storage,
        config: Config,
        render: Renderer,
        calendar: WorkingCalendar,
        clock: Clock,
        next_occurrences: NextOccurrences,
        *,
        batch: int = SWEEP_BATCH,
    ) -> None:
        self._storage = storage
        self._config = config
        self._render = render
        self._calendar = calendar
        self._clock = clock
        self._next = next_occurrences
        self._batch = batch

    async def sweep(self) -> int:
        """Plan ahead, flag holidays, send due reminders; returns how many reminders were sent."""
        async with self._storage.transaction() as uow:
            now = self._clock.now()
            await self.plan(uow, now)
            await self.retire_unscheduled(uow, now)
            await uow.enqueue(in_lane(await self._flag_holidays(uow, now), Lane.NOTICE), now)
            await uow.enqueue(in_lane(await self._summaries(uow, now), Lane.BULK), now)
        sent = 0
        while True:
            async with self._storage.transaction() as uow:
                now = self._clock.now()
                due = await uow.meetings.due(now, self._batch)
                out: list[Outbound] = []
                sent += await self._send(uow, due, now, out)
                await uow.enqueue(in_lane(out, Lane.BULK), now)
            if len({row.occurrence_id for row in due}) < self._batch:
                return sent

    async def plan(self, uow: UnitOfWork, now: datetime) -> int:
        """Store the next occurrences of every meeting and their reminders; how many rows are new."""
        tz = self._config.commune.tz
        added = 0
        for meeting in self._config.meetings:
            for starts_at in self._starts(meeting, now, tz):
                holiday = self._calendar.holiday_name(local_day(starts_at, tz))
                occurrence_id = await uow.meetings.add_occurrence(meeting.id, starts_at, holiday)
                occurrence = await uow.meetings.occurrence(occurrence_id)
                # A moved occurrence's reminders and summary were planned by the move, only
                # those still ahead: the notice of the move asked for an answer already.
                if occurrence is None or occurrence.cancelled or occurrence.moved:
                    continue
                added += await uow.meetings.plan_reminders(
                    occurrence_id,
                    meeting.attendees,
                    reminder_times(starts_at, meeting.remind_before),
                    reopen_after=now,
                )
                await plan_summary(uow, meeting, occurrence, again=False)
        return added

    async def retire_unscheduled(self, uow: UnitOfWork, now: datetime) -> int:
        """Retire the coming occurrences the config no longer schedules; returns how many."""
        tz = self._config.commune.tz
        expected: dict[str, set[datetime]] = {
            meeting.id: set(self._starts(meeting, now, tz)) for meeting in self._config.meetings
        }
        retired = 0
        for occurrence in await uow.meetings.configured_ahead(now):
            starts = expected.get(occurrence.meeting_id)
            if starts is not None and (occurrence.moved or occurrence.starts_at in starts):
                continue
            await uow.meetings.retire(occurrence.id, now)
            skipped = await uow.meetings.skip_pending(occurrence.id, now)
            retired += 1
            log.info(
                "meeting %s on %s is no longer in the config's schedule: retired,"
                " %d pending reminders skipped",
                occurrence.meeting_id,
                occurrence.starts_at.isoformat(),
                skipped,
            )
        return retired

    def _starts(self, meeting: MeetingConfig, now: datetime, tz: ZoneInfo) -> list[datetime]:
        """The coming starts of a meeting, as UTC instants."""
        rule = meeting.rule
        if rule is not None:
            return self._next(rule, now, AHEAD, tz)
        assert meeting.start is not None  # the config guarantees one or the other
        start = meeting.start.replace(tzinfo=tz).astimezone(UTC)
        return [start] if start > now else []

    async def _flag_holidays(self, uow: UnitOfWork, now: datetime) -> list[Outbound]:
        """Tell the secretaries, once, of each coming occurrence planned on a day off."""
        out: list[Outbound] = []
        told = secretaries(await uow.members.all_active())
        for occurrence in await uow.meetings.holidays_to_flag(now):
            meeting = await meeting_for(uow, self._config, occurrence)
            if meeting is None:
                continue
            text = self._render.t(
                "meeting_on_holiday",
                title=meeting.title,
                when=self._render.datetime(occurrence.starts_at),
                holiday=occurrence.holiday,
            )
            out.extend(Outbound(chat=m.chat, text=text, member_id=m.id) for m in told if m.chat)
            await uow.meetings.mark_holiday_flagged(occurrence.id, now)
            log.info(
                "meeting %s on %s falls on a holiday; told %s",
                meeting.id,
                occurrence.starts_at.isoformat(),
                ",".join(m.id for m in told) or "nobody (no secretary reachable)",
            )
        return out

    async def _summaries(self, uow: UnitOfWork, now: datetime) -> list[Outbound]:
        """Each secretary's attendance summary of the occurrences about to start, once."""
        out: list[Outbound] = []
        told = secretaries(await uow.members.all_active())
        for occurrence in await uow.meetings.summaries_due(now):
            meeting = await meeting_for(uow, self._config, occurrence)
            why = (
                "meeting_gone"
                if meeting is None
                else "meeting_started"
                if occurrence.starts_at <= now
                else "no_secretary_reachable"
                if not told
                else None
            )
            if meeting is None or why is not None:
                await uow.meetings.finish_summary(occurrence.id, now, sent=False)
                log.info(
                    "meeting summary of %s on %s skipped: %s",
                    occurrence.meeting_id,
                    occurrence.starts_at.isoformat(),
                    why,
                )
                continue
            members = {m.id: m for m in await uow.members.all_active()}
            body = roll_call_text(
                self._render,
                meeting,
                occurrence,
                await uow.meetings.answers(occurrence.id),
                members,
            )
            text = self._render.t("meeting_summary_header") + "\n" + body
            out.extend(Outbound(chat=m.chat, text=text, member_id=m.id) for m in told if m.chat)
            await uow.meetings.finish_summary(occurrence.id, now, sent=True)
            log.info(
                "meeting summary of %s sent to %s",
                occurrence.meeting_id,
                ",".join(m.id for m in told),
            )
        return out

    async def _send(
        self, uow: UnitOfWork, due: Sequence[MeetingReminder], now: datetime, out: list[Outbound]
    ) -> int:
        """Send or skip due reminders; returns how many were sent."""
        decision = catch_up(due, now)
        for row, reason in decision.skip:
            await uow.meetings.mark_skipped(row.id, now)
            log.info(
                "meeting reminder %s to %s (due %s) skipped: %s",
                row.id,
                row.member_id,
                row.due_at.isoformat(),
                reason,
            )
        sent = 0
        for row in decision.send:
            message = await self._reminder(uow, row)
            if message is None:
                await uow.meetings.mark_skipped(row.id, now)
                log.warning("meeting reminder %s: %s cannot be reached", row.id, row.member_id)
                continue
            out.append(message)
            await uow.meetings.mark_sent(row.id, now)
            log.info(
                "meeting reminder %s sent to %s (%s late)", row.id, row.member_id, now - row.due_at
            )
            sent += 1
        # Briefing pack (issue 4): with an occurrence's first and last reminders, once each.
        out += await packs_with_reminders(uow, self._config, self._render, decision.send, now)
        return sent

    async def _reminder(self, uow: UnitOfWork, row: MeetingReminder) -> Outbound | None:
        """The reminder to one attendee, or None if they cannot be reached."""
        member = await uow.members.get(row.member_id)
        occurrence = await uow.meetings.occurrence(row.occurrence_id)
        if member is None or not can_write(member) or occurrence is None:
            return None
        meeting = await meeting_for(uow, self._config, occurrence)
        if meeting is None:
            return None
        assert member.chat is not None  # can_write
        return Outbound(
            chat=member.chat,
            text=reminder_text(self._render, meeting, occurrence),
            buttons=rsvp_buttons(self._render, occurrence.id),
            member_id=member.id,
        )


async def plan_summary(
    uow: UnitOfWork, meeting: MeetingConfig, occurrence: Occurrence, *, again: bool
) -> None:
    """Arm the secretary's summary of an occurrence (only for meetings that remind anyone)."""
    if meeting.remind_before:
        await uow.meetings.plan_summary(
            occurrence.id, occurrence.starts_at - SUMMARY_BEFORE, again=again
        )


def can_write(member: Member) -> bool:
    """The bot can reach this member now."""
    return member.chat is not None and member.reachable
