"""/nhatky: the audit log for the chair, as recent lines in the chat and a spreadsheet."""

from __future__ import annotations

from datetime import date

from bot.domain.outbound import Outbound, Upload
from bot.domain.reports import parse_period
from bot.reporting.spreadsheet import XLSX_MIME, Table, xlsx_bytes
from bot.services.access import require_chair
from bot.services.turn import Turn

SHOWN_IN_CHAT = 20


async def show_audit(turn: Turn, args: str) -> None:
    """The period's audit lines (default this month): the latest in the chat, all in an XLSX."""
    chair = require_chair(turn)
    tz = turn.config.commune.tz
    today: date = turn.now.astimezone(tz).date()
    period = parse_period(args, today)
    start, end = period.utc_bounds(tz)
    entries = await turn.uow.audit_entries(start, end)
    await turn.uow.audit(chair.id, "audit_read", None, f"period={period.slug()}", turn.now)
    render = turn.render
    if not entries:
        turn.say("audit_empty", period=period.label())
        return
    lines = [render.t("audit_header", period=period.label(), total=len(entries))]
    for entry in entries[-SHOWN_IN_CHAT:]:
        lines.append(
            render.t(
                "audit_line",
                when=render.datetime(entry.at),
                actor=entry.actor,
                action=entry.action,
                code=entry.case_code or "",
                detail=entry.detail or "",
            )
        )
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines)))
    table = Table(
        title="Nhật ký",
        headers=("Thời điểm", "Người thực hiện", "Thao tác", "Mã phiếu", "Chi tiết"),
        rows=[
            (
                entry.at.astimezone(tz).replace(tzinfo=None),
                entry.actor,
                entry.action,
                entry.case_code or "",
                entry.detail or "",
            )
            for entry in entries
        ],
    )
    name = f"homthu-nhat-ky-{period.slug()}.xlsx"
    upload = Upload(name, XLSX_MIME, xlsx_bytes([table]))
    caption = render.t("audit_file_caption", period=period.label())
    turn.send(Outbound(chat=turn.chat, text=caption, upload=upload))
