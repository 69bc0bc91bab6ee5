"""`[[meetings]] pack`: with which reminders the briefing pack goes, errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import parse_config
from bot.domain.briefing import PackMoment
from bot.domain.errors import ConfigError
from tests.test_config import MINIMAL

SOURCE = Path("/etc/homthu/config.toml")
MEETING = (
    '\n[[meetings]]\nid = "gb"\ntitle = "Giao ban"\nattendees = ["minh"]\nplace = "Phòng họp"\n'
    "start = 2026-12-10T08:00:00\n"
)


def test_the_pack_goes_with_the_first_and_last_reminder_by_default() -> None:
    config = parse_config(MINIMAL + MEETING, SOURCE, env={})
    assert config.meetings[0].pack == (PackMoment.FIRST, PackMoment.LAST)


@pytest.mark.parametrize(
    ("value", "expected"),
    [('["last"]', (PackMoment.LAST,)), ('["first"]', (PackMoment.FIRST,)), ("[]", ())],
)
def test_a_meeting_chooses_its_pack_moments(value: str, expected: tuple[PackMoment, ...]) -> None:
    config = parse_config(MINIMAL + MEETING + f"pack = {value}\n", SOURCE, env={})
    assert config.meetings[0].pack == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["middle"]', 'meetings[0].pack[0]: "middle" is not one of first, last'),
        ('["last", "last"]', 'meetings[0].pack: moment "last" is listed twice'),
        ('"last"', "meetings[0].pack: expected an array of strings"),
    ],
)
def test_a_wrong_pack_names_the_key(value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(MINIMAL + MEETING + f"pack = {value}\n", SOURCE, env={})
    assert message in str(caught.value)
