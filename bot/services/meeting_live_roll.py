"""Each secretary's live attendance list of a meeting: one message per occurrence, kept current.

The list is first posted to a secretary with the first answer to the occurrence, or when they
ask for it (/diemdanh, «Điểm danh» in their private chat), which makes that newest message the
live one. Every later answer, move or cancel queues a message that replaces it (`REPLACES`):
the outbox edits the message already in the chat, or posts a new one if it cannot (never
delivered, deleted, too old). The outbox row now showing the list is recorded per secretary in
the transaction that queues it, so a restart loses nothing. A move or a cancel edits a list that
exists but never starts one. The summary before the meeting stays a message of its own: it is a
reminder, and an edit does not notify anyone.
"""

from __future__ import annotations

from bot.config import MeetingConfig
from bot.domain.meetings import Occurrence
from bot.domain.model import Member
from bot.domain.outbound import REPLACES, Outbound
from bot.services.meeting_attendance import roll_call_text
from bot.services.meetings import secretaries
from bot.services.turn import Turn


async def refresh_live_rolls(
    turn: Turn,
    occurrence: Occurrence,
    meeting: MeetingConfig,
    *,
    header: str = "",
    start: bool = True,
) -> None:
    """Show each reachable secretary the current list: in place of their live one, or posted
    anew if they have none yet and `start`; `header` (markup) goes above the list."""
    uow = turn.uow
    active = await uow.members.all_active()
    told = secretaries(active)
    if not told:
        return
    live = await uow.meetings.live_rolls(occurrence.id)
    text = header + await _list_text(turn, occurrence, meeting, active)
    messages: list[Outbound] = []
    owners: list[str] = []
    for secretary in told:
        previous = live.get(secretary.id)
        if previous is None and not start:
            continue
        assert secretary.chat is not None  # secretaries() keeps only reachable members
        extra = {} if previous is None else {REPLACES: previous}
        messages.append(
            Outbound(chat=secretary.chat, text=text, member_id=secretary.id, extra=extra)
        )
        owners.append(secretary.id)
    ids = await uow.enqueue(messages, turn.now)
    for member_id, outbox_id in zip(owners, ids, strict=True):
        await uow.meetings.set_live_roll(occurrence.id, member_id, outbox_id)


async def post_roll(turn: Turn, occurrence: Occurrence, meeting: MeetingConfig) -> None:
    """The list asked for by an organiser; a secretary's private copy becomes their live one."""
    uow = turn.uow
    active = await uow.members.all_active()
    message = Outbound(chat=turn.chat, text=await _list_text(turn, occurrence, meeting, active))
    member = turn.member
    keepers = {m.id for m in secretaries(active)}
    if member is None or member.chat != turn.chat or member.id not in keepers:
        turn.send(message)
        return
    # Queued now, not with the turn's replies: the live row needs its outbox id.
    (outbox_id,) = await uow.enqueue([message], turn.now)
    await uow.meetings.set_live_roll(occurrence.id, member.id, outbox_id)


async def _list_text(
    turn: Turn, occurrence: Occurrence, meeting: MeetingConfig, active: list[Member]
) -> str:
    answers = await turn.uow.meetings.answers(occurrence.id)
    members = {m.id: m for m in active}
    return roll_call_text(turn.render, meeting, occurrence, answers, members)
