"""/timkiem: members find cases by words in their threads, among the cases they may see."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.model import Role
from bot.domain.outbound import Button, Outbound
from bot.domain.ports import SearchScope
from bot.domain.search_query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    QueryError,
    SearchQuery,
    excerpt,
    parse_query,
)
from bot.services.access import require_member
from bot.services.turn import Turn

PAGE_SIZE = 5
MAX_PAGE = 99  # deeper pages cost a longer walk of the index; nobody reads that far
SCOPE_PREFIX = "s."  # worklist button data: l:s.<folded words>:<page>


async def search_command(turn: Turn, args: str) -> None:
    """/timkiem <words>."""
    require_member(turn)
    await show_results(turn, _parse(args), 0)


async def search_page(turn: Turn, key: str, page: int) -> None:
    """Another page of results, from a page button (whose words are untrusted text too)."""
    require_member(turn)
    await show_results(turn, _parse(key), page)


def _parse(text: str) -> SearchQuery:
    try:
        return parse_query(text.strip())
    except QueryError as exc:
        if exc.reason == "empty":
            raise UserError("search_usage") from exc
        raise UserError("search_too_long", max=MAX_QUERY_CHARS, count=MAX_TERMS) from exc


async def show_results(turn: Turn, query: SearchQuery, page: int) -> None:
    """One page of matching cases: tracking code, field, state and where the words occur."""
    member = require_member(turn)
    page = min(max(page, 0), MAX_PAGE)
    scope = SearchScope(
        member_id=member.id,
        all_fields=member.is_chair,
        field_ids=tuple(f.id for f in turn.config.fields if member.id in f.members),
        formal_route=Role.RECEPTION in member.roles,
    )
    hits, more = await turn.uow.search.search(
        query, scope, limit=PAGE_SIZE, offset=page * PAGE_SIZE
    )
    render = turn.render
    # In the committee group everyone would read the results, also cases hidden from some of
    # them (those that name them): results go to the member's private chat instead.
    chat = turn.chat
    if turn.thread_id is not None and member.chat is not None:
        chat = member.chat
        turn.say("search_sent_privately")
    if not hits:
        key = "search_none" if page == 0 else "search_no_more"
        turn.send(Outbound(chat=chat, text=render.t(key, query=query.key)))
        return
    lines = [render.t("search_header", query=query.key, page=page + 1)]
    for hit in hits:
        lines.append(
            render.t(
                "search_line",
                code=hit.case.code,
                field=render.field_name(hit.case.field_id),
                state=render.state(hit.case),
                text=excerpt(hit.body, query),
            )
        )
    rows: list[tuple[Button, ...]] = [(Button(h.case.code, f"m:card:{h.case.id}"),) for h in hits]
    paging = []
    scope_data = f"{SCOPE_PREFIX}{query.key}"
    if page > 0:
        paging.append(Button(render.t("btn_prev"), f"l:{scope_data}:{page - 1}"))
    if more and page < MAX_PAGE:
        paging.append(Button(render.t("btn_next_page"), f"l:{scope_data}:{page + 1}"))
    if paging:
        rows.append(tuple(paging))
    turn.send(Outbound(chat=chat, text="\n".join(lines), buttons=tuple(rows)))
