"""The briefing pack's figures in words: the chat message (HTML, within Telegram's limit) and the
chart, plus the wording the Word report shares (bot.services.briefing_report)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date, datetime
from typing import TypeVar

from bot.config import Config, MeetingConfig
from bot.domain.briefing import BriefingFigures, Tally
from bot.domain.meetings import Occurrence
from bot.reporting.chart import PALETTE, Series, grouped_bar_chart
from bot.services.rendering import Renderer, chunks
from bot.texts.catalogue import Texts

LIST_LIMIT = 10  # lines per list in the chat message; the Word report has them all
CONCLUSION_CHARS = 200  # a conclusion's text in the chat message
K = TypeVar("K")


class BriefingView:
    """The figures in words: the chat message (HTML) and the chart; shared by the report."""

    def __init__(
        self,
        render: Renderer,
        config: Config,
        meeting: MeetingConfig,
        occurrence: Occurrence,
        figures: BriefingFigures,
        names: Mapping[str, str],
        now: datetime,
    ) -> None:
        self.render = render
        self.config = config
        self.meeting = meeting
        self.occurrence = occurrence
        self.figures = figures
        self.names = names
        self.now = now
        self.tz = config.commune.tz

    def plain(self, key: str, **params: object) -> str:
        """A catalogue sentence as plain text (for the chart and the document)."""
        return html.unescape(self.render.t(key, **params))

    def owner(self, member_id: str | None, nobody: str = "briefing_owner_none") -> str:
        """Who has it, in words."""
        if member_id is None:
            return self.plain(nobody)
        return self.names.get(member_id, member_id)

    def village(self, village: str | None) -> str:
        """A village, or «Không nêu»."""
        return village if village is not None else self.plain("briefing_village_none")

    def days_late(self, due_at: datetime) -> int:
        """Whole local days between the deadline's day and today."""
        return (self.now.astimezone(self.tz).date() - due_at.astimezone(self.tz).date()).days

    def average(self) -> str:
        """The average score the locale's way (3,3 in Vietnamese), or «chưa có»."""
        average = self.figures.ratings.average
        if average is None:
            return self.plain("briefing_average_none")
        shown = f"{average:.1f}"
        return shown.replace(".", ",") if self.render.t.locale == "vi" else shown

    def conclusion_due(self, due_on: date | None) -> str:
        """A conclusion's due date, flagged when past."""
        if due_on is None:
            return self.plain("briefing_due_none")
        shown = f"{due_on:%d/%m/%Y}"
        if due_on < self.now.astimezone(self.tz).date():
            return self.plain("briefing_due_late", due=shown)
        return shown

    def tallies(self) -> list[tuple[str, list[tuple[str, Tally]]]]:
        """Each breakdown's title and its rows in words, largest first."""
        f = self.figures
        return [
            (
                self.plain("briefing_section_field"),
                [(self.render.field_name(k), v) for k, v in _largest_first(f.by_field)],
            ),
            (
                self.plain("briefing_section_village"),
                [(self.village(k), v) for k, v in _largest_first(f.by_village)],
            ),
            (
                self.plain("briefing_section_member"),
                [(self.owner(k), v) for k, v in _largest_first(f.by_member)],
            ),
        ]

    # The chat message ------------------------------------------------------------------------

    def message(self) -> list[str]:
        """The chat message in lines joined into pieces within Telegram's limit."""
        t, f = self.render.t, self.figures
        lines = [
            t(
                "briefing_title",
                title=self.meeting.title,
                when=self.render.datetime(self.occurrence.starts_at),
                place=self.meeting.place,
                since=self.render.datetime(f.since),
                until=self.render.datetime(f.until),
            ),
            t("briefing_heading", name=self.plain("briefing_section_totals")),
            t(
                "briefing_totals",
                received=f.total.received,
                answered=f.total.answered,
                overdue=f.total.overdue,
            ),
        ]
        for title, rows in self.tallies():
            if not rows:
                continue
            lines.append(t("briefing_heading", name=title))
            lines.append(t("briefing_tally_hint"))
            lines += _capped(
                [
                    t(
                        "briefing_tally",
                        name=n,
                        received=v.received,
                        answered=v.answered,
                        overdue=v.overdue,
                    )
                    for n, v in rows
                ],
                t,
            )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_overdue")))
        lines += _capped(
            [
                t(
                    "briefing_overdue_line",
                    code=c.code,
                    field=self.render.field_name(c.field_id),
                    village=self.village(c.village),
                    due=self.render.date(c.due_at),
                    days=self.days_late(c.due_at),
                    owner=self.owner(c.owner_id),
                )
                for c in f.overdue
            ],
            t,
        )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_ratings")))
        lines.append(
            t(
                "briefing_ratings",
                count=f.ratings.count,
                average=self.average(),
                resolved=f.ratings.resolved,
                unresolved=f.ratings.unresolved,
                reopened=len(f.reopened),
            )
        )
        if f.reopened:
            lines.append(t("briefing_heading", name=self.plain("briefing_section_reopened")))
            lines += _capped(
                [
                    t(
                        "briefing_reopened_line",
                        code=c.code,
                        field=self.render.field_name(c.field_id),
                        owner=self.owner(c.owner_id),
                    )
                    for c in f.reopened
                ],
                t,
            )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_conclusions")))
        lines += _capped(
            [
                t(
                    "briefing_conclusion_line",
                    text=_shorten(c.text, CONCLUSION_CHARS),
                    owner=self.owner(c.owner_id, "briefing_conclusion_owner_none"),
                    due=self.conclusion_due(c.due_on),
                )
                for c in f.conclusions
            ],
            t,
        )
        lines.append("\n" + t("briefing_files_follow"))
        return list(chunks(lines))

    # The chart -------------------------------------------------------------------------------

    def chart(self) -> bytes:
        """Received, answered and overdue per field, side by side."""
        rows = [(self.render.field_name(k), v) for k, v in _largest_first(self.figures.by_field)]
        # Fixed colours per measure, so every meeting's chart reads the same way.
        series = [
            Series(
                self.plain("briefing_chart_received"),
                tuple(v.received for _, v in rows),
                PALETTE[4],
            ),
            Series(
                self.plain("briefing_chart_answered"),
                tuple(v.answered for _, v in rows),
                PALETTE[2],
            ),
            Series(
                self.plain("briefing_chart_overdue"), tuple(v.overdue for _, v in rows), PALETTE[5]
            ),
        ]
        return grouped_bar_chart(
            title=self.plain(
                "briefing_chart_title",
                since=self.render.date(self.figures.since),
                until=self.render.date(self.figures.until),
            ),
            categories=[name for name, _ in rows],
            series=series,
            value_label=self.plain("briefing_chart_axis"),
            empty_text=self.plain("briefing_chart_empty"),
        )


def _largest_first(counts: Mapping[K, Tally]) -> list[tuple[K, Tally]]:
    return sorted(
        counts.items(),
        key=lambda kv: (-kv[1].received, -kv[1].overdue, kv[0] is None, str(kv[0])),
    )


def _capped(lines: list[str], t: Texts) -> list[str]:
    """At most LIST_LIMIT lines, then «… và N trường hợp khác»; «Không có.» when empty."""
    if not lines:
        return [t("briefing_none")]
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], t("briefing_more", count=len(lines) - LIST_LIMIT)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
