"""The rows the dispatcher holds in memory: which chat's next row goes first."""

from __future__ import annotations

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, Outbound, OutboxItem
from bot.services.outbox_heads import HeldHeads


def chat(n: int) -> ChatRef:
    return ChatRef("telegram", str(n))


def row(item_id: int, to: int, lane: Lane = Lane.NOTICE) -> OutboxItem:
    return OutboxItem(item_id, 0, Outbound(chat=chat(to), text=str(item_id)), lane)


def ids(items: list[OutboxItem]) -> list[int]:
    return [item.id for item in items]


def test_next_rows_go_by_lane_then_oldest_one_per_chat() -> None:
    held = HeldHeads()
    held.hold(chat(1), [row(5, 1, Lane.BULK), row(9, 1, Lane.BULK)])
    held.hold(chat(2), [row(7, 2), row(8, 2)])
    held.hold(chat(3), [row(6, 3, Lane.INTERACTIVE)])
    held.hold(chat(4), [row(4, 4)])

    assert ids(held.by_lane(set(), 10)) == [6, 4, 7, 5]
    assert ids(held.oldest(set(), 2)) == [4, 5]
    assert ids(held.by_lane({chat(4), chat(3)}, 1)) == [7]


def test_a_chain_is_taken_in_order_and_its_chat_then_ranks_by_its_next_row() -> None:
    held = HeldHeads()
    held.hold(chat(1), [row(1, 1), row(4, 1)])
    held.hold(chat(2), [row(2, 2)])
    held.hold(chat(3), [row(3, 3)])

    assert held.take(chat(1)).id == 1

    assert ids(held.by_lane(set(), 10)) == [2, 3, 4]
    assert [held.take(chat(1)).id, len(held)] == [4, 2]
    assert chat(1) not in held


def test_rows_queued_behind_a_chain_lift_it_into_their_lane() -> None:
    held = HeldHeads()
    held.hold(chat(1), [row(1, 1, Lane.BULK)])
    held.hold(chat(2), [row(2, 2)])

    held.hold(chat(1), [row(3, 1, Lane.INTERACTIVE)])

    assert [(i.id, i.lane) for i in held.by_lane(set(), 10)] == [(1, Lane.INTERACTIVE), (2, 1)]
    assert held.take(chat(1)).lane == Lane.INTERACTIVE


def test_a_dropped_chain_is_gone_and_new_chains_wait_for_room() -> None:
    held = HeldHeads(capacity=3)
    held.hold(chat(1), [row(1, 1), row(2, 1)])
    assert not held.hold(chat(2), [row(3, 2), row(4, 2)])

    held.drop(chat(1))

    assert held.by_lane(set(), 10) == [] and len(held) == 0
    assert held.hold(chat(2), [row(3, 2), row(4, 2)])
    assert held.hold(chat(3), [row(5, 3)])
    assert not held.hold(chat(4), [row(6, 4)])
    assert held.hold(chat(4), [row(6, 4)], beyond_capacity=True)


def test_a_long_chain_goes_out_in_order_while_another_chat_waits_blocked() -> None:
    held = HeldHeads(capacity=100_000)
    held.hold(chat(1), [row(n, 1) for n in range(1, 5001)])
    held.hold(chat(2), [row(9_999, 2)])

    for n in range(1, 5001):
        assert ids(held.by_lane({chat(2)}, 1)) == [n]
        held.take(chat(1))

    assert ids(held.by_lane(set(), 10)) == [9_999]
