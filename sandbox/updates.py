"""Bot API methods that hand updates to the bot: long polling and webhook settings."""

from __future__ import annotations

import re

from sandbox.state import SandboxState, WebhookConfig
from sandbox.wire import ApiError, JsonDict, Params, bad_request

MAX_LIMIT = 100
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def get_updates(state: SandboxState, p: Params) -> list[JsonDict]:
    """getUpdates: confirm by offset, then block up to `timeout` s until an update is queued.

    A newer getUpdates ends an older one with 409, as Telegram does; stopping the
    emulator wakes every poller at once.
    """
    if state.webhook is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    limit = min(max(p.get_int("limit") or MAX_LIMIT, 1), MAX_LIMIT)
    timeout = max(p.get_float("timeout") or 0.0, 0.0)
    allowed = p.get_list("allowed_updates")
    if allowed is not None:
        state.allowed_updates = [str(kind) for kind in allowed]
    offset = p.get_int("offset")
    if offset is not None:
        state.confirm(offset)
    state.poll_generation += 1
    ticket = state.poll_generation
    state.changed.notify()

    def answerable() -> bool:
        return (
            state.closing
            or state.poll_generation != ticket
            or state.webhook is not None
            or bool(state.deliverable(1))
        )

    if timeout > 0:
        await state.changed.wait_for(answerable, timeout)
    if state.poll_generation != ticket:
        raise ApiError(409, TERMINATED)
    if state.webhook is not None:
        raise ApiError(409, WEBHOOK_ACTIVE)
    return state.deliverable(limit)


async def set_webhook(state: SandboxState, p: Params) -> bool:
    """setWebhook (an empty url removes the webhook)."""
    url = p.get_str("url") or ""
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.get_int("max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("max_connections must be between 1 and 100")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    allowed = p.get_list("allowed_updates")
    if allowed is not None:
        state.allowed_updates = [str(kind) for kind in allowed]
    if p.get_bool("drop_pending_updates"):
        state.updates.clear()
    state.webhook = WebhookConfig(url, secret, max_connections) if url else None
    state.changed.notify()
    return True


async def delete_webhook(state: SandboxState, p: Params) -> bool:
    """deleteWebhook."""
    if p.get_bool("drop_pending_updates"):
        state.updates.clear()
    state.webhook = None
    state.changed.notify()
    return True


async def get_webhook_info(state: SandboxState, p: Params) -> JsonDict:
    """getWebhookInfo."""
    hook = state.webhook
    info: JsonDict = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    if state.allowed_updates:
        info["allowed_updates"] = list(state.allowed_updates)
    return info
