"""Tracking codes (mã tra cứu): the format DESIGN.md §4 promises, and reading them back."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.tracking_code import CODE_PATTERN, make_code, normalise_code

DESIGN_PATTERN = re.compile(r"\b[A-Z0-9]{2,6}-\d{6}-\d{4,}-[A-Z0-9]{2}\b")
DAY = date(2026, 11, 27)
SECRET = b"commune-secret-0001"

prefixes = st.from_regex(r"[A-Z0-9]{2,6}", fullmatch=True)
days = st.dates(date(2000, 1, 1), date(2099, 12, 31))
sequences = st.integers(1, 10**7)
secrets = st.binary(min_size=1, max_size=64)


def test_code_pattern_is_the_one_design_documents() -> None:
    assert CODE_PATTERN.pattern == DESIGN_PATTERN.pattern


def test_code_reads_prefix_local_date_sequence_and_check() -> None:
    code = make_code("MT", DAY, 42, SECRET)
    assert re.fullmatch(r"MT-261127-0042-[A-Z0-9]{2}", code)


@settings(max_examples=200, deadline=None)
@given(prefixes, days, sequences, secrets)
def test_every_code_matches_the_documented_format(
    prefix: str, day: date, sequence: int, secret: bytes
) -> None:
    code = make_code(prefix, day, sequence, secret)
    assert DESIGN_PATTERN.fullmatch(code)
    assert code.split("-")[1] == f"{day:%y%m%d}"
    assert int(code.split("-")[2]) == sequence


@pytest.mark.parametrize(("sequence", "digits"), [(1, "0001"), (9999, "9999"), (12345, "12345")])
def test_sequence_has_at_least_four_digits(sequence: int, digits: str) -> None:
    code = make_code("MT", DAY, sequence, SECRET)
    assert code.split("-")[2] == digits
    assert DESIGN_PATTERN.fullmatch(code)


def test_check_characters_avoid_letters_and_digits_that_read_alike() -> None:
    checks = "".join(make_code("MT", DAY, n, SECRET)[-2:] for n in range(1, 500))
    assert not set(checks) & set("01OI")


def test_same_case_with_the_same_secret_gets_the_same_code() -> None:
    assert make_code("MT", DAY, 42, SECRET) == make_code("MT", DAY, 42, SECRET)


def test_check_characters_depend_on_the_secret() -> None:
    # Without the secret nobody can compute a valid code for a neighbouring sequence number.
    ours = [make_code("MT", DAY, n, SECRET) for n in range(1, 21)]
    theirs = [make_code("MT", DAY, n, b"guessed-secret") for n in range(1, 21)]
    same = sum(a == b for a, b in zip(ours, theirs, strict=True))
    assert same <= 2  # 1 in 1024 per code by chance


def test_check_characters_depend_on_the_body() -> None:
    checks = {make_code("MT", DAY, n, SECRET)[-2:] for n in range(1, 21)}
    assert len(checks) > 10


@pytest.mark.parametrize(
    "typed",
    [
        "MT-261127-0042-K7",
        "mt-261127-0042-k7",
        "  Mt-261127-0042-K7\n",
        "MT - 261127 - 0042 - K7",
        "(MT-261127-0042-K7)",
        "mã: mt-261127-0042-k7.",
    ],
)
def test_normalise_finds_a_code_in_any_case_and_spacing(typed: str) -> None:
    assert normalise_code(typed) == "MT-261127-0042-K7"


@pytest.mark.parametrize(
    "typed",
    [
        "Mã tra cứu của tôi là mt-261127-0042-k7, cảm ơn",
        "my code is MT-261127-0042-K7 thanks",
        "phiếu MT-261127-0042-K7",
        "MT-261127-0042-K7 cảm ơn",
        "/tracuu mt-261127-0042-k7",
    ],
)
def test_normalise_finds_a_code_between_words(typed: str) -> None:
    assert normalise_code(typed) == "MT-261127-0042-K7"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "MT",
        "hello",
        "M-261127-0042-K7",  # prefix too short
        "ABCDEFG-261127-0042-K7",  # prefix too long
        "MT-2611270-0042-K7",  # date has seven digits
        "MT-26112-0042-K7",  # date has five digits
        "MT-261127-042-K7",  # sequence under four digits
        "MT-261127-0042-K",  # one check character
        "MT-261127-0042-K77",  # three check characters
        "MT_261127_0042_K7",
        "MT-261127-0042",
        "MT-261127-00A2-K7",
    ],
)
def test_normalise_rejects_malformed_codes(typed: str) -> None:
    assert normalise_code(typed) is None


@settings(max_examples=200, deadline=None)
@given(prefixes, days, sequences, secrets, st.data())
def test_normalise_reads_back_any_code_typed_loosely(
    prefix: str, day: date, sequence: int, secret: bytes, data: st.DataObject
) -> None:
    code = make_code(prefix, day, sequence, secret)
    loose = "".join(data.draw(st.sampled_from([ch.lower(), ch, f"{ch} ", f" {ch}"])) for ch in code)
    assert normalise_code(loose) == code
