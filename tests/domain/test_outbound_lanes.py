"""Which outbox lane a message goes in, decided from how it was queued."""

from __future__ import annotations

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound, in_lane, lane_for

HERE = ChatRef("telegram", "2001")
ELSEWHERE = ChatRef("telegram", "1001")


def test_a_reply_in_the_chat_being_answered_is_interactive() -> None:
    assert lane_for(Outbound(chat=HERE, text="ok"), HERE) is Lane.INTERACTIVE


def test_a_message_to_someone_else_is_a_notice() -> None:
    assert lane_for(Outbound(chat=ELSEWHERE, text="new case"), HERE) is Lane.NOTICE
    assert lane_for(Outbound(chat=ELSEWHERE, text="reminder"), None) is Lane.NOTICE


def test_a_lane_set_on_the_message_wins() -> None:
    pack = Outbound(chat=HERE, text="pack", lane=Lane.BULK)
    assert lane_for(pack, HERE) is Lane.BULK


def test_sweepers_put_only_messages_without_a_lane_in_theirs() -> None:
    plain = Outbound(chat=ELSEWHERE, text="reminder")
    urgent = Outbound(chat=ELSEWHERE, text="now", lane=Lane.INTERACTIVE)

    assert [m.lane for m in in_lane([plain, urgent], Lane.BULK)] == [Lane.BULK, Lane.INTERACTIVE]


def test_lanes_rank_replies_before_notices_before_bulk() -> None:
    assert sorted([Lane.BULK, Lane.NOTICE, Lane.INTERACTIVE]) == [
        Lane.INTERACTIVE,
        Lane.NOTICE,
        Lane.BULK,
    ]
