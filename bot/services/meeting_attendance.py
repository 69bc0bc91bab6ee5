"""The attendance of one meeting in words: who attends, who is absent and why, who is silent.

Shown to the chair and the secretary on demand (/diemdanh, «Điểm danh») and sent to each
secretary once before the meeting (bot.services.meetings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.config import MeetingConfig
from bot.domain.meetings import Occurrence, Rsvp, roll_call
from bot.domain.model import Member
from bot.services.rendering import Renderer
from bot.texts.catalogue import Markup


def reason_label(render: Renderer, rsvp: Rsvp) -> str:
    """The member's own words with «Lý do khác», else the fixed reason's label."""
    if rsvp.note:
        return rsvp.note
    return render.t(f"btn_absence_{rsvp.reason}") if rsvp.reason else ""


def roll_call_text(
    render: Renderer,
    meeting: MeetingConfig,
    occurrence: Occurrence,
    answers: Sequence[Rsvp],
    members: Mapping[str, Member],
) -> str:
    """The attendance list of one occurrence (every parameter escaped by the catalogue)."""
    call = roll_call(meeting.attendees, answers)

    def name(member_id: str) -> str:
        member = members.get(member_id)
        return member.name if member else member_id

    none = render.t("roll_nobody")
    absent = [
        render.t("roll_absent_one", member=name(r.member_id), reason=reason_label(render, r))
        for r in call.absent
    ]
    return render.t(
        "roll_call",
        title=meeting.title,
        when=render.datetime(occurrence.starts_at),
        place=meeting.place,
        attending=len(call.attending),
        absent=len(call.absent),
        waiting=len(call.waiting),
        attending_names=", ".join(name(m) for m in call.attending) or none,
        absent_names=Markup("; ".join(absent)) if absent else none,
        waiting_names=", ".join(name(m) for m in call.waiting) or none,
    )
