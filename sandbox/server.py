"""The HTTP face of the emulator: routes, token check, faults, limits, dispatch."""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from sandbox.faults import DEFAULT_TIMEOUT_HOLD, SEND_METHODS, FaultBook, RateLimiter
from sandbox.methods import METHODS, canonical_name
from sandbox.recording import DROPPED, CallLog
from sandbox.state import SandboxState
from sandbox.wire import ApiError, JsonDict, Params, error_response, ok_response, parse_request

_WELL_FORMED_TOKEN = re.compile(r"\d+:[\w-]+")
MAX_UPLOAD = 50 * 1024 * 1024


def _recorded_params(params: Params) -> JsonDict:
    uploads = {
        key: {"upload": f.filename, "content_type": f.content_type, "size": len(f.data)}
        for key, f in params.files.items()
    }
    return {**params.values, **uploads}


class ApiServer:
    """Serves `/bot<token>/<method>` and `/file/bot<token>/<path>` from the shared state."""

    def __init__(self, state: SandboxState, faults: FaultBook, log: CallLog) -> None:
        self.state = state
        self.faults = faults
        self.log = log
        self.limiter: RateLimiter | None = None
        self.stopping = asyncio.Event()

    def build_app(self) -> web.Application:
        """An aiohttp application with the API and file routes."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        return app

    def _token_error(self, token: str) -> ApiError | None:
        if token == self.state.token:
            return None
        if _WELL_FORMED_TOKEN.fullmatch(token):
            return ApiError(401, "Unauthorized")
        return ApiError(404, "Not Found")

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API call."""
        refused = self._token_error(request.match_info["token"])
        if refused is not None:
            return error_response(refused)
        try:
            params = await parse_request(request)
        except ApiError as error:
            return error_response(error)
        asked = request.match_info["method"]
        method = canonical_name(asked)
        if method is None:
            self.log.record_unknown(asked, _recorded_params(params))
            self.state.changed.notify()
            return error_response(ApiError(404, f"Not Found: method {asked} is not emulated"))
        try:
            result = await self._run(method, params)
        except _Dropped:
            self._record(method, params, DROPPED)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=504)
        except ApiError as error:
            self._record(method, params, error.status)
            return error_response(error)
        self._record(method, params, 200)
        return ok_response(result)

    def _record(
        self, method: str, params: Params, status: int, *, webhook_reply: bool = False
    ) -> None:
        """Log the call and wake waiters watching `emu.calls`."""
        self.log.record(method, _recorded_params(params), status, webhook_reply=webhook_reply)
        self.state.changed.notify()

    async def perform_webhook_reply(self, asked: str, params: Params) -> None:
        """Run a method the bot asked for in its answer to a webhook POST, as a call of its
        own (faults and limits apply); its result and any error go nowhere, as at Telegram."""
        method = canonical_name(asked)
        if method is None:
            self.log.record_unknown(asked, _recorded_params(params), webhook_reply=True)
            self.state.changed.notify()
            return
        status = 200
        try:
            await self._run(method, params)
        except _Dropped:
            status = DROPPED
        except ApiError as error:
            status = error.status
        self._record(method, params, status, webhook_reply=True)

    async def _run(self, method: str, params: Params) -> object:
        chat_id = params.values.get("chat_id")
        fault = self.faults.take(method, chat_id)
        if fault is not None:
            if fault.timeout:
                await self._hold(fault.delay if fault.delay is not None else DEFAULT_TIMEOUT_HOLD)
                raise _Dropped
            if fault.delay:
                await self._hold(fault.delay)
            error = fault.error()
            if error is not None:
                raise error
        if self.limiter is not None and method in SEND_METHODS:
            retry_after = self.limiter.check(chat_id)
            if retry_after is not None:
                parameters = {"retry_after": retry_after}
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", parameters)
        return await METHODS[method](self.state, params)

    async def _hold(self, seconds: float) -> None:
        """Sleep, but end at once when the emulator stops."""
        try:
            await asyncio.wait_for(self.stopping.wait(), seconds)
        except TimeoutError:
            pass

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        """Serve a file's bytes at the path getFile gave out."""
        if self._token_error(request.match_info["token"]) is not None:
            return web.Response(status=404, text="Not Found")
        stored = self.state.files.by_path(request.match_info["path"])
        if stored is None:
            return web.Response(status=404, text="Not Found")
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)


class _Dropped(Exception):
    """A timeout fault ran out: drop the connection without acting."""
