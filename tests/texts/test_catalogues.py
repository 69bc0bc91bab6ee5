"""The Vietnamese and English catalogues: same keys, same parameters, same markup, safe filling."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from string import Formatter
from typing import Any

import pytest

from bot.texts import en, vi
from bot.texts.catalogue import Entry, Markup, Texts, escape, load_texts

CATALOGUES = {"vi": vi.ENTRIES, "en": en.ENTRIES}

# Parameter values as services pass them. Callable entries branch on some of them, so each
# variant walks a different branch; together they reach every line.
FULL: dict[str, Any] = {
    "answers": [("27/11/2026 09:30", "Đã sửa đường.")],
    "anonymous": False,
    "attachments": 2,
    "body": "Nội dung trả lời",
    "code": "MT-261127-0042-K7",
    "commune": "xã Tân Lập",
    "contact": " (liên hệ: 0211 3868 123)",
    "controller": "Ủy ban nhân dân xã Tân Lập",
    "count": 3,
    "created": "27/11/2026 09:30",
    "days": 15,
    "due": "12/12/2026",
    "field": "Đất đai",
    "got": 4100,
    "handler": "thành viên phụ trách",
    "kind": "Phản ánh",
    "max": 20,
    "max_mb": 20,
    "member": "Nguyễn Văn An",
    "name": "Trần Thị Bình",
    "phone": "0912345678",
    "sender": "Trần Thị Bình",
    "state": "Đang xử lý",
    "text": "Đường thôn bị hỏng.",
    "title": "Phiếu góp ý mới",
    "version": "2026-01",
    "village": "Thôn Đông",
    "what": "sticker",
    "when": "27/11/2026",
    "who": "người dân",
    "period": "01/11/2026 – 30/11/2026",
    "value": "3,3",
    "hours": 4,
    "minutes": 30,
    "unit": "ngày làm việc",
    "score": 5,
    "target": "Lê Quang Minh",
    "total": 12,
    "page": 1,
    "pages": 3,
    "place": "Hội trường UBND xã",
    "holiday": "Tết Dương lịch",
    "reason": "Bận công tác",
    "attending": 4,
    "absent": 1,
    "waiting": 2,
    "late": "⚠️ ",
    "numbers": "113, 114, 115",
    "word": "cháy",
    "note": "Chuyển Phòng Tài nguyên và Môi trường",
    "link": "https://t.me/homthu_bot?start=inv_abc",
    "actor": "lan",
    "action": "claim",
    "detail": "received->assigned",
    "id": 7,
    "fields": "dat-dai, moi-truong, khac",
    "names": "Lê Quang Minh (đã góp ý)",
    "present": 3,
    "present_names": "Trần Thị Lan, Lê Quang Minh",
    "absent_names": "Phạm Thị Hoa",
    "number": 2,
    "example": "20/12/2026",
    "query": "duong hong",
    "since": "27/10/2026 08:00",
    "until": "26/11/2026 08:00",
    "received": 6,
    "answered": 4,
    "overdue": 2,
    "average": "3,3",
    "owner": "Trần Thị Lan",
    "resolved": 2,
    "unresolved": 1,
    "reopened": 2,
    "day": "05",
    "month": "12",
    "year": 2026,
    "agenda": "Tài liệu: https://drive.example.vn/giao-ban\n",
    "url": "https://drive.example.vn/giao-ban",
    "old": "15/12/2026 08:00",
    "attending_names": "Trần Thị Lan, Lê Quang Minh",
    "waiting_names": "Phạm Thị Hoa",
}
VARIANTS: dict[str, dict[str, Any]] = {
    "full": FULL,
    "sparse": {
        **FULL,
        "answers": [],
        "attachments": 0,
        "phone": None,
        "text": "",
        "village": None,
        "what": "hologram",
    },
    "anonymous": {**FULL, "anonymous": True, "name": None, "phone": None},
}

# Parameters that only choose a branch or a sentence; their values are never shown.
SELECTORS = {"what", "anonymous"}
HOSTILE = "<b>x</b> &amp; <script>alert(1)</script>"
HOSTILE_ESCAPED = "&lt;b&gt;x&lt;/b&gt; &amp;amp; &lt;script&gt;alert(1)&lt;/script&gt;"


class _RecordingParams(Mapping[str, Any]):
    """Parameters that remember which names an entry read."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def placeholders(entry: Entry) -> set[str]:
    """The parameter names an entry uses."""
    if isinstance(entry, str):
        return {name for _, name, _, _ in Formatter().parse(entry) if name is not None}
    names: set[str] = set()
    for values in VARIANTS.values():
        params = _RecordingParams(values)
        entry(params)
        names |= params.read
    return names


