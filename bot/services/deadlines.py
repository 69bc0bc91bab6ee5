"""Deadlines over time: plan a case's reminders when it arrives, and send the ones that fell due.

The scheduler (bot/scheduler.py) only calls `DeadlineSweeper.sweep`; what is due lives in the
`case_reminders` rows, so a restart neither repeats nor loses a reminder. Each batch is one
transaction: the rows are marked sent or skipped together with the messages they queue in the
outbox, and the catch-up rule after downtime is `bot.domain.reminders.catch_up`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from itertools import groupby

from bot.config import Config
from bot.domain.model import OPEN_STATES, Case, Member
from bot.domain.outbound import Button, Lane, LinkRole, Outbound, in_lane
from bot.domain.ports import Clock, Storage, UnitOfWork
from bot.domain.reminders import (
    PlannedReminder,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    catch_up,
    next_progress_at,
    plan_reminders,
)
from bot.domain.working_days import WorkingCalendar, local_day
from bot.services.rendering import Renderer
from bot.services.routing import chairs, recipients

log = logging.getLogger(__name__)

# Cases per transaction: short transactions keep the one writer free for citizens' updates.
SWEEP_BATCH = 50


def reminder_policy(config: Config) -> ReminderPolicy:
    """The configured cadence of reminders, escalations and progress notes."""
    d = config.deadlines
    return ReminderPolicy(
        before_working_days=d.remind_before_working_days,
        at_hour=d.reminder_hour,
        escalate=d.escalate_when_overdue,
        progress_every_days=d.progress_note_every_days,
    )


async def schedule_for_new_case(
    uow: UnitOfWork, config: Config, calendar: WorkingCalendar, case: Case, now: datetime
) -> int:
    """Plan the reminders of a case that just arrived, in the transaction that creates it."""
    planned = plan_reminders(
        case.due_at, now, reminder_policy(config), tz=config.commune.tz, calendar=calendar
    )
    return await uow.reminders.schedule(case.id, planned)


async def reschedule_case(
    uow: UnitOfWork, config: Config, calendar: WorkingCalendar, case: Case, now: datetime
) -> int:
    """Plan a case's reminders again (its deadline moved, or it reopened); returns how many.

    Pending reminders are cancelled and the plan for `case.due_at` is stored afresh. A reminder
    already sent for the same moment is not sent again; a cancelled or skipped one (say, the
    escalation skipped while the case was answered) becomes pending again.
    """
    await uow.reminders.cancel_open(case.id, now)
    return await schedule_for_new_case(uow, config, calendar, case, now)


class DeadlineSweeper:
    """Sends the reminders, escalations and progress notes that fell due."""

    def __init__(
        self,
        storage: Storage,
        config: Config,
        render: Renderer,
        calendar: WorkingCalendar,
        clock: Clock,
        *,
        batch: int = SWEEP_BATCH,
    ) -> None:
        self._storage = storage
        self._config = config
        self._render = render
        self._calendar = calendar
        self._clock = clock
        self._policy = reminder_policy(config)
        self._batch = batch

    async def sweep(self) -> int:
        """Handle every due reminder, one transaction per batch of cases; how many were sent."""
        sent = 0
        while True:
            async with self._storage.transaction() as uow:
                now = self._clock.now()
                due = await uow.reminders.due(now, self._batch)
                out: list[Outbound] = []
                cases = 0
                for case_id, rows in groupby(due, key=lambda r: r.case_id):
                    cases += 1
                    sent += await self._sweep_case(uow, case_id, list(rows), now, out)
                await uow.enqueue(in_lane(out, Lane.NOTICE), now)
            if cases < self._batch:
                return sent

    async def _sweep_case(
        self,
        uow: UnitOfWork,
        case_id: int,
        due: Sequence[Reminder],
        now: datetime,
        out: list[Outbound],
    ) -> int:
        """Send or skip one case's due reminders; returns how many were sent."""
        case = await uow.cases.get(case_id)
        if case is None:  # cases are never deleted; still, never let one block the sweep
            for row in due:
                await uow.reminders.mark_skipped(row.id, now)
            return 0
        is_open = case.state in OPEN_STATES
        decision = catch_up(due, case_open=is_open, case_due_at=case.due_at, now=now)
        for row, reason in decision.skip:
            await uow.reminders.mark_skipped(row.id, now)
            log.info("reminder %s (%s) of case %s skipped: %s", row.id, row.kind, case_id, reason)
        sent = 0
        for row in decision.send:
            messages, told = await self._messages(uow, case, row, now)
            if not messages:
                await uow.reminders.mark_skipped(row.id, now)
                log.warning(
                    "reminder %s (%s) of case %s: nobody to tell", row.id, row.kind, case.id
                )
                continue
            out.extend(messages)
            await uow.reminders.mark_sent(row.id, now)
            detail = f"to={','.join(told)}"
            if row.days_before is not None:
                detail += f" days_before={row.days_before}"
            await uow.audit("system", f"reminder_{row.kind.value}", case.id, detail, now)
            late = now - row.due_at
            log.info("reminder %s (%s) of case %s sent (%s late)", row.id, row.kind, case.id, late)
            sent += 1
            if row.kind is ReminderKind.PROGRESS:
                await self._plan_next_progress(uow, case, row, now)
        return sent

    async def _messages(
        self, uow: UnitOfWork, case: Case, row: Reminder, now: datetime
    ) -> tuple[list[Outbound], list[str]]:
        """The messages one reminder sends, and who they go to (member ids or "citizen")."""
        if row.kind is ReminderKind.BEFORE:
            holders = await self._holders(uow, case)
            return [self._before(m, case, now) for m in holders], [m.id for m in holders]
        if row.kind is ReminderKind.OVERDUE:
            return await self._escalation(uow, case)
        chat = await uow.citizens.chat_of(await uow.cases.citizen_of(case.id))
        note = self._render.say(
            chat, "progress_to_citizen", code=case.code, due=self._render.date(case.due_at)
        )
        return [replace(note, case_id=case.id, link_role=LinkRole.CITIZEN_NOTICE)], ["citizen"]

    async def _holders(self, uow: UnitOfWork, case: Case) -> list[Member]:
        """Who works on the case: its holder, or (with none reachable) whoever received it."""
        hidden = await uow.cases.excluded(case.id)
        holder = next((m for m in await uow.members.all_active() if m.id == case.assignee_id), None)
        if holder is not None and holder.id not in hidden and _can_write(holder):
            return [holder]
        # The field's reachable members, or the chairs when none is (or the case names one).
        routing = await recipients(uow, self._config, case)
        return [m for m in routing.members if m.id not in hidden and _can_write(m)]

    def _before(self, member: Member, case: Case, now: datetime) -> Outbound:
        """A reminder ahead of the deadline, counted in working days left."""
        tz = self._render.tz
        left = self._calendar.working_days_between(local_day(now, tz), local_day(case.due_at, tz))
        if left > 0:
            text = self._render.t("reminder_before", days=left, **self._about(case))
        else:
            text = self._render.t("reminder_due_today", **self._about(case))
        return self._to_member(member, case, text)

    async def _escalation(self, uow: UnitOfWork, case: Case) -> tuple[list[Outbound], list[str]]:
        """The chairs hear the case is overdue; its holder hears that they were told."""
        render = self._render
        hidden = await uow.cases.excluded(case.id)
        leaders = [c for c in await chairs(uow) if c.id not in hidden and _can_write(c)]
        if not leaders:
            log.warning("case %s is overdue and no chair can be told", case.id)
        holder = await uow.members.get(case.assignee_id) if case.assignee_id else None
        params = self._about(case)
        handled_by = holder.name if holder is not None else render.t("escalation_no_holder")
        out = [
            self._to_member(
                chair,
                case,
                render.t(
                    "escalation_overdue", member=handled_by, state=render.state(case), **params
                ),
            )
            for chair in leaders
        ]
        told = [chair.id for chair in leaders]
        for member in await self._holders(uow, case):
            if member.id not in told:
                out.append(self._to_member(member, case, render.t("overdue_to_holder", **params)))
                told.append(member.id)
        return out, told

    def _about(self, case: Case) -> dict[str, str]:
        """What every reminder about a case says: its code, field and deadline."""
        render = self._render
        return {
            "code": case.code,
            "field": render.field_name(case.field_id),
            "due": render.date(case.due_at),
        }

    def _to_member(self, member: Member, case: Case, text: str) -> Outbound:
        """A message about a case with a button that opens its card.

        Not linked to the case: a member's reply to a reminder ("noted") must never reach the
        citizen as an answer. The card the button opens is the message to answer from.
        """
        assert member.chat is not None  # only members who pass _can_write get here
        button = Button(self._render.t("btn_open_case"), f"m:card:{case.id}")
        return Outbound(
            chat=member.chat, text=text, buttons=((button,),), case_id=case.id, member_id=member.id
        )

    async def _plan_next_progress(
        self, uow: UnitOfWork, case: Case, row: Reminder, now: datetime
    ) -> None:
        """Progress notes repeat on their cadence while the case stays open."""
        moment = next_progress_at(row.due_at, now, self._policy, self._config.commune.tz)
        if moment is not None:
            await uow.reminders.schedule(case.id, [PlannedReminder(ReminderKind.PROGRESS, moment)])


def _can_write(member: Member) -> bool:
    """The bot can reach this member now."""
    return member.chat is not None and member.reachable
