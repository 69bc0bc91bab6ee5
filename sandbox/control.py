"""The `/_ctl/` JSON API: the emulator's user-side and observation helpers over HTTP."""

from __future__ import annotations

import base64
import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.faults import FaultSpec
from sandbox.wire import JsonDict, dumps

if TYPE_CHECKING:
    from sandbox.emulator import BotApiEmulator

Action = Callable[["BotApiEmulator", JsonDict], object]


def _opt_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _text(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.send_text(
        int(b["user_id"]),
        str(b["text"]),
        _opt_int(b.get("reply_to")),
        chat_id=_opt_int(b.get("chat_id")),
    )


def _press(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.press_button(
        int(b["user_id"]),
        int(b["message_id"]),
        str(b["data"]),
        forged=bool(b.get("forged", False)),
        chat_id=_opt_int(b.get("chat_id")),
    )


def _document(emu: BotApiEmulator, b: JsonDict) -> object:
    data = base64.b64decode(b["data_base64"]) if "data_base64" in b else b"%PDF-1.4 sandbox"
    return emu.send_document(
        int(b["user_id"]),
        file_name=str(b.get("file_name", "a.pdf")),
        mime_type=str(b.get("mime_type", "application/pdf")),
        data=data,
        caption=b.get("caption"),
        reply_to=_opt_int(b.get("reply_to")),
    )


def _photo(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.send_photo(int(b["user_id"]), b.get("caption"), _opt_int(b.get("reply_to")))


def _voice(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.send_voice(int(b["user_id"]), int(b.get("duration", 3)), _opt_int(b.get("reply_to")))


def _location(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.send_location(int(b["user_id"]), float(b["latitude"]), float(b["longitude"]))


def _contact(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.send_contact(int(b["user_id"]), str(b["phone_number"]), bool(b.get("own", True)))


def _edit(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.edit_text(int(b["user_id"]), int(b["message_id"]), str(b["text"]))


def _user(emu: BotApiEmulator, b: JsonDict) -> object:
    return emu.add_user(**b)


def _update(emu: BotApiEmulator, b: JsonDict) -> object:
    return {"update_id": emu.inject_update(b["raw"])}


def _fault(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.inject_fault(FaultSpec(**b))
    return True


def _clear_faults(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.clear_faults()
    return True


def _limits(emu: BotApiEmulator, b: JsonDict) -> object:
    if b.get("off") or b.get("overall_per_second", 30.0) is None:
        emu.set_rate_limits(None)
    else:
        emu.set_rate_limits(**b)
    return True


def _block(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.block(int(b["chat_id"]))
    return True


def _unblock(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.unblock(int(b["chat_id"]))
    return True


def _require_start(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.require_start = bool(b["value"])
    return True


def _webhook_timeout(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.webhook_timeout = float(b["seconds"])
    return True


def _reset(emu: BotApiEmulator, b: JsonDict) -> object:
    emu.reset()
    return True


ACTIONS: dict[str, Action] = {
    "text": _text, "press": _press, "document": _document, "photo": _photo,
    "voice": _voice, "location": _location, "contact": _contact, "edit": _edit,
    "user": _user, "update": _update, "fault": _fault, "clear_faults": _clear_faults,
    "limits": _limits, "block": _block, "unblock": _unblock,
    "require_start": _require_start, "webhook_timeout": _webhook_timeout, "reset": _reset,
}  # fmt: skip


async def _wait(emu: BotApiEmulator, b: JsonDict) -> web.Response:
    """Long-poll for a bot message, so out-of-process benchmarks need not spin."""
    try:
        message = await emu.wait_for_bot_message(
            int(b["chat_id"]),
            contains=b.get("contains"),
            timeout=float(b.get("timeout", 5.0)),
            after_count=_opt_int(b.get("after_count")),
        )
    except TimeoutError as error:
        return web.json_response({"ok": False, "error": str(error)}, status=408)
    return _reply(message)


class _Brief:
    """A pre-encoded `{"ok": true, "result": {}}`; aiohttp needs a fresh Response each time."""

    body = b'{"ok":true,"result":{}}'

    def copy(self) -> web.Response:
        return web.Response(body=self.body, content_type="application/json", charset="utf-8")


_BRIEF = _Brief()


def _reply(result: object, status: int = 200) -> web.Response:
    return web.json_response({"ok": status == 200, "result": result}, status=status, dumps=dumps)


def add_control_routes(app: web.Application, emu: BotApiEmulator) -> None:
    """Mount `/_ctl/...` on the emulator's application."""

    async def post_action(request: web.Request) -> web.Response:
        name = request.match_info["action"]
        body: Any = await request.json() if request.can_read_body else {}
        action = ACTIONS.get(name)
        if name != "wait" and action is None:
            return web.json_response({"ok": False, "error": f"unknown action {name}"}, status=404)
        try:
            if action is None:
                return await _wait(emu, body)
            result = action(emu, body)
            # `?brief=1`: the caller wants the act, not its echo (a benchmark's people ignore
            # the Message they made; encoding and decoding it would be the driver's main cost).
            return _BRIEF.copy() if request.query.get("brief") else _reply(result)
        except (KeyError, TypeError, ValueError) as error:
            return web.json_response({"ok": False, "error": repr(error)}, status=400)

    async def get_messages(request: web.Request) -> web.Response:
        chat_id = int(request.query["chat_id"])
        bot_only = request.query.get("bot_only", "") in ("1", "true")
        return _reply(emu.bot_messages(chat_id) if bot_only else emu.messages(chat_id))

    async def get_stats(request: web.Request) -> web.Response:
        return _reply(
            {
                "stats": dict(emu.stats),
                "pending_updates": emu.pending_updates(),
                "calls": len(emu.calls),
                "unknown_calls": [call.method for call in emu.unknown_calls],
                "webhook_deliveries": dict(Counter(str(d.status) for d in emu.webhook_deliveries)),
            }
        )

    async def get_calls(request: web.Request) -> web.Response:
        method = request.query.get("method")
        since = int(request.query.get("since", "0"))
        calls = [
            dataclasses.asdict(call)
            for call in emu.calls[since:]
            if method is None or call.method == method
        ]
        return _reply(calls)

    app.router.add_get("/_ctl/messages", get_messages)
    app.router.add_get("/_ctl/stats", get_stats)
    app.router.add_get("/_ctl/calls", get_calls)
    app.router.add_post("/_ctl/{action}", post_action)
