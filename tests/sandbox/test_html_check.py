"""Telegram HTML parse mode as the emulator checks it."""

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.entities import utf16_len
from sandbox.html_check import HtmlError, parse_html

TEXTS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200)


@given(TEXTS)
def test_escaped_text_is_shown_exactly_as_written(text: str) -> None:
    parsed = parse_html(html.escape(text))
    assert (parsed.text, parsed.entities) == (text, [])


@given(TEXTS.filter(bool))
def test_bold_covers_the_text_in_utf16_units(text: str) -> None:
    parsed = parse_html(f"→ <b>{html.escape(text)}</b>")
    assert parsed.entities == [{"type": "bold", "offset": 2, "length": utf16_len(text)}]


def test_nested_tags_links_and_code_languages() -> None:
    parsed = parse_html(
        '<b>a<i>b</i></b> <a href="https://x.vn/?a=1&amp;b=2">l</a> '
        '<pre><code class="language-python">p</code></pre> <span class="tg-spoiler">s</span>'
    )
    assert parsed.text == "ab l p s"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 1, "length": 1},
        {"type": "text_link", "offset": 3, "length": 1, "url": "https://x.vn/?a=1&b=2"},
        {"type": "pre", "offset": 5, "length": 1, "language": "python"},
        {"type": "spoiler", "offset": 7, "length": 1},
    ]


def test_numeric_entities_and_bare_greater_than_are_accepted() -> None:
    assert parse_html("1 &#60; 2 &#x3e; 0 > -1 &quot;ok&quot;").text == '1 < 2 > 0 > -1 "ok"'


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>x", 'find end tag corresponding to start tag "b"'),
        ("x</b>", "Unmatched end tag"),
        ("<b><i>x</b></i>", 'expected "</i>"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ('<span class="x">s</span>', "tg-spoiler"),
        ("1 < 2", "Unexpected '<'"),
        ("Q&A", "bare '&'"),
        ("&nbsp;", "Unsupported HTML entity"),
    ],
)
def test_invalid_html_names_the_problem(source: str, reason: str) -> None:
    with pytest.raises(HtmlError, match=reason):
        parse_html(source)
