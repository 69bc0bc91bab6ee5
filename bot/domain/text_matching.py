"""Matching Vietnamese text the way people type it: with or without diacritics, any case."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping


def fold(text: str) -> str:
    """Lower case without diacritics: "Đường Cháy" → "duong chay"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def has_phrase(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words, ignoring case and diacritics."""
    wanted = fold(phrase)
    if not wanted:
        return False
    return re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", fold(text)) is not None


def first_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The first of `phrases` that occurs in `text`, if any."""
    return next((phrase for phrase in phrases if has_phrase(text, phrase)), None)


def named_people(text: str, names: Mapping[str, str]) -> set[str]:
    """Ids of the people whose full name (two words or more) the text mentions."""
    return {
        person
        for person, name in names.items()
        if len(name.split()) >= 2 and has_phrase(text, name)
    }
