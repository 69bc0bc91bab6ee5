"""The committee's roster from the chat: invite links, deactivating and reactivating members."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from datetime import timedelta

from bot.domain.errors import UserError
from bot.domain.lifecycle import Action, plan
from bot.domain.model import Member
from bot.services import transitions
from bot.services.access import require_chair
from bot.services.routing import notify_members, recipients
from bot.services.turn import Turn

log = logging.getLogger(__name__)

INVITE_PREFIX = "inv_"
INVITE_DAYS = 7


async def invite(turn: Turn, args: str) -> None:
    """/moi MEMBER_ID: a one-time deep link that binds whoever opens it to that member."""
    chair = require_chair(turn)
    member = await _configured_member(turn, args)
    token = secrets.token_urlsafe(16)
    expires = turn.now + timedelta(days=INVITE_DAYS)
    await turn.uow.members.create_invite(token, member.id, chair.id, turn.now, expires)
    await turn.uow.audit(chair.id, "invite_created", None, f"member={member.id}", turn.now)
    link = f"https://t.me/{turn.bot_username}?start={INVITE_PREFIX}{token}"
    turn.say("invite_created", member=member.name, link=link, days=INVITE_DAYS)


async def redeem(turn: Turn, token: str) -> bool:
    """/start inv_…: bind this chat to the invited member; False if the token is not an invite."""
    if not token.startswith(INVITE_PREFIX):
        return False
    if turn.member is not None:
        turn.say("invite_already_member", member=turn.member.name)
        return True
    member_id = await turn.uow.members.redeem_invite(token[len(INVITE_PREFIX) :], turn.now)
    member = await turn.uow.members.get(member_id) if member_id else None
    if member is None:
        turn.say("invite_invalid")
        return True
    await turn.uow.members.bind_chat(member.id, turn.chat, turn.now)
    await turn.uow.audit(member.id, "invite_used", None, None, turn.now)
    turn.say("member_welcome", member=member.name)
    for chair in await turn.uow.members.all_active():
        if chair.is_chair and chair.chat is not None and chair.id != member.id:
            turn.send(turn.render.say(chair.chat, "invite_used_notice", member=member.name))
    return True


async def deactivate(turn: Turn, args: str) -> None:
    """/tamdung MEMBER_ID: the member stops receiving cases; their open cases return to the queue."""
    chair = require_chair(turn)
    member = await _configured_member(turn, args)
    if member.id == chair.id:
        raise UserError("deactivate_self")
    if not await turn.uow.members.set_deactivated(member.id, turn.now):
        turn.say("member_already", member=member.name)
        return
    await turn.uow.audit(chair.id, "member_deactivated", None, f"member={member.id}", turn.now)
    cases, _total = await turn.uow.cases.open_cases(assignee_id=member.id, limit=1000)
    for case in cases:
        transition = plan(Action.RELEASE, case, chair, in_field=True)
        released = await transitions.apply(turn, case, transition, actor=chair.id)
        released = replace(released, assignee_id=None)
        await turn.uow.cases.update(released, turn.now)
        routing = await recipients(turn.uow, turn.config, released)
        turn.send(
            *await notify_members(
                turn.uow, turn.render, released, routing.members, title_key="title_returned_case"
            )
        )
    turn.say("member_deactivated", member=member.name, count=len(cases))
    if member.chat is not None:
        turn.send(turn.render.say(member.chat, "you_were_deactivated"))


async def reactivate(turn: Turn, args: str) -> None:
    """/kichhoat MEMBER_ID: the member receives cases again."""
    chair = require_chair(turn)
    member = await _configured_member(turn, args, include_inactive=True)
    if not await turn.uow.members.set_deactivated(member.id, None):
        turn.say("member_already", member=member.name)
        return
    await turn.uow.audit(chair.id, "member_reactivated", None, f"member={member.id}", turn.now)
    turn.say("member_reactivated", member=member.name)


async def _configured_member(turn: Turn, args: str, *, include_inactive: bool = False) -> Member:
    member_id = args.strip().lower()
    if not member_id:
        raise UserError("member_id_usage")
    member = await turn.uow.members.get(member_id)
    active = {m.id for m in await turn.uow.members.all_active()}
    if member is None or (not include_inactive and member.id not in active):
        raise UserError("member_unknown", member=member_id)
    return member
