"""What meeting messages say and offer: the reminder (with its agenda link), the «Tham dự» /
«Vắng» buttons, and which notice an answer sends."""

from __future__ import annotations

from bot.config import MeetingConfig
from bot.domain.meetings import Answer, Occurrence
from bot.domain.outbound import Button
from bot.services.rendering import Renderer
from bot.texts.catalogue import Markup


def reminder_text(render: Renderer, meeting: MeetingConfig, occurrence: Occurrence) -> str:
    """Title, time, place and agenda link of an occurrence, asking for an answer."""
    return render.t(
        "meeting_reminder",
        title=meeting.title,
        when=render.datetime(occurrence.starts_at),
        place=meeting.place,
        agenda=agenda_line(render, meeting),
    )


def agenda_line(render: Renderer, meeting: MeetingConfig) -> Markup:
    """The agenda link's line (with its line break), or nothing."""
    if not meeting.agenda_url:
        return Markup("")
    return Markup(render.t("meeting_agenda_line", url=meeting.agenda_url) + "\n")


def rsvp_buttons(render: Renderer, occurrence_id: int) -> tuple[tuple[Button, ...], ...]:
    """«Tham dự» and «Vắng» under a reminder."""
    return (
        (
            Button(render.t("btn_meeting_yes"), f"g:yes:{occurrence_id}"),
            Button(render.t("btn_meeting_no"), f"g:no:{occurrence_id}"),
        ),
    )


def answered_text(answer: Answer) -> str:
    """The catalogue key of the notice an answer sends to the secretary and chair."""
    return "meeting_rsvp_yes" if answer is Answer.YES else "meeting_rsvp_no"
