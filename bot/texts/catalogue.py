"""Looks up user-facing sentences by key and fills them in, escaping every parameter."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

Entry = str | Callable[[Mapping[str, Any]], str]


class Markup(str):
    """Text that is already safe markup; the catalogue inserts it without escaping."""


def escape(value: Any) -> Any:
    """Escape text for Telegram's HTML parse mode; leave numbers, dates and markup as they are."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list | tuple):
        return type(value)(escape(item) for item in value)
    return value


class Texts:
    """One locale's catalogue of sentences."""

    def __init__(self, entries: Mapping[str, Entry], locale: str) -> None:
        self._entries = entries
        self.locale = locale

    def __call__(self, key: str, **params: Any) -> str:
        """The sentence `key` with its parameters escaped and filled in."""
        entry = self._entries[key]
        safe = {name: escape(value) for name, value in params.items()}
        if callable(entry):
            return entry(safe)
        return entry.format(**safe)

    def has(self, key: str) -> bool:
        """Whether the catalogue has `key`."""
        return key in self._entries

    def keys(self) -> set[str]:
        """Every key, for catalogue-completeness tests."""
        return set(self._entries)


def local_date(instant: datetime, tz: Any) -> str:
    """A date as Vietnamese officials write it: 27/11/2026."""
    return instant.astimezone(tz).strftime("%d/%m/%Y")


def local_datetime(instant: datetime, tz: Any) -> str:
    """Date and time: 27/11/2026 09:30."""
    return instant.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def load_texts(locale: str) -> Texts:
    """The catalogue for `locale` ("vi" or "en")."""
    if locale == "en":
        from bot.texts.en import ENTRIES as EN

        return Texts(EN, "en")
    from bot.texts.vi import ENTRIES as VI

    return Texts(VI, "vi")
