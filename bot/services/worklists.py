"""Members' views of the caseload: /viec (open work), /quahan (overdue), case cards."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.outbound import Button, Outbound
from bot.services.access import require_member, visible_case
from bot.services.routing import notify_members
from bot.services.turn import Turn

PAGE_SIZE = 5


async def show_list(turn: Turn, scope: str, page: int = 0) -> None:
    """One page of a worklist, oldest deadline first, with a button per case and paging."""
    member = require_member(turn)
    cfg = turn.config
    filters: dict[str, object] = {"hidden_from": member.id}
    if scope == "mine":
        filters["assignee_id"] = member.id
        title = turn.render.t("list_mine")
    elif scope == "over":
        filters["due_before"] = turn.now
        if not member.is_chair:
            filters["field_ids"] = [f.id for f in cfg.fields if member.id in f.members]
        title = turn.render.t("list_overdue")
    elif scope == "all" or scope.startswith(("f.", "m.")):
        if not member.is_chair:
            raise UserError("chair_only")
        title = turn.render.t("list_all")
        if scope.startswith("f."):
            field_id = scope[2:]
            if field_id not in {f.id for f in cfg.fields}:
                raise UserError("list_unknown_filter")
            filters["field_ids"] = [field_id]
            title = turn.render.t("list_field", field=turn.render.field_name(field_id))
        elif scope.startswith("m."):
            target = await turn.uow.members.get(scope[2:])
            if target is None:
                raise UserError("list_unknown_filter")
            filters["assignee_id"] = target.id
            title = turn.render.t("list_member", member=target.name)
    else:
        raise UserError("button_invalid")
    page = max(page, 0)
    cases, total = await turn.uow.cases.open_cases(
        limit=PAGE_SIZE,
        offset=page * PAGE_SIZE,
        **filters,  # type: ignore[arg-type]
    )
    render = turn.render
    if total == 0:
        turn.send(Outbound(chat=turn.chat, text=render.t("list_empty", title=title)))
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    lines = [render.t("list_header", title=title, total=total, page=page + 1, pages=pages)]
    for case in cases:
        overdue = case.due_at < turn.now
        lines.append(
            render.t(
                "list_line",
                code=case.code,
                field=render.field_name(case.field_id),
                state=render.state(case),
                due=render.date(case.due_at),
                late="⚠️ " if overdue else "",
            )
        )
    rows: list[tuple[Button, ...]] = [(Button(case.code, f"m:card:{case.id}"),) for case in cases]
    paging = []
    if page > 0:
        paging.append(Button(render.t("btn_prev"), f"l:{scope}:{page - 1}"))
    if page + 1 < pages:
        paging.append(Button(render.t("btn_next_page"), f"l:{scope}:{page + 1}"))
    if paging:
        rows.append(tuple(paging))
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines), buttons=tuple(rows)))


async def list_command(turn: Turn, args: str, *, overdue: bool = False) -> None:
    """/viec [member id | field id] and /quahan."""
    member = require_member(turn)
    if overdue:
        await show_list(turn, "over")
        return
    word = args.strip().lower()
    if not word:
        await show_list(turn, "all" if member.is_chair else "mine")
    elif word in {"toi", "tôi", "cua-toi"}:
        await show_list(turn, "mine")
    elif word in {f.id for f in turn.config.fields}:
        await show_list(turn, f"f.{word}")
    else:
        await show_list(turn, f"m.{word}")


async def card(turn: Turn, case_id: int) -> None:
    """The case card again, with its buttons (from a worklist)."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    if member.chat is None:
        return
    turn.send(*await notify_members(turn.uow, turn.render, case, [member]))
