"""Every catalogue key the code names literally exists, so a typo fails here and not in a chat."""

from __future__ import annotations

import re
from pathlib import Path

from bot.domain.lifecycle import Action
from bot.texts.catalogue import load_texts

BOT = Path(__file__).resolve().parents[2] / "bot"

_KEY = r'"([a-z][a-z0-9_]*)"'
KEY_USES = [
    # say("key"), t("key"), render.t("key"), Prompt("key"), UserError("key")
    re.compile(rf"\b(?:say|t|Prompt|UserError)\(\s*{_KEY}"),
    # turn.say("a" if cond else "b")
    re.compile(rf'\bsay\(\s*"[a-z0-9_]+"\s+if\s+[^"]+?\s+else\s+{_KEY}'),
    # Choice(..., key="btn_..."), title_key="...", and `title_key: str = "..."` defaults
    re.compile(rf"\b\w*key(?:\s*:\s*str)?\s*=\s*{_KEY}"),
    # render.say(chat, "key"), self._render.say(ChatRef(a, b), "key")
    re.compile(rf"\.say\(\s*[^,()\"]+(?:\([^()]*\))?\s*,\s*{_KEY}"),
    # render.long_text(chat, "key", ...), render.attachment(chat, case, a, "key")
    re.compile(rf"\b(?:long_text|attachment)\(\s*[^\"()]*?{_KEY}"),
    # _tell_colleagues(turn, member, case, "key")
    re.compile(rf"\b_tell_colleagues\([^\"()]*{_KEY}"),
]
# Case events are shown in the history as render.t(f"action_{event.action}").
ACTION_USES = [
    re.compile(rf"\b_record\([^\"()]*{_KEY}"),
    re.compile(rf"\bCaseEvent\(\s*[^,()]+,\s*{_KEY}"),
]


def _code_outside_the_catalogues() -> list[tuple[Path, str]]:
    return [
        (path, path.read_text(encoding="utf-8"))
        for path in sorted(BOT.rglob("*.py"))
        if BOT / "texts" not in path.parents
    ]


def _found(patterns: list[re.Pattern[str]]) -> dict[str, list[str]]:
    """Each key found, with where it was found."""
    keys: dict[str, list[str]] = {}
    for path, source in _code_outside_the_catalogues():
        for pattern in patterns:
            for match in pattern.finditer(source):
                line = source.count("\n", 0, match.start(1)) + 1
                keys.setdefault(match.group(1), []).append(f"{path.relative_to(BOT)}:{line}")
    return keys


def test_the_usage_scan_finds_the_keys_the_code_uses() -> None:
    # Guards the scan itself: if the patterns stopped matching, the next test would pass vacuously.
    found = _found(KEY_USES)
    assert len(found) >= 50
    assert {"welcome", "summary", "btn_cancel", "button_invalid", "receipt"} <= set(found)


def test_every_key_named_in_the_code_is_in_the_vietnamese_catalogue() -> None:
    texts = load_texts("vi")
    missing = {key: where for key, where in _found(KEY_USES).items() if not texts.has(key)}
    assert missing == {}


def test_every_recorded_case_action_has_a_history_sentence() -> None:
    texts = load_texts("vi")
    actions = _found(ACTION_USES)
    assert {"received", "followup", "resolved", "rated"} <= set(actions)
    missing = {a: where for a, where in actions.items() if not texts.has(f"action_{a}")}
    assert missing == {}


def test_every_lifecycle_action_has_a_history_sentence_in_both_languages() -> None:
    for locale in ("vi", "en"):
        texts = load_texts(locale)
        assert [a.value for a in Action if not texts.has(f"action_{a.value}")] == []
