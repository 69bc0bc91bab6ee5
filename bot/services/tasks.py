"""Conclusions become tasks (nhiệm vụ): an owner, a due day, the cases' reminders, «Đã xong».

The minute taker picks the owner with a button and types the due day ("20/12/2026", a day after
today). The owner gets the task in their private chat with «Đã xong»; the owner or a chair marks
it done, which cancels its remaining reminders. `/nhiemvu` lists open tasks: everyone's for the
chairs and the secretary, one's own for the other members.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.errors import UserError
from bot.domain.model import Member, Role
from bot.domain.outbound import Button, Outbound
from bot.domain.tasks import Conclusion, parse_due_day, plan_task_reminders
from bot.domain.working_days import local_day
from bot.services.access import require_member
from bot.services.deadlines import reminder_policy
from bot.services.minutes import ask_input, day_text, member_names, taker_conclusion
from bot.services.turn import Turn

log = logging.getLogger(__name__)

LIST_LIMIT = 20
SHOWN_CHARS = 200  # of a conclusion's text in a list line


def done_button(turn: Turn, conclusion_id: int) -> tuple[tuple[Button, ...], ...]:
    """«Đã xong» under a task."""
    return ((Button(turn.render.t("btn_task_done"), f"b:fin:{conclusion_id}"),),)


async def choose_owner(turn: Turn, conclusion_id: int) -> None:
    """«Giao nhiệm vụ»: the members to choose the owner from."""
    _member, conclusion, _title = await taker_conclusion(turn, conclusion_id)
    _refuse_if_task(conclusion)
    buttons = tuple(
        (Button(m.name, f"b:owner:{conclusion.id}:{m.id}"),)
        for m in await turn.uow.members.all_active()
    )
    turn.send(Outbound(chat=turn.chat, text=turn.render.t("task_pick_owner"), buttons=buttons))


async def set_owner(turn: Turn, conclusion_id: int, owner_id: str) -> None:
    """An owner pressed: the next text message is the due day."""
    _member, conclusion, _title = await taker_conclusion(turn, conclusion_id)
    _refuse_if_task(conclusion)
    owner = await _active_member(turn, owner_id)
    await ask_input(turn, "due", conclusion_id=conclusion.id, owner=owner.id)
    turn.say("task_due_prompt", member=owner.name, example=_example_day(turn))


async def set_due(turn: Turn, conclusion_id: int, owner_id: str, text: str) -> None:
    """The due day typed: the conclusion becomes a task, planned and told to its owner."""
    member, conclusion, title = await taker_conclusion(turn, conclusion_id)
    _refuse_if_task(conclusion)
    owner = await _active_member(turn, owner_id)
    tz = turn.config.commune.tz
    due_on = parse_due_day(text, local_day(turn.now, tz))
    if due_on is None:
        raise UserError("task_due_invalid", example=_example_day(turn))
    await turn.uow.dialogs.delete(turn.dialog_chat)
    if not await turn.uow.minutes.make_task(conclusion.id, owner.id, due_on):
        raise UserError("task_already")
    planned = plan_task_reminders(
        due_on, turn.now, reminder_policy(turn.config), tz=tz, calendar=turn.calendar
    )
    await turn.uow.task_reminders.schedule(conclusion.id, planned)
    detail = f"conclusion={conclusion.id} owner={owner.id} due={due_on.isoformat()}"
    await turn.uow.audit(member.id, "task_assigned", conclusion.case_id, detail, turn.now)
    due = day_text(due_on)
    turn.say("task_created", member=owner.name, due=due)
    if owner.chat is None or not owner.reachable:
        turn.say("task_owner_unreachable", member=owner.name)
        return
    notice = turn.render.t(
        "task_notice", title=title, text=conclusion.text, due=due, member=member.name
    )
    turn.send(
        Outbound(
            chat=owner.chat,
            text=notice,
            buttons=done_button(turn, conclusion.id),
            member_id=owner.id,
        )
    )
    log.info("task %s given to %s, due %s", conclusion.id, owner.id, due_on.isoformat())


async def mark_done(turn: Turn, conclusion_id: int) -> None:
    """«Đã xong»: its owner or a chair closes the task; its reminders stop."""
    member = require_member(turn)
    conclusion = await turn.uow.minutes.conclusion(conclusion_id)
    if conclusion is None or not conclusion.is_task:
        raise UserError("button_invalid")
    if member.id != conclusion.owner_member_id and not member.is_chair:
        raise UserError("task_not_yours")
    if not await turn.uow.minutes.mark_done(conclusion.id, member.id, turn.now):
        turn.say("task_already_done")
        return
    await turn.uow.task_reminders.cancel_open(conclusion.id, turn.now)
    detail = f"conclusion={conclusion.id}"
    await turn.uow.audit(member.id, "task_done", conclusion.case_id, detail, turn.now)
    turn.say("task_done_you", text=conclusion.text)
    told = {member.id}
    for other_id in (conclusion.created_by, conclusion.owner_member_id):
        other = await turn.uow.members.get(other_id or "")
        if other is None or other.id in told or other.chat is None or not other.reachable:
            continue
        told.add(other.id)
        turn.send(
            turn.render.say(
                other.chat, "task_done_notice", member=member.name, text=conclusion.text
            )
        )


# Open tasks read for the /quahan hint (more than any committee keeps open at once).
HINT_LIMIT = 500


async def list_tasks(turn: Turn, _args: str) -> None:
    """/nhiemvu: open tasks, earliest due day first, overdue ones marked."""
    member = require_member(turn)
    sees_all = member.is_chair or Role.SECRETARY in member.roles
    tasks = await turn.uow.minutes.open_tasks(None if sees_all else member.id, LIST_LIMIT)
    if not tasks:
        turn.say("tasks_none")
        return
    render = turn.render
    names = await member_names(turn)
    today = local_day(turn.now, turn.config.commune.tz)
    lines = [render.t("tasks_header", count=len(tasks))]
    buttons: list[tuple[Button, ...]] = []
    for number, task in enumerate(tasks, 1):
        assert task.due_on is not None and task.owner_member_id is not None  # open_tasks
        text = task.text if len(task.text) <= SHOWN_CHARS else task.text[:SHOWN_CHARS] + "…"
        lines.append(
            render.t(
                "tasks_line",
                number=number,
                text=text,
                member=names.get(task.owner_member_id, task.owner_member_id),
                due=day_text(task.due_on),
                late="⚠️ " if task.due_on < today else "",
            )
        )
        if member.id == task.owner_member_id or member.is_chair:
            label = render.t("btn_task_done_numbered", number=number)
            buttons.append((Button(label, f"b:fin:{task.id}"),))
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines), buttons=tuple(buttons)))


async def overdue_hint(turn: Turn) -> None:
    """Under /quahan: how many meeting tasks the member sees are past their due day."""
    member = require_member(turn)
    sees_all = member.is_chair or Role.SECRETARY in member.roles
    today = local_day(turn.now, turn.config.commune.tz)
    tasks = await turn.uow.minutes.open_tasks(None if sees_all else member.id, HINT_LIMIT)
    late = sum(1 for task in tasks if task.due_on is not None and task.due_on < today)
    if late:
        turn.say("tasks_overdue_hint", count=late)


def _refuse_if_task(conclusion: Conclusion) -> None:
    if conclusion.is_task:
        raise UserError("task_already")


async def _active_member(turn: Turn, member_id: str) -> Member:
    found = next((m for m in await turn.uow.members.all_active() if m.id == member_id), None)
    if found is None:
        raise UserError("button_invalid")
    return found


def _example_day(turn: Turn) -> str:
    return day_text(local_day(turn.now, turn.config.commune.tz) + timedelta(days=14))
