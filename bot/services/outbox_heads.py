"""Outbox rows the dispatcher holds in memory: each held chat's next rows, in order.

The outbox table stays the source of truth: every row here is also pending there. A chat is held
only from its oldest pending row on (a row just queued while nothing of the chat was pending, or
a chat head read from the table), so sending a chain from its front keeps the chat's order, and
the dispatcher never reads a held chat from the table, so no row goes out twice. A restart
forgets all of it; the rows are still pending and are read again.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Collection
from dataclasses import replace

from bot.domain.model import ChatRef
from bot.domain.outbound import Lane, OutboxItem

# Rows just queued are held only up to this many: a broadcast to thousands of chats goes through
# the table instead, where reading a few due heads at a time costs no more than it did.
MAX_HELD = 512

_Entry = tuple[int, int, ChatRef]  # (head row id, tie-breaker, chat)


class HeldHeads:
    """Per chat, a chain of rows to send in order; next rows taken by lane, then lowest id."""

    def __init__(self, capacity: int = MAX_HELD) -> None:
        self._capacity = capacity
        self._chains: dict[ChatRef, deque[OutboxItem]] = {}
        # Per lane, a heap of chats by the id of their next row. Entries go stale when a chain
        # moves on or is dropped; they are skipped and discarded when met.
        self._heaps: tuple[list[_Entry], ...] = tuple([] for _ in Lane)
        self._tie = itertools.count()
        self._size = 0

    def __contains__(self, chat: object) -> bool:
        return chat in self._chains

    def __len__(self) -> int:
        return self._size

    def chats(self) -> Collection[ChatRef]:
        """The chats held here (a live view)."""
        return self._chains.keys()

    def hold(self, chat: ChatRef, rows: list[OutboxItem], *, beyond_capacity: bool = False) -> bool:
        """Hold rows of a chat, in order, after those held already; False if there is no room.

        The caller knows that nothing of the chat is pending ahead of them but what is held or
        in flight. Queued behind held rows, they lift them into their lane (as the outbox did).
        """
        if not rows:
            return True
        if not beyond_capacity and self._size + len(rows) > self._capacity:
            return False
        chain = self._chains.get(chat)
        if chain is None:
            self._chains[chat] = deque(rows)
            self._push(chat)
        else:
            self.lift(chat, rows[0].lane)
            self._chains[chat].extend(rows)
        self._size += len(rows)
        return True

    def lift(self, chat: ChatRef, lane: Lane) -> None:
        """Rows were queued behind the chat's chain in `lane`: its rows go in that lane at worst."""
        chain = self._chains.get(chat)
        if chain is None or chain[-1].lane <= lane:
            return  # lanes grow along a chain: the last row is the one ranked lowest
        head_lane = chain[0].lane
        self._chains[chat] = deque(replace(i, lane=lane) if i.lane > lane else i for i in chain)
        if head_lane > lane:
            self._push(chat)

    def take(self, chat: ChatRef) -> OutboxItem:
        """Remove and return the chat's next row."""
        chain = self._chains[chat]
        item = chain.popleft()
        self._size -= 1
        if chain:
            self._push(chat)
        else:
            del self._chains[chat]
        return item

    def drop(self, chat: ChatRef) -> None:
        """Forget the chat's chain: its rows are left to the table."""
        chain = self._chains.pop(chat, None)
        if chain:
            self._size -= len(chain)

    def by_lane(self, blocked: Collection[ChatRef], count: int) -> list[OutboxItem]:
        """Up to `count` next rows of chats not blocked: highest lane first, then lowest id."""
        found: list[OutboxItem] = []
        for lane in Lane:
            if len(found) == count:
                break
            found += self._first(lane, blocked, count - len(found))
        return found

    def oldest(self, blocked: Collection[ChatRef], count: int) -> list[OutboxItem]:
        """Up to `count` next rows of chats not blocked, lowest ids first, whatever the lane."""
        found = [item for lane in Lane for item in self._first(lane, blocked, count)]
        found.sort(key=lambda item: item.id)
        return found[:count]

    def _push(self, chat: ChatRef) -> None:
        head = self._chains[chat][0]
        heap = self._heaps[head.lane]
        heapq.heappush(heap, (head.id, next(self._tie), chat))
        if len(heap) > 2 * len(self._chains) + 64:
            # Mostly stale entries (chains that moved on): keep the live ones only.
            heap[:] = [entry for entry in heap if self._live(head.lane, entry)]
            heapq.heapify(heap)

    def _live(self, lane: int, entry: _Entry) -> bool:
        chain = self._chains.get(entry[2])
        return chain is not None and chain[0].id == entry[0] and chain[0].lane == lane

    def _first(self, lane: Lane, blocked: Collection[ChatRef], count: int) -> list[OutboxItem]:
        """The next rows of up to `count` chats not blocked in `lane`, lowest id first."""
        heap = self._heaps[lane]
        found: list[OutboxItem] = []
        kept: list[_Entry] = []
        seen: set[ChatRef] = set()
        while heap and len(found) < count:
            entry = heapq.heappop(heap)
            chat = entry[2]
            if chat in seen or not self._live(lane, entry):
                continue  # stale, or a second entry of one chat: gone for good
            seen.add(chat)
            kept.append(entry)
            if chat not in blocked:
                found.append(self._chains[chat][0])
        for entry in kept:
            heapq.heappush(heap, entry)
        return found
