"""The report sentences: both locales alike, safe to fill in, and every key the code names."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from bot.texts import en, reports_en, reports_vi, vi
from bot.texts.catalogue import Texts

SERVICE = Path(__file__).resolve().parents[2] / "bot" / "services" / "reports.py"
SAMPLE = {
    "count": 6,
    "days": 3,
    "hours": 4,
    "minutes": 30,
    "name": "Thôn Đông",
    "period": "01/11/2026 – 30/11/2026",
    "value": "3,3",
}
HOSTILE = "<b>x</b> & <script>"
HOSTILE_ESCAPED = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def placeholders(entry: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(entry) if name is not None}


def test_english_has_exactly_the_vietnamese_keys() -> None:
    assert set(reports_en.ENTRIES) == set(reports_vi.ENTRIES)


@pytest.mark.parametrize("key", sorted(reports_vi.ENTRIES))
def test_english_entry_takes_the_same_parameters_and_markup(key: str) -> None:
    vi_entry, en_entry = reports_vi.ENTRIES[key], reports_en.ENTRIES[key]
    assert placeholders(en_entry) == placeholders(vi_entry)
    assert placeholders(vi_entry) <= set(SAMPLE)
    assert re.findall(r"</?[a-z]+>", en_entry) == re.findall(r"</?[a-z]+>", vi_entry)


@pytest.mark.parametrize("key", sorted(reports_vi.ENTRIES))
def test_every_parameter_arrives_escaped(key: str) -> None:
    for entries, locale in ((reports_vi.ENTRIES, "vi"), (reports_en.ENTRIES, "en")):
        texts = Texts(entries, locale)
        for name in placeholders(entries[key]):
            rendered = texts(key, **{**SAMPLE, name: HOSTILE})
            assert HOSTILE_ESCAPED in rendered
            assert "<script>" not in rendered


def test_english_sentences_are_english() -> None:
    neutral = {name: "x" for name in SAMPLE}
    texts = Texts(reports_en.ENTRIES, "en")
    for key in sorted(reports_en.ENTRIES):
        assert not VIETNAMESE.search(texts(key, **neutral)), key


def test_every_report_key_the_service_names_exists() -> None:
    source = SERVICE.read_text(encoding="utf-8")
    named = set(re.findall(r'"(report_[a-z_]+)"', source))
    columns = re.search(r"columns = \[(.*?)\]", source, re.S)
    assert columns is not None
    named |= {f"report_col_{c}" for c in re.findall(r'"([a-z]+)"', columns[1])}
    assert len(named) >= 40
    assert named - set(reports_vi.ENTRIES) == set()


def test_merging_into_the_catalogues_overrides_none_of_their_sentences() -> None:
    # Before the merge the keys are new; after it they hold exactly these sentences.
    for merged, mine in ((vi.ENTRIES, reports_vi.ENTRIES), (en.ENTRIES, reports_en.ENTRIES)):
        assert {k: merged[k] for k in mine if k in merged} == {
            k: v for k, v in mine.items() if k in merged
        }
