"""What caches kept across transactions must forget, told by the database connection itself.

The member roster and each chat's dialog are read by nearly every update and change seldom, or
only by that update; repositories keep them in memory between transactions. They stay true
because they forget:
- a row changed on this connection, in any way (a repository, a plain statement, a cascade):
  temporary triggers, which exist on this connection only, call back with the row's key;
- everything, after a rollback (a savepoint's too): what a cache read inside the undone
  transaction may be gone;
- everything, after another connection or process (the `homthu` CLI, an admin's sqlite3 shell)
  committed: `PRAGMA data_version` changes then, and is read once per outer transaction that
  uses a cache (inside BEGIN IMMEDIATE no one else commits until our COMMIT).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

# Tables whose rows caches keep across transactions, and the columns that name a row for them.
WATCHED_TABLES = {"members": ("id",), "dialogs": ("channel", "chat_id")}
# Told a changed row's key, or None for "anything in the table may have changed".
Forget = Callable[[tuple[Any, ...] | None], None]


class ChangeWatch:
    """Tells the caches of one connection's tables which rows may have changed."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._watchers: dict[str, list[Forget]] = {table: [] for table in WATCHED_TABLES}
        self._verified = -1  # the outer transaction in which data_version was last read
        self._data_version: int | None = None

    def trigger_script(self) -> str:
        """The temporary triggers reporting each changed row (run once, after migrations)."""
        self._conn.create_function("homthu_row_changed", -1, self._row_changed)
        script = []
        for table, keys in WATCHED_TABLES.items():
            # One call per changed row; an UPDATE tells the old key and the new (it may move).
            for event, rows in (("INSERT", "new"), ("UPDATE", "old new"), ("DELETE", "old")):
                args = ", ".join(f"{row}.{key}" for row in rows.split() for key in keys)
                script.append(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS watch_{table}_{event.lower()}"
                    f" AFTER {event} ON main.{table}"
                    f" BEGIN SELECT homthu_row_changed('{table}', {args}); END;"
                )
        return "\n".join(script)

    def watch(self, table: str, forget: Forget) -> None:
        """Tell `forget` which rows of `table` (one of WATCHED_TABLES) may have changed."""
        self._watchers[table].append(forget)

    def _row_changed(self, table: str, *keys: Any) -> None:
        size = len(WATCHED_TABLES[table])
        for start in range(0, len(keys), size):
            for forget in self._watchers[table]:
                forget(keys[start : start + size])

    def forget_all(self) -> None:
        """A rollback: every cache forgets everything."""
        for watchers in self._watchers.values():
            for forget in watchers:
                forget(None)

    def verify(self, serial: int) -> None:
        """Once per outer transaction (`serial`): did another connection commit since?"""
        if self._verified == serial:
            return
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self.forget_all()
            self._data_version = version
        self._verified = serial
