"""Who receives a case, and what happens when a member cannot be reached."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.config import Config
from bot.domain.model import Attachment, Case, ChatRef, Member, MessageKind
from bot.domain.outbound import TOPIC_FOR_CASE, TOPIC_NAME, Outbound
from bot.domain.ports import UnitOfWork
from bot.services.rendering import Renderer

log = logging.getLogger(__name__)


async def field_members(uow: UnitOfWork, config: Config, field_id: str) -> list[Member]:
    """The active members listed for a field."""
    field = config.find_field(field_id)
    wanted = set(field.members) if field is not None else set()
    return [m for m in await uow.members.all_active() if m.id in wanted]


async def chairs(uow: UnitOfWork) -> list[Member]:
    """Reachable chairs and deputies: the fallback for everything."""
    return [m for m in await uow.members.all_active() if m.is_chair and m.reachable]


@dataclass(frozen=True)
class Routing:
    """Who receives a case and the title of their notice (which says why it came to them)."""

    members: list[Member]
    title_key: str


async def recipients(uow: UnitOfWork, config: Config, case: Case) -> Routing:
    """Reachable members of the case's field; the chair when none of them can be reached.

    A case that names a committee member never reaches that member: it goes to the chair.
    """
    hidden = await uow.cases.excluded(case.id)
    leaders = [m for m in await chairs(uow) if m.id not in hidden]
    if hidden:
        if not leaders:
            log.warning("case %s names every reachable leader", case.id)
        return Routing(leaders, "title_conflict_case")
    reachable = [m for m in await field_members(uow, config, case.field_id) if m.reachable]
    if reachable:
        return Routing(reachable, "title_new_case")
    if not leaders:
        log.warning("case %s has no reachable recipient", case.id)
    return Routing(leaders, "title_rerouted_case")


async def case_content(uow: UnitOfWork, case: Case) -> tuple[str, list[Attachment]]:
    """The citizen's original text and attachments of a case."""
    messages = await uow.cases.messages(case.id)
    first = next((m for m in messages if m.kind is MessageKind.CITIZEN), None)
    if first is None:
        return "", []
    return first.body or "", list(first.attachments)


async def notify_members(
    uow: UnitOfWork,
    render: Renderer,
    case: Case,
    members: Sequence[Member],
    *,
    title_key: str = "title_new_case",
) -> list[Outbound]:
    """The case notices (card, overflow text, attachments) for each member."""
    text, attachments = await case_content(uow, case)
    out: list[Outbound] = []
    for member in members:
        if member.chat is None:
            continue
        out += render.case_notice(
            member.chat, member.id, case, text, attachments, title_key=title_key
        )
    return out


def committee_chat(config: Config) -> ChatRef | None:
    """The committee supergroup, when one is configured."""
    group = config.committee_group
    return ChatRef("telegram", str(group.chat_id)) if group.enabled else None


async def notify_committee_group(
    uow: UnitOfWork, render: Renderer, config: Config, case: Case
) -> list[Outbound]:
    """The case notice for the committee group, in the case's own topic when topics are on.

    The topic cannot be created here: Telegram names its thread id only when it creates it, and
    that must not happen inside this transaction (a rollback would strand an empty topic). The
    sender creates it on the first post and records it (see `TelegramSender`).
    A case that names a committee member is kept out of the group, where that member would read it.
    """
    chat = committee_chat(config)
    if chat is None or await uow.cases.excluded(case.id):
        return []
    text, attachments = await case_content(uow, case)
    notice = render.case_notice(chat, None, case, text, attachments)
    if not config.committee_group.topics:
        return notice
    topic = {TOPIC_FOR_CASE: case.id, TOPIC_NAME: render.topic_name(case)}
    return [replace(o, extra={**o.extra, **topic}) for o in notice]
