"""[[meetings]] in the config: one-off or recurring, with errors that name the key."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from bot.config import RecurrenceConfig, parse_config
from bot.domain.errors import ConfigError
from bot.domain.meetings import RecurrenceKind
from tests.test_config import MINIMAL

SOURCE = Path("/etc/homthu/config.toml")


def meetings(block: str) -> str:
    """MINIMAL with a [[meetings]] entry."""
    return MINIMAL + "\n[[meetings]]\n" + block


def test_no_meetings_by_default() -> None:
    assert parse_config(MINIMAL, SOURCE, env={}).meetings == ()


def test_a_monthly_meeting_for_everyone() -> None:
    config = parse_config(
        meetings(
            'id = "gb"\ntitle = "Giao ban"\nattendees = ["all"]\nplace = "Phòng họp"\n'
            'recurrence = { kind = "monthly", weekday = "mon", week = -1 }\ntime = "14:30"\n'
            'remind_before = ["3d", "2h"]\n'
        ),
        SOURCE,
        env={},
    )
    (meeting,) = config.meetings
    assert meeting.attendees == ("hung", "minh")
    assert meeting.recurrence == RecurrenceConfig(RecurrenceKind.MONTHLY, weekday="mon", week=-1)
    assert meeting.time == time(14, 30)
    assert meeting.remind_before == (timedelta(days=3), timedelta(hours=2))


def test_a_one_off_meeting_at_a_local_date_time() -> None:
    config = parse_config(
        meetings(
            'id = "gb"\ntitle = "Giao ban"\nattendees = ["minh"]\nplace = "Phòng họp"\n'
            "start = 2026-12-10T08:00:00\n"
        ),
        SOURCE,
        env={},
    )
    assert config.meetings[0].start == datetime(2026, 12, 10, 8, 0)
    assert config.meetings[0].remind_before == (timedelta(days=1),)


BASE = 'id = "gb"\ntitle = "Giao ban"\nattendees = ["minh"]\nplace = "Phòng họp"\n'


@pytest.mark.parametrize(
    ("block", "key"),
    [
        (BASE, "meetings[0].start"),
        (
            BASE + 'start = 2026-12-10T08:00:00\nrecurrence = { kind = "monthly", day = 5 }\n',
            "meetings[0].start",
        ),
        (BASE + 'start = "2026-12-10 08:00"\n', "meetings[0].start"),
        (BASE + 'recurrence = { kind = "weekly", day = 5 }\n', "meetings[0].recurrence.kind"),
        (BASE + 'recurrence = { kind = "monthly", day = 32 }\n', "meetings[0].recurrence.day"),
        (
            BASE + 'recurrence = { kind = "monthly", day = 5, weekday = "mon", week = 1 }\n',
            "meetings[0].recurrence.day",
        ),
        (
            BASE + 'recurrence = { kind = "monthly", weekday = "mon" }\n',
            "meetings[0].recurrence.week",
        ),
        (
            BASE + 'recurrence = { kind = "monthly", day = 5, month_of_quarter = 2 }\n',
            "meetings[0].recurrence.month_of_quarter",
        ),
        (
            BASE + 'recurrence = { kind = "monthly", day = 5 }\ntime = "8h"\n',
            "meetings[0].time",
        ),
        (
            BASE + 'recurrence = { kind = "monthly", day = 5 }\nremind_before = ["3 days"]\n',
            "meetings[0].remind_before[0]",
        ),
        (
            'id = "gb"\ntitle = "T"\nattendees = ["lan"]\nplace = "P"\nstart = 2026-12-10T08:00:00\n',
            "meetings[0].attendees",
        ),
        (
            BASE + 'start = 2026-12-10T08:00:00\nagenda_url = "ftp://files.xa.vn/giao-ban"\n',
            "meetings[0].agenda_url",
        ),
        (
            BASE + 'start = 2026-12-10T08:00:00\nagenda_url = "https://xa.vn/tai lieu"\n',
            "meetings[0].agenda_url",
        ),
    ],
)
def test_a_wrong_meeting_names_the_key(block: str, key: str) -> None:
    with pytest.raises(ConfigError, match=f"config.toml: {re.escape(key)}:"):
        parse_config(meetings(block), SOURCE, env={})


def test_an_agenda_link_is_kept_and_is_optional() -> None:
    config = parse_config(
        meetings(BASE + 'start = 2026-12-10T08:00:00\nagenda_url = "https://xa.vn/giao-ban"\n'),
        SOURCE,
        env={},
    )
    assert config.meetings[0].agenda_url == "https://xa.vn/giao-ban"
    plain = parse_config(meetings(BASE + "start = 2026-12-10T08:00:00\n"), SOURCE, env={})
    assert plain.meetings[0].agenda_url is None
