"""The mailbox's entry point: one inbound update, one transaction, every reply via the outbox."""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import replace

from bot.config import Config
from bot.domain.errors import UserError
from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import MediaInput, TextInput
from bot.domain.model import ChatRef, Member
from bot.domain.outbound import TOPIC_FOR_CASE, Lane, LinkRole, Outbound
from bot.domain.ports import Clock, Storage
from bot.domain.working_days import WorkingCalendar, load_vietnam_calendar
from bot.services import (
    answering,
    button_routes,
    casework,
    command_routes,
    intake,
    meeting_dialog,
    minutes_input,
)
from bot.services.followup import follow_up
from bot.services.rendering import Renderer
from bot.services.routing import chairs, committee_chat, field_members, notify_members
from bot.services.turn import Turn
from bot.services.urgency import react_if_urgent

log = logging.getLogger(__name__)


class Mailbox:
    """Handles every inbound event and delivery failure; the only door into the use cases."""

    def __init__(
        self,
        storage: Storage,
        config: Config,
        render: Renderer,
        clock: Clock,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self._storage = storage
        self._config = config
        self._render = render
        self._clock = clock
        self._flood = FloodGuard(config.limits.messages_per_minute)
        self.bot_username = ""  # the composition root sets it once Telegram has told us
        self._calendar = calendar or load_vietnam_calendar(
            config.calendar.extra_holidays, config.calendar.extra_working_days
        )

    async def sync_members(self) -> None:
        """Bring the stored roster in line with config (at start-up)."""
        roster = [
            Member(
                id=m.id,
                name=m.name,
                roles=m.roles,
                chat=ChatRef("telegram", str(m.telegram_id)) if m.telegram_id else None,
            )
            for m in self._config.members
        ]
        async with self._storage.transaction() as uow:
            await uow.members.sync(roster, self._clock.now())

    async def handle(self, inbound: Inbound) -> None:
        """Handle one update exactly once (a re-delivered update does nothing)."""
        now = self._clock.now()
        chat = inbound.sender.chat
        async with self._storage.transaction() as uow:
            if not await uow.claim_update(chat.channel, inbound.update_id, now):
                log.info("update %s already handled", inbound.update_id)
                return
            if inbound.from_group:
                # The group is the committee's own room: only configured members are heard.
                member = await uow.members.by_chat(ChatRef(chat.channel, inbound.sender.user_id))
                if member is None:
                    log.info("ignored an update from a non-member in the committee group")
                    return
            else:
                member = await uow.members.by_chat(chat)
            turn = Turn(
                uow, now, inbound.sender, member, self._config, self._render, self._calendar
            )
            turn.bot_username = self.bot_username
            turn.thread_id = inbound.thread_id
            verdict = self._flood.check(chat, time.monotonic()) if member is None else "ok"
            if verdict == "ok":
                try:
                    await self._route(turn, inbound)
                except UserError as refusal:
                    turn.say(refusal.key, **refusal.params)
            elif verdict == "warn":
                turn.say("flood")
            await uow.enqueue(_in_thread(turn.outgoing(), chat, inbound.thread_id), now)

    async def _route(self, turn: Turn, inbound: Inbound) -> None:
        # Writing in the group proves nothing about the member's private chat.
        if turn.member is not None and not turn.member.reachable and turn.thread_id is None:
            await turn.uow.members.set_reachable(turn.member.id, None, turn.now)
        action = inbound.action
        if isinstance(action, Command):
            await command_routes.run(turn, action.name, action.args)
        elif isinstance(action, ButtonPress):
            await button_routes.press(turn, action.data)
        else:
            await self._message(turn, action)

    async def _message(self, turn: Turn, message: Message) -> None:
        event = message.event
        if turn.member is not None:
            if await minutes_input.continue_input(turn, event):
                return
            if await meeting_dialog.take_text(turn, message):
                return
            pending = await answering.pending_input(turn)
            if pending is None and message.reply_to is not None:
                replied = await turn.uow.case_for_reply(turn.chat, message.reply_to)
                pending = ("answer", replied) if replied is not None else None
            if pending is None and turn.thread_id and isinstance(event, TextInput):
                # Said in a case's topic without answering: an internal note of that case.
                topic_case = await turn.uow.topics.case_in(turn.chat, turn.thread_id)
                pending = ("note", topic_case) if topic_case is not None else None
            if pending is not None:
                if not isinstance(event, TextInput):
                    raise UserError("answer_text_only")
                action, case_id = pending
                if action == "answer":
                    await answering.answer(turn, case_id, event.text)
                else:
                    await casework.complete_text(turn, action, case_id, event.text)
                return
            if turn.thread_id is not None:
                return  # the committee's own conversation in the group is not for the bot
        else:
            if isinstance(event, TextInput):
                await react_if_urgent(turn, event.text)
            elif isinstance(event, MediaInput) and event.attachment.caption:
                await react_if_urgent(turn, event.attachment.caption)
        if turn.member is None and message.reply_to is not None:
            about = await turn.uow.case_for_reply(turn.chat, message.reply_to)
            case = await turn.uow.cases.get(about) if about is not None else None
            if case is not None:
                await follow_up(turn, case, event)
                return
        draft = await intake.load_draft(turn)
        if draft is not None:
            await intake.continue_submission(turn, draft, event)
        elif turn.member is not None:
            turn.say("member_not_understood")
        else:
            turn.say("not_understood")

    async def apologise(self, channel: str, chat_id: str) -> None:
        """Something broke while handling this chat's update: say sorry (nothing was half-done)."""
        async with self._storage.transaction() as uow:
            apology = self._render.say(ChatRef(channel, chat_id), "error_apology")
            await uow.enqueue([replace(apology, lane=Lane.INTERACTIVE)], self._clock.now())

    async def handle_undeliverable(self, message: Outbound) -> None:
        """A chat refused our message: record it, tell the chair, re-route a stranded case."""
        now = self._clock.now()
        async with self._storage.transaction() as uow:
            if message.chat == committee_chat(self._config):
                log.warning("the committee group refused a message; check [committee_group]")
                return
            if message.member_id is None:
                await uow.citizens.mark_blocked(message.chat, now)
                return
            member = await uow.members.get(message.member_id)
            if member is None:
                return
            out: list[Outbound] = []
            if await uow.members.set_reachable(member.id, "blocked_or_not_started", now):
                log.warning("member %s is unreachable", member.id)
                for chair in await chairs(uow):
                    if chair.id != member.id and chair.chat is not None:
                        out.append(
                            self._render.say(chair.chat, "member_unreachable", member=member.name)
                        )
            stranded = message.case_id is not None and message.link_role is LinkRole.MEMBER_NOTICE
            if stranded and message.buttons and message.case_id is not None:
                case = await uow.cases.get(message.case_id)
                if case is not None:
                    colleagues = await field_members(uow, self._config, case.field_id)
                    if not any(m.reachable for m in colleagues):
                        fallback = [
                            c for c in await chairs(uow) if c.id not in {m.id for m in colleagues}
                        ]
                        out += await notify_members(
                            uow, self._render, case, fallback, title_key="title_rerouted_case"
                        )
            await uow.enqueue(out, now)


def _in_thread(out: list[Outbound], chat: ChatRef, thread_id: str | None) -> list[Outbound]:
    """Replies to someone in the committee group go to the topic they wrote in."""
    if not thread_id:
        return out
    return [
        replace(o, thread_id=thread_id)
        if o.chat == chat and o.thread_id is None and TOPIC_FOR_CASE not in o.extra
        else o
        for o in out
    ]


class FloodGuard:
    """Caps how many updates one chat may send per minute; warns once, then ignores the excess."""

    def __init__(self, per_minute: int) -> None:
        self._limit = per_minute
        self._seen: dict[ChatRef, deque[float]] = {}
        self._warned: set[ChatRef] = set()

    def check(self, chat: ChatRef, now: float) -> str:
        """'ok' to handle, 'warn' to answer with a polite warning, 'drop' to ignore."""
        window = self._seen.setdefault(chat, deque())
        while window and now - window[0] > 60:
            window.popleft()
        if len(window) < self._limit:
            window.append(now)
            self._warned.discard(chat)
            if len(self._seen) > 50_000:
                self._seen = {c: w for c, w in self._seen.items() if w and now - w[-1] <= 60}
            return "ok"
        if chat in self._warned:
            return "drop"
        self._warned.add(chat)
        return "warn"
