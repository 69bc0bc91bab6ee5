"""What each command does: one flat table, each entry one use case taking the command's text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.model import Role
from bot.domain.outbound import Outbound
from bot.services import (
    answer_templates,
    answering,
    audit_view,
    briefing_pack,
    citizen_feedback,
    intake,
    lookup,
    meeting_dialog,
    meeting_rsvp,
    membership,
    minutes,
    minutes_input,
    reports,
    search,
    tasks,
    worklists,
)
from bot.services.turn import Turn

CommandHandler = Callable[[Turn, str], Awaitable[None]]


async def start(turn: Turn, args: str) -> None:
    """/start (or /start inv_… from an invite link)."""
    if args and await membership.redeem(turn, args):
        return
    if turn.member is not None:
        turn.say("member_welcome", member=turn.member.name)
        turn.say("help_citizen")
        return
    await intake.welcome(turn)


async def submit(turn: Turn, _args: str) -> None:
    """/gopy."""
    await intake.begin_submission(turn)


async def cancel(turn: Turn, _args: str) -> None:
    """/huy: whatever is in progress, a member's input or a citizen's submission."""
    if not (
        await answering.cancel_input(turn)
        or await minutes_input.cancel_input(turn)
        or await meeting_dialog.cancel(turn)
        or await intake.cancel(turn)
    ):
        turn.say("nothing_to_cancel")


async def help_text(turn: Turn, _args: str) -> None:
    """/trogiup: the commands this person may use."""
    text = turn.render.t("help_citizen")
    if turn.member is not None:
        text += turn.render.t("help_member")
        if turn.member.is_chair:
            text += turn.render.t("help_chair")
        if turn.member.is_chair or Role.SECRETARY in turn.member.roles:
            text += turn.render.t("help_minutes")
        if meeting_rsvp.is_organiser(turn.member):
            text += turn.render.t("help_meetings_organiser")
    turn.send(Outbound(chat=turn.chat, text=text))


async def overdue(turn: Turn, args: str) -> None:
    """/quahan: overdue cases, then how many meeting tasks are overdue."""
    await worklists.list_command(turn, args, overdue=True)
    await tasks.overdue_hint(turn)


COMMANDS: dict[str, CommandHandler] = {
    "start": start,
    "gopy": submit,
    "huy": cancel,
    "trogiup": help_text,
    "tracuu": lookup.look_up,
    "rut": citizen_feedback.withdraw,
    "viec": worklists.list_command,
    "quahan": overdue,
    "moi": membership.invite,
    "tamdung": membership.deactivate,
    "kichhoat": membership.reactivate,
    "nhatky": audit_view.show_audit,
    "thongke": reports.send_statistics,
    "xuat": reports.send_export,
    "mau": answer_templates.manage,
    "lichhop": meeting_rsvp.list_meetings,
    "bienban": minutes.list_past,
    "nhiemvu": tasks.list_tasks,
    "timkiem": search.search_command,
    "baocaohop": briefing_pack.send_briefing,
    "diemdanh": meeting_rsvp.roll_call_command,
}


async def run(turn: Turn, name: str, args: str) -> None:
    """Run a command; an unknown one gets a polite answer and the current step again."""
    handler = COMMANDS.get(name)
    if handler is None:
        turn.say("unknown_command")
        await intake.show_current_step(turn)
        return
    await handler(turn, args)
