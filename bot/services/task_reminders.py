"""Meeting tasks over time: the owner is reminded before and on the due day, the chairs hear of
an overdue one.

The metronome calls `TaskSweeper.sweep`; what is due lives in `task_reminders` rows, each sent or
skipped in the transaction that queues its messages, so a restart neither repeats nor loses one.
The catch-up rule after downtime is the cases' (`bot.domain.tasks.task_catch_up`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import groupby

from bot.config import Config
from bot.domain.model import Member
from bot.domain.outbound import Button, Lane, Outbound, in_lane
from bot.domain.ports import Clock, Storage, UnitOfWork
from bot.domain.reminders import ReminderKind
from bot.domain.tasks import Conclusion, TaskReminder, task_catch_up
from bot.domain.working_days import WorkingCalendar, local_day
from bot.services.rendering import Renderer
from bot.services.routing import chairs

log = logging.getLogger(__name__)

SWEEP_BATCH = 50  # tasks per transaction


class TaskSweeper:
    """Sends the task reminders and escalations that fell due."""

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
        self._batch = batch

    async def sweep(self) -> int:
        """Handle every due task reminder, one transaction per batch; how many were sent."""
        sent = 0
        while True:
            async with self._storage.transaction() as uow:
                now = self._clock.now()
                due = await uow.task_reminders.due(now, self._batch)
                out: list[Outbound] = []
                tasks = 0
                for conclusion_id, rows in groupby(due, key=lambda r: r.conclusion_id):
                    tasks += 1
                    sent += await self._sweep_task(uow, conclusion_id, list(rows), out)
                await uow.enqueue(in_lane(out, Lane.NOTICE), now)
            if tasks < self._batch:
                return sent

    async def _sweep_task(
        self,
        uow: UnitOfWork,
        conclusion_id: int,
        due: Sequence[TaskReminder],
        out: list[Outbound],
    ) -> int:
        """Send or skip one task's due reminders; returns how many were sent."""
        now = self._clock.now()
        task = await uow.minutes.conclusion(conclusion_id)
        if task is None or task.due_on is None:
            for row in due:
                await uow.task_reminders.mark_skipped(row.id, now)
            return 0
        decision = task_catch_up(
            due, done=task.done_at is not None, due_on=task.due_on, tz=self._render.tz, now=now
        )
        for row, reason in decision.skip:
            await uow.task_reminders.mark_skipped(row.id, now)
            log.info(
                "task reminder %s (%s) of task %s skipped: %s", row.id, row.kind, task.id, reason
            )
        sent = 0
        for row in decision.send:
            messages = await self._messages(uow, task, row)
            if not messages:
                await uow.task_reminders.mark_skipped(row.id, now)
                log.warning("task reminder %s of task %s: nobody to tell", row.id, task.id)
                continue
            out.extend(messages)
            await uow.task_reminders.mark_sent(row.id, now)
            told = ",".join(m.member_id or "" for m in messages)
            detail = f"conclusion={task.id} to={told}"
            await uow.audit("system", f"task_reminder_{row.kind.value}", task.case_id, detail, now)
            log.info(
                "task reminder %s (%s) of task %s sent (%s late)",
                row.id,
                row.kind,
                task.id,
                now - row.due_at,
            )
            sent += 1
        return sent

    async def _messages(
        self, uow: UnitOfWork, task: Conclusion, row: TaskReminder
    ) -> list[Outbound]:
        """The messages one reminder sends."""
        render = self._render
        assert task.due_on is not None and task.owner_member_id is not None  # a planned task
        owner = await uow.members.get(task.owner_member_id)
        due = task.due_on.strftime("%d/%m/%Y")
        if row.kind is ReminderKind.BEFORE:
            if owner is None or not _can_write(owner):
                return []
            today = local_day(self._clock.now(), render.tz)
            if today < task.due_on:
                # At least today itself is left, even when the due day is a day off.
                left = max(self._calendar.working_days_between(today, task.due_on), 1)
                text = render.t("task_reminder_before", text=task.text, due=due, days=left)
            else:
                text = render.t("task_reminder_due_today", text=task.text, due=due)
            return [self._to_owner(owner, task, text)]
        name = owner.name if owner is not None else task.owner_member_id
        escalation = render.t("task_escalation", text=task.text, due=due, member=name)
        out = [
            Outbound(chat=chair.chat, text=escalation, member_id=chair.id)
            for chair in await chairs(uow)
            if chair.chat is not None and _can_write(chair)
        ]
        if not out:
            log.warning("task %s is overdue and no chair can be told", task.id)
        if owner is not None and _can_write(owner) and owner.id not in {m.member_id for m in out}:
            out.append(
                self._to_owner(
                    owner, task, render.t("task_overdue_to_owner", text=task.text, due=due)
                )
            )
        return out

    def _to_owner(self, owner: Member, task: Conclusion, text: str) -> Outbound:
        """A message to the task's owner with «Đã xong» under it."""
        assert owner.chat is not None  # only owners who pass _can_write get here
        button = Button(self._render.t("btn_task_done"), f"b:fin:{task.id}")
        return Outbound(chat=owner.chat, text=text, buttons=((button,),), member_id=owner.id)


def _can_write(member: Member) -> bool:
    """The bot can reach this member now."""
    return member.chat is not None and member.reachable
