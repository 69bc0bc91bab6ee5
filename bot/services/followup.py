"""A citizen replies to one of the bot's messages about a case: it is added and relayed."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.domain.intake_dialog import ContactInput, Event, MediaInput, TextInput, UnsupportedInput
from bot.domain.model import Case, CaseEvent, CaseState, MessageKind
from bot.domain.outbound import LinkRole
from bot.domain.working_days import extend_for_pause
from bot.services import transitions
from bot.services.deadlines import reschedule_case
from bot.services.routing import recipients
from bot.services.turn import Turn

log = logging.getLogger(__name__)

_CLOSED = frozenset({CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.REJECTED})


async def follow_up(turn: Turn, case: Case, event: Event) -> None:
    """Add the citizen's text or attachment to the case and tell whoever handles it."""
    if case.state in _CLOSED:
        turn.say("followup_closed", code=case.code)
        return
    if isinstance(event, UnsupportedInput | ContactInput):
        what = "contact" if isinstance(event, ContactInput) else event.what
        turn.say("unsupported_input", what=what)
        return
    uow, now, render = turn.uow, turn.now, turn.render
    text = event.text.strip() if isinstance(event, TextInput) else None
    limit = turn.config.limits.max_text_chars
    if isinstance(event, TextInput) and (not text or len(text) > limit):
        turn.say("content_too_long" if text else "content_blank", got=len(event.text), max=limit)
        return
    attachment = event.attachment if isinstance(event, MediaInput) else None
    await uow.cases.add_message(
        case.id, MessageKind.CITIZEN, text, None, [attachment] if attachment else [], now
    )
    await uow.cases.add_event(CaseEvent(case.id, "followup", "citizen", None, None, None, now))
    targets = []
    if case.assignee_id is not None:
        assignee = await uow.members.get(case.assignee_id)
        if assignee is not None and assignee.reachable:
            targets = [assignee]
    if not targets:
        targets = (await recipients(uow, turn.config, case)).members
    for member in targets:
        if member.chat is None:
            continue
        notices = []
        if text:
            notices += render.long_text(member.chat, "member_followup", text, code=case.code)
        if attachment:
            notices.append(
                render.attachment(member.chat, case, attachment, "member_followup_attachment")
            )
        for notice in notices:
            link = LinkRole.MEMBER_NOTICE
            turn.send(replace(notice, case_id=case.id, link_role=link, member_id=member.id))
    await resume_clock(turn, case)
    turn.say("followup_received", code=case.code)
    log.info("case %s follow-up relayed", case.id)


async def resume_clock(turn: Turn, case: Case) -> Case:
    """The citizen answered a member's question: the deadline moves by the days it waited."""
    if case.waiting_since is None:
        return case
    cfg, now = turn.config, turn.now
    field = cfg.find_field(case.field_id)
    kind = field.answer_day_kind if field is not None else "working"
    due = extend_for_pause(
        case.due_at, case.waiting_since, now, cfg.commune.tz, turn.calendar, kind
    )
    resumed = replace(case, due_at=due, waiting_since=None)
    await turn.uow.cases.update(resumed, now)
    await reschedule_case(turn.uow, cfg, turn.calendar, resumed, now)
    await turn.uow.audit("citizen", "clock_resumed", case.id, f"due={due.date().isoformat()}", now)
    await transitions.notify_handlers(turn, resumed, "clock_resumed")
    return resumed
