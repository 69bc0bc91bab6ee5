"""Reply markup: validation as Telegram does it, and lookups for pressing buttons."""

from __future__ import annotations

from typing import Any

from sandbox.wire import JsonDict, bad_request

_INLINE_ACTIONS = frozenset({
    "callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "web_app", "login_url", "pay", "callback_game",
    "copy_text",
})  # fmt: skip
_MAX_CALLBACK_BYTES = 64


def _rows(markup: JsonDict, key: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return rows


def _check_inline_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if button.keys().isdisjoint(_INLINE_ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= _MAX_CALLBACK_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_keyboard_button(button: object) -> None:
    if isinstance(button, str):
        return
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse keyboard button: Text must be a String")


def check_reply_markup(markup: object) -> JsonDict | None:
    """Validate a reply_markup parameter; return it, or None when absent."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in _rows(markup, "inline_keyboard"):
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in markup:
        for row in _rows(markup, "keyboard"):
            for button in row:
                _check_keyboard_button(button)
    elif not markup.get("remove_keyboard") and not markup.get("force_reply"):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def is_inline(markup: JsonDict | None) -> bool:
    """Tell whether the markup is an inline keyboard (the only kind a Message echoes)."""
    return markup is not None and "inline_keyboard" in markup


def has_callback_button(markup: JsonDict | None, data: str) -> bool:
    """Tell whether an inline keyboard has a button carrying `data`."""
    if not is_inline(markup):
        return False
    assert markup is not None
    return any(
        isinstance(button, dict) and button.get("callback_data") == data
        for row in markup["inline_keyboard"]
        for button in row
    )


def keyboard_button(markup: JsonDict | None, text: str) -> JsonDict | None:
    """Find the reply-keyboard button labelled `text`, as a dict."""
    if markup is None or "keyboard" not in markup:
        return None
    for row in markup["keyboard"]:
        for button in row:
            as_dict = {"text": button} if isinstance(button, str) else button
            if as_dict.get("text") == text:
                return dict(as_dict)
    return None
