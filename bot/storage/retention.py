"""Pruning what only grows: outbox rows already sent, and ids of updates long handled.

Neither is read again once old. A sent row's text lives on in the case thread, and replies to
it still find their case through message_links, which stays. An update id guards only against
Telegram delivering the same update twice, which happens within about a day. Both tables are
walked oldest first by rowid (their insertion order, so their time order) in small batches, each
its own short transaction, so intake never waits long behind the writer lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.storage.database import Database, to_db_time

MIN_RETENTION_DAYS = 2  # Telegram re-delivers an unconfirmed update within about 24 hours
BATCH_ROWS = 500
BATCHES_PER_SWEEP = 20


class StoredRetention:
    """Deletes sent outbox rows and processed-update ids older than `days`."""

    def __init__(self, db: Database, days: int) -> None:
        if days < MIN_RETENTION_DAYS:
            raise ValueError(f"retention must keep at least {MIN_RETENTION_DAYS} days")
        self._db = db
        self._keep = timedelta(days=days)
        # Outbox rows before this id were looked at already: what is left there is kept (failed
        # or still pending), so each sweep reads only new rows. Lost on restart, which re-reads
        # the few kept rows once.
        self._outbox_seen = 0

    async def prune(self, now: datetime) -> int:
        """Delete up to BATCHES_PER_SWEEP batches of old rows; returns how many were deleted."""
        cutoff = to_db_time(now - self._keep)
        deleted = 0
        for _ in range(BATCHES_PER_SWEEP):
            batch = await self._prune_outbox(cutoff) + await self._prune_updates(cutoff)
            deleted += batch
            if batch == 0:
                break
        return deleted

    async def _prune_outbox(self, cutoff: str) -> int:
        async with self._db.transaction() as tx:
            rows = await tx.fetch(
                "SELECT id, status, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
                (self._outbox_seen, BATCH_ROWS),
            )
            old = []
            seen = self._outbox_seen
            for row in rows:
                if row["created_at"] >= cutoff:
                    break
                seen = row["id"]
                if row["status"] == "sent":
                    old.append((row["id"],))
            await tx.execute_many("DELETE FROM outbox WHERE id = ?", old)
        self._outbox_seen = seen
        return len(old)

    async def _prune_updates(self, cutoff: str) -> int:
        async with self._db.transaction() as tx:
            return await tx.execute(
                "DELETE FROM processed_updates WHERE rowid IN"
                " (SELECT rowid FROM processed_updates ORDER BY rowid LIMIT ?)"
                " AND processed_at < ?",
                (BATCH_ROWS, cutoff),
            )