def tags(text: str) -> Counter[str]:
    """The HTML tags in a rendered sentence, counted."""
    return Counter(re.findall(r"</?[a-z]+>", text))


def keys_and_params() -> list[tuple[str, str]]:
    return sorted((key, name) for key, entry in vi.ENTRIES.items() for name in placeholders(entry))


def test_english_has_exactly_the_vietnamese_keys() -> None:
    assert set(en.ENTRIES) == set(vi.ENTRIES)


@pytest.mark.parametrize("key", sorted(vi.ENTRIES))
def test_english_entry_takes_the_same_parameters(key: str) -> None:
    assert placeholders(en.ENTRIES[key]) == placeholders(vi.ENTRIES[key])


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("key", sorted(vi.ENTRIES))
def test_english_entry_uses_the_same_markup(key: str, variant: str) -> None:
    vi_text = Texts(vi.ENTRIES, "vi")(key, **VARIANTS[variant])
    en_text = Texts(en.ENTRIES, "en")(key, **VARIANTS[variant])
    assert tags(en_text) == tags(vi_text)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_every_entry_renders_with_sample_parameters(locale: str, variant: str) -> None:
    texts = load_texts(locale)
    for key in sorted(texts.keys()):
        rendered = texts(key, **VARIANTS[variant])
        assert rendered.strip(), key
        assert "{" not in rendered, key


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_load_texts_returns_the_requested_locale(locale: str) -> None:
    texts = load_texts(locale)
    assert texts.locale == locale
    assert texts("btn_cancel") == CATALOGUES[locale]["btn_cancel"]


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
@pytest.mark.parametrize(("key", "param"), keys_and_params())
def test_html_in_a_parameter_arrives_escaped(locale: str, key: str, param: str) -> None:
    texts = load_texts(locale)
    value: Any = [("27/11/2026", HOSTILE)] if param == "answers" else HOSTILE
    rendered = texts(key, **{**FULL, param: value})
    assert "<script>" not in rendered
    assert "<b>x</b>" not in rendered
    if param not in SELECTORS:
        assert HOSTILE_ESCAPED in rendered


def test_escape_leaves_markup_numbers_and_none_alone() -> None:
    assert escape(Markup("<i>ok</i>")) == "<i>ok</i>"
    assert escape(42) == 42
    assert escape(None) is None
    assert escape(["<a>", ("&", Markup("<b>"))]) == ["&lt;a&gt;", ("&amp;", "<b>")]


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_markup_parameter_is_inserted_as_is(locale: str) -> None:
    texts = load_texts(locale)
    rendered = texts("answer_to_citizen", code="MT-261127-0042-K7", body=Markup("<i>ok</i>"))
    assert "<i>ok</i>" in rendered


@pytest.mark.parametrize("locale", sorted(CATALOGUES))
def test_markup_parameter_of_a_composed_entry_is_inserted_as_is(locale: str) -> None:
    texts = load_texts(locale)
    rendered = texts("member_case_new", **{**FULL, "sender": Markup("<i>Ẩn danh</i>")})
    assert "<i>Ẩn danh</i>" in rendered


def test_english_catalogue_has_no_vietnamese_sentences() -> None:
    # Catches a copied entry or a Vietnamese helper table left in the English output.
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
    english = load_texts("en")
    neutral = {**FULL, **{k: "x" for k, v in FULL.items() if isinstance(v, str)}}
    for variant in VARIANTS.values():
        params = {**variant, **{k: v for k, v in neutral.items() if isinstance(variant[k], str)}}
        params["answers"] = [("x", "x")] if variant["answers"] else []
        for key in sorted(english.keys()):
            assert not vietnamese.search(english(key, **params)), key
