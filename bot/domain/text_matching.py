"""Matching Vietnamese text the way people type it: with or without diacritics, any case."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case without diacritics: "Đường Cháy" → "duong chay"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def has_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words, ignoring case and diacritics."""
    return _pattern(phrase) is not None and _found(fold(text), phrase)


def first_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The first of `phrases` that occurs in `text`, if any (the text is folded once)."""
    folded = fold(text)
    return next((phrase for phrase in phrases if _found(folded, phrase)), None)


def _found(folded_text: str, phrase: str) -> bool:
    pattern = _pattern(phrase)
    return pattern is not None and pattern.search(folded_text) is not None


@lru_cache(maxsize=1024)
def _pattern(phrase: str) -> re.Pattern[str] | None:
    """The whole-word pattern of a folded phrase (phrases come from the config: few, reused)."""
    wanted = fold(phrase)
    if not wanted:
        return None
    return re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")


def named_people(text: str, names: Mapping[str, str]) -> set[str]:
    """Ids of the people whose full name (two words or more) the text mentions."""
    return {
        person
        for person, name in names.items()
        if len(name.split()) >= 2 and has_phrase(text, name)
    }
