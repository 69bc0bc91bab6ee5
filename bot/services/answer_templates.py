"""Canned answers: the chair keeps them with /mau; a member sends one with a button.

A canned answer is sent through `answering.answer`, exactly like a typed one: the same checks,
state change, delivery to the citizen and audit line.
"""

from __future__ import annotations

import logging

from bot.config import MAX_FIELD_NAME_CHARS
from bot.domain.errors import UserError
from bot.domain.outbound import Outbound
from bot.domain.ports import AnswerTemplate
from bot.services import answering
from bot.services.access import require_chair, require_member, visible_case
from bot.services.turn import Turn

log = logging.getLogger(__name__)

ALL_FIELDS = "*"
PREVIEW_CHARS = 80
MESSAGE_CHARS = 3500  # under Telegram's 4096 once escaped and wrapped


async def manage(turn: Turn, args: str) -> None:
    """/mau, /mau them FIELD Title | Body, /mau xoa ID: the chair's canned answers."""
    require_chair(turn)
    verb, _, rest = args.strip().partition(" ")
    verb = verb.lower()
    if not verb:
        await show(turn)
    elif verb == "them":
        await add(turn, rest)
    elif verb == "xoa":
        await delete(turn, rest)
    else:
        turn.say("template_usage")


async def show(turn: Turn) -> None:
    """Every canned answer with its number, field and the start of its text."""
    templates = await turn.uow.templates.all()
    if not templates:
        turn.say("templates_empty")
        return
    render = turn.render
    lines = [render.t("templates_title", count=len(templates))]
    for template in templates:
        body = template.body.replace("\n", " ")
        if len(body) > PREVIEW_CHARS:
            body = body[: PREVIEW_CHARS - 1] + "…"
        lines.append(
            render.t(
                "template_line",
                id=template.id,
                field=_field_label(turn, template),
                title=template.title,
                body=body,
            )
        )
    message = ""
    for line in lines:
        if message and len(message) + len(line) + 1 > MESSAGE_CHARS:
            turn.send(Outbound(chat=turn.chat, text=message))
            message = ""
        message = f"{message}\n{line}" if message else line
    turn.send(Outbound(chat=turn.chat, text=message))


async def add(turn: Turn, args: str) -> None:
    """/mau them FIELD Title | Body: FIELD is a field id, or * for every field."""
    chair = require_chair(turn)
    field_word, _, rest = args.strip().partition(" ")
    title, bar, body = rest.partition("|")
    title = title.strip()
    if not field_word or not bar or not title:
        raise UserError("template_usage")
    field_id = None if field_word == ALL_FIELDS else field_word
    known = [f.id for f in turn.config.fields]
    if field_id is not None and field_id not in known:
        raise UserError("template_unknown_field", field=field_word, fields=", ".join(known))
    if len(title) > MAX_FIELD_NAME_CHARS:
        # The title becomes a button label, which a phone cuts off beyond this.
        raise UserError("template_title_too_long", max=MAX_FIELD_NAME_CHARS, got=len(title))
    text = answering.checked_text(turn, body)
    template = await turn.uow.templates.add(field_id, title, text, chair.id, turn.now)
    await turn.uow.audit(
        chair.id,
        "template_added",
        None,
        f"template={template.id} field={field_id or '*'}",
        turn.now,
    )
    turn.say("template_added", id=template.id, field=_field_label(turn, template), title=title)


async def delete(turn: Turn, args: str) -> None:
    """/mau xoa ID: the template is no longer offered (it stays on record)."""
    chair = require_chair(turn)
    word = args.strip().lstrip("#")
    template_id = int(word) if word.isascii() and word.isdigit() and len(word) <= 18 else None
    if template_id is None:
        raise UserError("template_usage")
    if not await turn.uow.templates.delete(template_id, turn.now):
        raise UserError("template_unknown", id=template_id)
    await turn.uow.audit(chair.id, "template_deleted", None, f"template={template_id}", turn.now)
    turn.say("template_deleted", id=template_id)


async def answer_with(turn: Turn, case_id: int, arg: str) -> None:
    """A canned-answer button under the answer prompt: send that template as the answer."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    if not (arg.isascii() and arg.isdigit() and len(arg) <= 18):
        raise UserError("button_invalid")
    template = await turn.uow.templates.get(int(arg))
    if template is None or template.field_id not in (None, case.field_id):
        raise UserError("template_unknown", id=int(arg))
    log.info("case %s answered with template %s", case.id, template.id)
    await answering.answer(turn, case.id, template.body)


def _field_label(turn: Turn, template: AnswerTemplate) -> str:
    if template.field_id is None:
        return turn.render.t("template_all_fields")
    return turn.render.field_name(template.field_id)
