"""What each button does. Button data is untrusted: it is parsed strictly here and every action
re-checks who may do what in its own service."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.domain.errors import UserError
from bot.domain.intake_dialog import ButtonInput
from bot.domain.lifecycle import Action
from bot.services import (
    answer_templates,
    answering,
    casework,
    citizen_feedback,
    conclusion_relay,
    intake,
    meeting_changes,
    meeting_dialog,
    meeting_rsvp,
    minutes,
    search,
    tasks,
    worklists,
)
from bot.services.rendering import DIALOG_PREFIX
from bot.services.turn import Turn

CaseHandler = Callable[[Turn, int], Awaitable[None]]
CaseArgHandler = Callable[[Turn, int, str], Awaitable[None]]


def _simple(action: Action) -> CaseHandler:
    async def run(turn: Turn, case_id: int) -> None:
        await casework.simple(turn, action, case_id)

    return run


def _text(action: str) -> CaseHandler:
    async def run(turn: Turn, case_id: int) -> None:
        await casework.ask_text(turn, action, case_id)

    return run


def _choose(action: str) -> CaseHandler:
    async def run(turn: Turn, case_id: int) -> None:
        await casework.choose_member(turn, action, case_id)

    return run


def _give(action: str) -> CaseArgHandler:
    async def run(turn: Turn, case_id: int, member_id: str) -> None:
        await casework.give_to(turn, action, case_id, member_id)

    return run


# m:<verb>:<case id>
MEMBER_ACTIONS: dict[str, CaseHandler] = {
    "claim": answering.claim,
    "answer": answering.begin_answer,
    "history": answering.history,
    "menu": casework.menu,
    "card": worklists.card,
    "kind": casework.choose_kind,
    "start": _simple(Action.START),
    "close": _simple(Action.CLOSE),
    "reopen": _simple(Action.REOPEN),
    "note": _text("note"),
    "ask": _text("ask"),
    "merge": _text("merge"),
    "transfer": _text("transfer"),
    "reject": _text("reject"),
    "outcome": _text("outcome"),
    "assign": _choose("assign"),
    "handover": _choose("handover"),
    "support": casework.choose_supporter,
}
# m:<verb>:<case id>:<argument>
MEMBER_ARG_ACTIONS: dict[str, CaseArgHandler] = {
    "setkind": casework.set_kind,
    "assignto": _give("assignto"),
    "handto": _give("handto"),
    "tpl": answer_templates.answer_with,
    "supto": casework.add_supporter,
}
# c:<verb>:<case id>[:<argument>]
CITIZEN_ACTIONS: dict[str, CaseHandler] = {
    "ok": citizen_feedback.resolved,
    "notok": citizen_feedback.not_resolved,
}
CITIZEN_ARG_ACTIONS: dict[str, CaseArgHandler] = {"rate": citizen_feedback.rate}
# g:<verb>:<meeting occurrence id>[:<argument>]
MEETING_ACTIONS: dict[str, CaseHandler] = {
    "yes": meeting_rsvp.attend,
    "no": meeting_rsvp.ask_reason,
    "roll": meeting_rsvp.roll_call,
    "move": meeting_dialog.begin_move,
    "cancel": meeting_dialog.confirm_cancel,
    "cancelok": meeting_changes.cancel,
    # The creation flow's buttons carry 0: what they complete is the stored step.
    "new": meeting_dialog.begin_create,
    "noagenda": meeting_dialog.skip_agenda,
    "all": meeting_dialog.invite_all,
    "done": meeting_dialog.invite_picked,
}
MEETING_ARG_ACTIONS: dict[str, CaseArgHandler] = {
    "why": meeting_rsvp.absent,
    "pick": meeting_dialog.toggle_attendee,
}
# b:<verb>:<meeting occurrence or conclusion id>[:<member id>]: minutes (biên bản) and tasks
MINUTES_ACTIONS: dict[str, CaseHandler] = {
    "open": minutes.open_minutes,
    "att": minutes.show_attendance,
    "conf": minutes.confirm_attendance,
    "add": minutes.begin_conclusion,
    "task": tasks.choose_owner,
    "case": conclusion_relay.ask_case,
    "relay": conclusion_relay.relay,
    "fin": tasks.mark_done,
}
MINUTES_ARG_ACTIONS: dict[str, CaseArgHandler] = {
    "flip": minutes.flip_attendance,
    "owner": tasks.set_owner,
}


async def press(turn: Turn, data: str) -> None:
    """Route one button press."""
    if data.startswith(DIALOG_PREFIX):
        draft = await intake.load_draft(turn)
        if draft is None:
            turn.say("button_stale")
            return
        await intake.continue_submission(turn, draft, ButtonInput(data[len(DIALOG_PREFIX) :]))
        return
    parts = data.split(":")
    if len(parts) == 3 and parts[0] == "l":
        if parts[1].startswith(search.SCOPE_PREFIX):
            await search.search_page(turn, parts[1][len(search.SCOPE_PREFIX) :], _number(parts[2]))
            return
        await worklists.show_list(turn, parts[1], _number(parts[2]))
        return
    tables = {
        "m": (MEMBER_ACTIONS, MEMBER_ARG_ACTIONS),
        "c": (CITIZEN_ACTIONS, CITIZEN_ARG_ACTIONS),
        "g": (MEETING_ACTIONS, MEETING_ARG_ACTIONS),
        "b": (MINUTES_ACTIONS, MINUTES_ARG_ACTIONS),
    }
    if len(parts) not in (3, 4) or parts[0] not in tables:
        raise UserError("button_invalid")
    plain, with_arg = tables[parts[0]]
    case_id = _number(parts[2])
    if len(parts) == 3 and parts[1] in plain:
        await plain[parts[1]](turn, case_id)
    elif len(parts) == 4 and parts[1] in with_arg:
        await with_arg[parts[1]](turn, case_id, parts[3])
    else:
        raise UserError("button_invalid")


def _number(text: str) -> int:
    """Ids are ascii digits that fit SQLite's 64-bit integers; anything else is forged."""
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise UserError("button_invalid")
    return int(text)
