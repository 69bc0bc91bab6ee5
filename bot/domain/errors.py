"""The exception tree: what services raise and what adapters translate driver errors into."""

from __future__ import annotations

from typing import Any


class HomthuError(Exception):
    """Base of every error this project raises on purpose."""


class UserError(HomthuError):
    """Something the user did that we refuse politely; `key` names the sentence in the catalogue."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class ConfigError(HomthuError):
    """The configuration is invalid; the message names the file and the key."""


class StorageError(HomthuError):
    """The database refused an operation."""


class StorageBusy(StorageError):
    """The database is locked by someone else for now; the same work may simply be retried."""


class DeliveryError(HomthuError):
    """Sending a message failed; subclasses say what to do next."""


class RetryLater(DeliveryError):
    """The channel asked us to slow down (Telegram's 429 with retry_after)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds}s")
        self.seconds = seconds


class TransientFailure(DeliveryError):
    """Network trouble or a server error: try again with backoff."""


class ChatUnreachable(DeliveryError):
    """The user blocked the bot or never started it (Telegram's 403)."""


class PermanentFailure(DeliveryError):
    """The channel rejected the message itself (e.g. 400); retrying cannot help."""
