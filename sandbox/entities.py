"""Message entities Telegram detects in plain text, measured in UTF-16 code units."""

from __future__ import annotations

import re

from sandbox.wire import JsonDict

# Telegram marks a command only where a word starts: "/start", "/start@homthu_bot".
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[JsonDict]:
    """Return the bot_command and hashtag entities Telegram would attach to `text`."""
    found: list[JsonDict] = []
    for kind, pattern in (("bot_command", _COMMAND), ("hashtag", _HASHTAG)):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    return sorted(found, key=lambda entity: entity["offset"])
