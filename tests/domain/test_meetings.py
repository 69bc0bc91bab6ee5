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
    count_attendance,
    parse_offset,
    reminder_times,
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
