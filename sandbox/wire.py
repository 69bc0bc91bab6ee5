"""The Bot API wire format: request parameters in, `{"ok": ...}` envelopes out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

JsonDict = dict[str, Any]

# Parameters that are strings in the Bot API, so a form value is never JSON-decoded
# (a text of "123" must stay a string). Everything else sent as a form field is JSON.
RAW_STRING_KEYS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "url", "secret_token",
        "file_id", "title", "description", "short_description", "name", "language_code",
        "inline_message_id", "business_connection_id", "message_effect_id", "emoji",
        "address", "phone_number", "first_name", "last_name", "vcard", "ip_address",
        "action", "query", "performer", "foursquare_id", "foursquare_type",
        "google_place_id", "google_place_type", "question", "invite_link", "custom_title",
        "photo", "document", "voice", "video", "audio", "sticker", "animation",
        "video_note", "thumbnail", "certificate",
    }
)  # fmt: skip


class ApiError(Exception):
    """A refusal the emulator answers with `{"ok": false, ...}` and HTTP `status`."""

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JsonDict:
        """Return the Bot API error envelope."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Build a 400 whose description reads like Telegram's."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Params:
    """Decoded parameters of one call, with typed accessors that answer 400 on bad input."""

    values: JsonDict
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        """Tell whether the parameter was sent at all."""
        return key in self.values or key in self.files

    def get_str(self, key: str) -> str | None:
        """Return a string parameter (numbers are accepted and stringified)."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise bad_request(f'field "{key}" must be of type String')
        return str(value)

    def get_int(self, key: str) -> int | None:
        """Return an integer parameter."""
        value = self.values.get(key)
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{key}" must be of type Integer') from None

    def get_float(self, key: str) -> float | None:
        """Return a floating-point parameter."""
        value = self.values.get(key)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{key}" must be of type Float') from None

    def get_bool(self, key: str) -> bool:
        """Return a boolean parameter, False when absent."""
        value = self.values.get(key)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_dict(self, key: str) -> JsonDict | None:
        """Return a JSON object parameter."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(f"can't parse {key} JSON object")
        return value

    def get_list(self, key: str) -> list[Any] | None:
        """Return a JSON array parameter."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            raise bad_request(f"can't parse {key} JSON array")
        return value

    def chat_id(self, key: str = "chat_id") -> int:
        """Return the target chat id (numeric only: the emulator has no public usernames)."""
        value = self.values.get(key)
        if value is None or value == "":
            raise bad_request("chat_id is empty" if key == "chat_id" else f"{key} is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None


def decode_form_value(key: str, value: str) -> Any:
    """Decode one form or query value: JSON unless the parameter is a plain string."""
    if key in RAW_STRING_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def parse_request(request: web.Request) -> Params:
    """Read query string, JSON, urlencoded or multipart parameters into `Params`."""
    values: JsonDict = (
        {k: decode_form_value(k, v) for k, v in request.query.items()}
        if request.query_string
        else {}
    )
    files: dict[str, UploadedFile] = {}
    if request.method != "POST" or not request.can_read_body:
        return Params(values, files)
    if request.content_type == "application/json":
        try:
            # The bytes straight to json (it detects UTF-8), without request.json()'s text step.
            body = json.loads(await request.read())
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON request body must be an object")
        for key, value in body.items():
            # As the real Bot API does (telegram-bot-api's HttpReader): a JSON string is taken
            # as the parameter's text, exactly like a form value, so {"chat_id": "5"} and
            # {"reply_markup": "{...}"} (PTB's `RequestData.json_payload`) read as a form would.
            if isinstance(value, str):
                value = decode_form_value(key, value)
            values[key] = value
        return Params(values, files)
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, FileField):
            files[key] = UploadedFile(
                filename=value.filename or key,
                content_type=value.content_type or "application/octet-stream",
                data=value.file.read(),
            )
        else:
            text = value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")
            values[key] = decode_form_value(key, text)
    return Params(values, files)


def dumps(body: object) -> str:
    """Encode JSON the way Telegram does: UTF-8, compact."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def ok_response(result: object) -> web.Response:
    """Answer a successful call."""
    return web.json_response({"ok": True, "result": result}, dumps=dumps)


def error_response(error: ApiError) -> web.Response:
    """Answer a refused call with the error's HTTP status."""
    return web.json_response(error.body(), status=error.status, dumps=dumps)
