"""Reading a member's search words, and the excerpt shown for each case found."""

from __future__ import annotations

import pytest

from bot.domain.search_query import (
    MAX_QUERY_CHARS,
    QueryError,
    excerpt,
    parse_query,
)


def test_words_are_folded_to_plain_letters() -> None:
    query = parse_query("  Đường   HỎNG ")
    assert query.terms == ("duong", "hong")
    assert query.key == "duong hong"


def test_search_syntax_is_dropped_and_only_words_remain() -> None:
    query = parse_query('"đường" OR hỏng* NEAR(cống, 2) -rác (')
    assert query.terms == ("duong", "or", "hong", "near", "cong", "2", "rac")


def test_the_last_word_is_a_prefix_only_from_three_letters() -> None:
    assert parse_query("duong ngh").prefix_last
    assert not parse_query("duong ng").prefix_last


@pytest.mark.parametrize("text", ["", "   ", '"*"', "()", "___", "!?"])
def test_a_query_without_a_word_is_refused_as_empty(text: str) -> None:
    with pytest.raises(QueryError) as refused:
        parse_query(text)
    assert refused.value.reason == "empty"


@pytest.mark.parametrize(
    "text",
    ["a" * (MAX_QUERY_CHARS + 1), "x " * 9, "nghiêng " * 7],
)
def test_a_query_too_long_for_a_page_button_is_refused(text: str) -> None:
    with pytest.raises(QueryError) as refused:
        parse_query(text)
    assert refused.value.reason == "too_long"


def test_the_excerpt_keeps_the_diacritics_and_starts_near_the_match() -> None:
    text = (
        "Kính gửi Ban chỉ đạo. " * 6
        + "Con đường vào thôn Đông bị hỏng từ lâu. "
        + "Xin cảm ơn. " * 6
    )
    shown = excerpt(text, parse_query("duong"), width=60)
    assert "đường vào thôn Đông" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= 62


def test_a_short_text_is_shown_whole_on_one_line() -> None:
    assert excerpt("Đèn\nđường   hỏng.", parse_query("den")) == "Đèn đường hỏng."
