"""What a member types into /timkiem, read as words, and the excerpt shown for each case found.

Words are matched the way people type Vietnamese: without diacritics or case ("duong" finds
"Đường"), each as a whole word except the last, which may be the start of one ("duo" finds
"đường"), so results come while a word is half typed. Whatever else the query holds (quotes,
asterisks, parentheses, AND/OR/NEAR) is only text: it never becomes search syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.text_matching import fold

MAX_QUERY_CHARS = 100  # what a member may type
MAX_KEY_BYTES = 48  # the folded words travel in a button's data (64 bytes with the rest)
MAX_TERMS = 8
MIN_PREFIX = 3  # a shorter last word matches only whole words: "d*" would match nearly all

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    """The folded words to find, all of them, in any order; the last may be a word's start."""

    terms: tuple[str, ...]
    prefix_last: bool

    @property
    def key(self) -> str:
        """The words as one short ascii-friendly string (what a page button carries)."""
        return " ".join(self.terms)


class QueryError(ValueError):
    """A query that cannot be searched; `reason` is "empty" or "too_long"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def search_words(text: str) -> set[str]:
    """The distinct folded words of a text, as the search index splits them."""
    return set(_WORD.findall(fold(text)))


def parse_query(text: str) -> SearchQuery:
    """Read a member's query; raise QueryError when it has no word or is too long."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("too_long")
    terms = tuple(_WORD.findall(fold(text)))
    if not terms:
        raise QueryError("empty")
    if len(terms) > MAX_TERMS or len(" ".join(terms).encode()) > MAX_KEY_BYTES:
        raise QueryError("too_long")
    return SearchQuery(terms=terms, prefix_last=len(terms[-1]) >= MIN_PREFIX)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character, and for each folded character its index in `text`."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        base = unicodedata.normalize("NFD", char.replace("Đ", "D").replace("đ", "d"))
        for piece in base.casefold():
            if not unicodedata.combining(piece):
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


def excerpt(text: str, query: SearchQuery, width: int = 90) -> str:
    """About `width` characters of `text` around the first word the query matches, on one line."""
    flat = " ".join(text.split())
    folded, origin = _folded_with_positions(flat)
    start = len(flat)
    for i, term in enumerate(query.terms):
        whole = i < len(query.terms) - 1 or not query.prefix_last
        pattern = rf"(?<![^\W_]){re.escape(term)}" + (r"(?![^\W_])" if whole else "")
        found = re.search(pattern, folded)
        if found is not None:
            start = min(start, origin[found.start()])
    if start == len(flat):
        start = 0
    if len(flat) <= width:
        return flat
    begin = max(0, min(start - width // 3, len(flat) - width))
    if begin > 0:
        space = flat.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = begin + width
    if end < len(flat):
        space = flat.rfind(" ", begin, end)
        end = space if space > start else end
    head = "…" if begin > 0 else ""
    tail = "…" if end < len(flat) else ""
    return f"{head}{flat[begin:end].strip()}{tail}"
