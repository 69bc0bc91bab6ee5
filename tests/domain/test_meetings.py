"""Meetings in the domain: reminder offsets, the catch-up rule after downtime, the counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.meetings import (
    AbsenceReason,
    Answer,
    MeetingReminder,
    Rsvp,
    catch_up,
    chat_meeting_id,
    chat_meeting_number,
    count_attendance,
    parse_local_datetime,
    parse_offset,
    reminder_times,
    roll_call,
    valid_agenda_url,
)

START = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)


def row(row_id: int, member: str, hours_before: int, occurrence: int = 1) -> MeetingReminder:
    return MeetingReminder(row_id, occurrence, member, START - timedelta(hours=hours_before), START)


@pytest.mark.parametrize(
    ("text", "delta"),
    [("3d", timedelta(days=3)), ("2h", timedelta(hours=2)), ("30m", timedelta(minutes=30))],
)
def test_offsets_read_days_hours_and_minutes(text: str, delta: timedelta) -> None:
    assert parse_offset(text) == delta


@pytest.mark.parametrize("text", ["", "3", "0d", "3 days", "-1d", "1w", "d3"])
def test_anything_else_is_not_an_offset(text: str) -> None:
    with pytest.raises(ValueError, match="is not like"):
        parse_offset(text)


def test_reminder_times_are_sorted_and_unique() -> None:
    before = (timedelta(hours=2), timedelta(days=1), timedelta(minutes=120))
    assert reminder_times(START, before) == [START - timedelta(days=1), START - timedelta(hours=2)]


def test_only_the_latest_due_reminder_per_attendee_is_sent() -> None:
    due = [row(1, "lan", 24), row(2, "lan", 2), row(3, "minh", 24)]
    decision = catch_up(due, START - timedelta(hours=1))
    assert sorted(r.id for r in decision.send) == [2, 3]
    assert decision.skip == [(due[0], "superseded")]


def test_nothing_is_sent_once_the_meeting_started() -> None:
    due = [row(1, "lan", 24), row(2, "minh", 2)]
    decision = catch_up(due, START)
    assert decision.send == []
    assert [reason for _r, reason in decision.skip] == ["meeting_started"] * 2


def test_attendance_counts_who_has_not_answered() -> None:
    at = START - timedelta(days=1)
    answers = [Rsvp("lan", Answer.YES, None, at), Rsvp("minh", Answer.NO, AbsenceReason.SICK, at)]
    tally = count_attendance(answers, 5)
    assert (tally.attending, tally.absent, tally.waiting) == (1, 1, 3)


@pytest.mark.parametrize(
    "text",
    [
        "15/12/2026 14:00",
        "15-12-2026 14h00",
        "15.12.2026  14:00",
        "15/12/2026 lúc 14h",
        "14:00 15/12/2026",
        "14h ngày 15/12/2026",
    ],
)
def test_a_date_time_typed_the_vietnamese_way_is_read(text: str) -> None:
    assert parse_local_datetime(text) == datetime(2026, 12, 15, 14, 0)


@pytest.mark.parametrize(
    "text", ["", "chiều mai", "15/12/2026", "31/02/2026 10:00", "15/12/2026 24:00", "12/15/26 2pm"]
)
def test_an_unreadable_date_time_is_none(text: str) -> None:
    assert parse_local_datetime(text) is None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://drive.google.com/drive/folders/abc", True),
        ("http://xa.vn/giao-ban.pdf", True),
        ("ftp://xa.vn/a", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("https://xa.vn/tai lieu", False),
        ("https://xa.vn/" + "a" * 600, False),
    ],
)
def test_only_http_links_are_agenda_links(url: str, ok: bool) -> None:
    assert valid_agenda_url(url) is ok


def test_the_roll_call_sorts_attendees_by_answer_and_ignores_others() -> None:
    at = START - timedelta(days=1)
    answers = [
        Rsvp("lan", Answer.YES, None, at),
        Rsvp("minh", Answer.NO, AbsenceReason.OTHER, at, "đi tập huấn"),
        Rsvp("outsider", Answer.YES, None, at),
    ]
    call = roll_call(("hung", "lan", "minh"), answers)
    assert call.attending == ["lan"]
    assert [r.member_id for r in call.absent] == ["minh"] and call.absent[0].note == "đi tập huấn"
    assert call.waiting == ["hung"]


def test_chat_meeting_ids_cannot_be_config_ids() -> None:
    assert chat_meeting_number(chat_meeting_id(12)) == 12
    assert chat_meeting_number("giao-ban") is None
    assert chat_meeting_number("chat:x") is None
