"""Full-text search over case threads (FTS5 table `case_search`, migration 0013_case_search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from sqlite3 import Row

from bot.domain.model import CaseKind
from bot.domain.ports import SearchHit, SearchScope
from bot.domain.search_query import SearchQuery
from bot.storage.cases import CASE_COLUMNS, case_from_row
from bot.storage.database import Tx

_FORMAL = (CaseKind.COMPLAINT.value, CaseKind.DENUNCIATION.value)
_COLUMNS = ", ".join(f"c.{column.strip()}" for column in CASE_COLUMNS.split(","))


MAX_EXPANSION = 64  # words a half-typed last word may stand for before FTS5's own prefix query


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(query: SearchQuery, completions: Sequence[str] | None = None) -> str:
    """The FTS5 MATCH text: every word a quoted string (never syntax), all of them required.

    A half-typed last word becomes an OR of the words it starts (`completions`), or FTS5's
    prefix query when there are too many of them to list.
    """
    quoted = [_quoted(term) for term in query.terms]
    if query.prefix_last:
        if completions is not None and len(completions) <= MAX_EXPANSION:
            quoted[-1] = "(" + " OR ".join(_quoted(word) for word in completions) + ")"
        else:
            quoted[-1] += "*"
    return " AND ".join(quoted)


def _visibility(scope: SearchScope) -> tuple[str, list[object]]:
    """The SQL condition on `c` for the cases this member may see (services/access.py's rule)."""
    hidden = "c.id NOT IN (SELECT case_id FROM case_exclusions WHERE member_id = ?)"
    if scope.all_fields:
        return hidden, [scope.member_id]
    seen = [
        f"c.field_id IN ({','.join('?' * len(scope.field_ids))})" if scope.field_ids else "0",
        "c.assignee_id = ?",
        "c.id IN (SELECT case_id FROM case_supporters WHERE member_id = ?)",
    ]
    params: list[object] = [*scope.field_ids, scope.member_id, scope.member_id]
    if scope.formal_route:
        seen.append(f"c.kind IN ({','.join('?' * len(_FORMAL))})")
        params.extend(_FORMAL)
    return f"({' OR '.join(seen)}) AND {hidden}", [*params, scope.member_id]


class SqliteCaseSearch:
    """Finds cases whose thread holds every word, newest match first."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx

    async def search(
        self, query: SearchQuery, scope: SearchScope, *, limit: int, offset: int = 0
    ) -> tuple[list[SearchHit], bool]:
        """One page of matching cases visible to the member, and whether more follow.

        Each case appears once, with its newest matching message. The FTS index is read newest
        first and stops once the page is full (CROSS JOIN keeps it the outer loop), so a common
        word costs no more than a rare one; no total is counted for the same reason. The last
        word is taken as the start of words only when it finds nothing whole, and then as an OR
        of the indexed words it starts (see migration 0013_case_search for why not FTS5's
        prefix query).
        """
        match = match_expression(replace(query, prefix_last=False))
        if query.prefix_last and not await self._rows(match, scope, 1):
            completions = await self._completions(query.terms[-1])
            if not completions:
                return [], False
            match = match_expression(query, completions)
        wanted = offset + limit + 1
        window = wanted * 4
        while True:
            rows = await self._rows(match, scope, window)
            hits: dict[int, SearchHit] = {}
            for row in rows:
                if row["id"] not in hits:
                    hits[row["id"]] = SearchHit(case=case_from_row(row), body=row["body"] or "")
            if len(hits) >= wanted or len(rows) < window:
                break
            window *= 4
        found = list(hits.values())
        return found[offset : offset + limit], len(found) > offset + limit

    async def _completions(self, start: str) -> list[str]:
        """Indexed words beginning with `start` (one more than MAX_EXPANSION at most)."""
        rows = await self._tx.fetch(
            "SELECT term FROM case_search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
            (start, start + "\U0010ffff", MAX_EXPANSION + 1),
        )
        return [row["term"] for row in rows]

    async def _rows(self, match: str, scope: SearchScope, limit: int) -> list[Row]:
        condition, params = _visibility(scope)
        return await self._tx.fetch(
            f"SELECT m.body, {_COLUMNS}"
            " FROM case_search s CROSS JOIN case_messages m ON m.id = s.rowid"
            " CROSS JOIN cases c ON c.id = m.case_id"
            f" WHERE case_search MATCH ? AND {condition}"
            " ORDER BY s.rowid DESC LIMIT ?",
            [match, *params, limit],
        )
