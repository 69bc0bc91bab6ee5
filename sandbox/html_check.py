"""HTML parse mode: validate like Telegram, return what the user sees plus its entities.

Stricter than Telegram in one way on purpose: a bare `&` that starts no entity is refused,
so that a bot forgetting `html.escape()` fails in tests instead of in front of a citizen.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from sandbox.entities import utf16_len
from sandbox.wire import JsonDict, bad_request

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*>"
)
_ATTR = re.compile(r"([A-Za-z_:][-\w:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]+));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
    "pre": "pre", "blockquote": "blockquote", "a": "text_link", "tg-emoji": "custom_emoji",
}  # fmt: skip


class HtmlError(ValueError):
    """The text is not valid Telegram HTML."""


@dataclass
class _Open:
    name: str
    attrs: dict[str, str]
    offset: int
    children: list[str] = field(default_factory=list)


@dataclass
class ParsedHtml:
    """Visible text and the entities that format it."""

    text: str
    entities: list[JsonDict]


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _unescape(source: str, start: int, fragment: str) -> str:
    """Decode the entities in `fragment`, refusing bare ampersands."""
    out: list[str] = []
    pos = 0
    while (amp := fragment.find("&", pos)) != -1:
        out.append(fragment[pos:amp])
        match = _ENTITY.match(fragment, amp)
        decimal, hexa, named = match.groups() if match else (None, None, None)
        if match and (decimal or hexa):
            code = int(decimal, 10) if decimal else int(hexa or "0", 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                offset = _byte_offset(source, start + amp)
                raise HtmlError(f"Invalid character code at byte offset {offset}")
            out.append(chr(code))
        elif match and named in _NAMED:
            out.append(_NAMED[named])
        else:
            offset = _byte_offset(source, start + amp)
            raise HtmlError(f"Unsupported HTML entity or bare '&' at byte offset {offset}")
        pos = match.end() if match else amp + 1
    out.append(fragment[pos:])
    return "".join(out)


def _attributes(source: str, index: int, raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for name, value in _ATTR.findall(raw):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[name.lower()] = _unescape(source, index, value)
    return attrs


def _check_open(source: str, index: int, name: str, attrs: dict[str, str]) -> None:
    offset = _byte_offset(source, index)
    if name not in _SIMPLE_TYPES:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {offset}')
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise HtmlError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')


def _entity(tag: _Open, parent: _Open | None, end: int) -> JsonDict | None:
    length = end - tag.offset
    if length <= 0:
        return None
    kind = _SIMPLE_TYPES[tag.name]
    entity: JsonDict = {"type": kind, "offset": tag.offset, "length": length}
    if tag.name == "a":
        if not tag.attrs.get("href"):
            return None
        entity["url"] = tag.attrs["href"]
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "code" and parent is not None and parent.name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            parent.attrs["_language"] = language.removeprefix("language-")
            return None
    elif tag.name == "pre" and tag.attrs.get("_language"):
        entity["language"] = tag.attrs["_language"]
    return entity


def parse_html(source: str) -> ParsedHtml:
    """Validate `source` as Telegram HTML; return the visible text and entities."""
    text: list[str] = []
    entities: list[JsonDict] = []
    stack: list[_Open] = []
    position = 0
    units = 0
    while position < len(source):
        lt = source.find("<", position)
        chunk_end = len(source) if lt == -1 else lt
        if chunk_end > position:
            chunk = _unescape(source, position, source[position:chunk_end])
            text.append(chunk)
            units += utf16_len(chunk)
        if lt == -1:
            break
        match = _TAG.match(source, lt)
        if match is None:
            raise HtmlError(f"Unexpected '<' at byte offset {_byte_offset(source, lt)}")
        closing, name, raw_attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if not stack or stack[-1].name != name:
                expected = f', expected "</{stack[-1].name}>"' if stack else ""
                raise HtmlError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, lt)}"
                    f'{expected}, found "</{name}>"'
                )
            tag = stack.pop()
            made = _entity(tag, stack[-1] if stack else None, units)
            if made is not None:
                entities.append(made)
        else:
            attrs = _attributes(source, lt, raw_attrs)
            _check_open(source, lt, name, attrs)
            stack.append(_Open(name, attrs, units))
        position = match.end()
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return ParsedHtml("".join(text), entities)


# A bot sends the same prompts again and again: each distinct text is parsed once.
_parse_html_once = functools.lru_cache(maxsize=4096)(parse_html)


def parse_formatted(source: str, parse_mode: str | None) -> ParsedHtml:
    """Apply `parse_mode` (HTML validated; Markdown passed through) or answer 400."""
    if parse_mode is None or parse_mode == "":
        return ParsedHtml(source, [])
    mode = parse_mode.lower()
    if mode == "html":
        try:
            parsed = _parse_html_once(source)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        # Each caller gets entities of its own (they become part of a stored message).
        return ParsedHtml(parsed.text, [dict(entity) for entity in parsed.entities])
    if mode in ("markdown", "markdownv2"):
        return ParsedHtml(source, [])
    raise bad_request(f"unsupported parse_mode {parse_mode}")
