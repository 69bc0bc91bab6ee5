"""Sends outbox messages through the Telegram Bot API, translating its errors into ours.

Rules the renderers follow, because one Telegram message carries one markup and one kind of body:
- A location message has no text (Telegram's sendLocation has no caption): renderers send the
  text as a separate message. A location with text is refused as a `PermanentFailure`.
- A media message's `text` becomes its caption (≤ 1024 characters after escaping); so does an
  upload's (a file the bot made, sent as a photo or a document). An upload wins over an attachment.
- Markup: a contact request (reply keyboard) wins over inline buttons, which win over removing
  the reply keyboard; renderers that need two of them send two messages.
- A message for a case's forum topic (`extra["topic_for_case"]`) creates the topic on the first
  post and records its thread id before posting, each step on its own: a crash between creating
  and recording leaves one empty topic and the retry makes another (at least once, like every
  send); a crash after recording reuses the recorded topic. The outbox sends one message per chat
  at a time, so two posts never race to create the same topic.

Text sends and edits, the hot path, go through `RawResultBot.post_raw`: the parameters, the
request and the error mapping of PTB's typed methods, without building a `Message` from
Telegram's answer, of which only the id is kept. Media and uploads use the typed methods.
"""

from __future__ import annotations

import json
import logging
import warnings
from datetime import timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.telegram_raw_bot import RawResultBot
from bot.domain.errors import (
    ChatUnreachable,
    DeliveryError,
    PermanentFailure,
    RetryLater,
    TransientFailure,
)
from bot.domain.model import Attachment, AttachmentKind
from bot.domain.outbound import TOPIC_FOR_CASE, TOPIC_NAME, Outbound, Upload
from bot.domain.ports import TopicLedger

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # frozen: one object serves every send
# The same, already serialised for the raw path: PTB passes a string parameter through as is.
_NO_PREVIEW_JSON = json.dumps(_NO_PREVIEW.to_dict(), separators=(",", ":"))


class TelegramSender:
    """The `MessageSender` for the "telegram" channel."""

    def __init__(self, bot: RawResultBot, topics: TopicLedger | None = None) -> None:
        self._bot = bot
        self._topics = topics

    async def send(self, message: Outbound) -> str:
        """Send one message and return its Telegram message id; raise a `DeliveryError`."""
        try:
            return str(await self._send(message))
        except TelegramError as exc:
            raise _translate(exc) from exc

    async def edit(self, message: Outbound, message_id: str) -> str:
        """Show `message` in place of the bot's message `message_id`; returns that id."""
        if message.upload is not None or message.attachment is not None or not message.text:
            raise PermanentFailure("only a text message can replace another in place")
        try:
            await self._bot.post_raw(
                "editMessageText",
                {
                    "chat_id": int(message.chat.chat_id),
                    "message_id": int(message_id),
                    "text": message.text,
                    "parse_mode": ParseMode.HTML,
                    "reply_markup": _inline_keyboard_json(message) if message.buttons else None,
                    "link_preview_options": _NO_PREVIEW_JSON,
                },
            )
        except BadRequest as exc:
            if "message is not modified" in exc.message.lower():
                return message_id
            raise _translate(exc) from exc
        except TelegramError as exc:
            raise _translate(exc) from exc
        return message_id

    async def _thread(self, message: Outbound) -> int | None:
        """The forum topic to post in; creates and records a case's topic on its first post."""
        if message.thread_id:
            return int(message.thread_id)
        case_id = message.extra.get(TOPIC_FOR_CASE)
        if case_id is None or self._topics is None:
            return None
        thread = await self._topics.thread_of(int(case_id))
        if thread is None:
            name = str(message.extra.get(TOPIC_NAME) or case_id)
            topic = await self._bot.create_forum_topic(int(message.chat.chat_id), name)
            thread = await self._topics.remember(
                int(case_id), message.chat, str(topic.message_thread_id)
            )
        return int(thread)

    async def _send(self, message: Outbound) -> int:
        """Send `message`; return Telegram's id for it."""
        chat_id = int(message.chat.chat_id)
        thread = await self._thread(message)
        if message.attachment is None and message.upload is None:
            if not message.text:
                raise PermanentFailure("message has neither text nor attachment")
            # The hot path: inline keyboards go as JSON text (no PTB objects to build and
            # serialise), and Telegram's answer stays a dict: only its message_id is read.
            result = await self._bot.post_raw(
                "sendMessage",
                {
                    "chat_id": chat_id,
                    "message_thread_id": thread,
                    "text": message.text,
                    "parse_mode": ParseMode.HTML,
                    "reply_markup": _raw_markup(message),
                    "link_preview_options": _NO_PREVIEW_JSON,
                },
            )
            return int(result["message_id"])
        markup = _markup(message)
        if message.upload is not None:
            sent = await self._upload(chat_id, thread, message.upload, message.text, markup)
            return sent.message_id
        attachment = message.attachment
        assert attachment is not None  # text-only messages took the hot path above
        sent = await self._send_attachment(chat_id, thread, attachment, message.text, markup)
        return sent.message_id

    async def _send_attachment(
        self,
        chat_id: int,
        thread: int | None,
        attachment: Attachment,
        caption: str | None,
        markup: Markup | None,
    ) -> Message:
        if attachment.kind is AttachmentKind.LOCATION:
            if caption:
                raise PermanentFailure("a location carries no text; send the text separately")
            if attachment.latitude is None or attachment.longitude is None:
                raise PermanentFailure("location without coordinates")
            return await self._bot.send_location(
                chat_id=chat_id,
                message_thread_id=thread,
                latitude=attachment.latitude,
                longitude=attachment.longitude,
                reply_markup=markup,
            )
        if not attachment.file_id:
            raise PermanentFailure(f"{attachment.kind.value} without a file id")
        if attachment.kind is AttachmentKind.PHOTO:
            return await self._bot.send_photo(
                chat_id=chat_id,
                message_thread_id=thread,
                photo=attachment.file_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        if attachment.kind is AttachmentKind.DOCUMENT:
            return await self._bot.send_document(
                chat_id=chat_id,
                message_thread_id=thread,
                document=attachment.file_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        return await self._bot.send_voice(
            chat_id=chat_id,
            message_thread_id=thread,
            voice=attachment.file_id,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def _upload(
        self,
        chat_id: int,
        thread: int | None,
        upload: Upload,
        caption: str | None,
        markup: Markup | None,
    ) -> Message:
        file = InputFile(upload.data, filename=upload.filename)
        file.mimetype = upload.mime_type  # PTB guesses from the name; we know it
        if upload.as_photo:
            return await self._bot.send_photo(
                chat_id=chat_id,
                message_thread_id=thread,
                photo=file,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        return await self._bot.send_document(
            chat_id=chat_id,
            message_thread_id=thread,
            document=file,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )


def _markup(message: Outbound) -> Markup | None:
    if message.contact_request is not None:
        share_label, skip_label = message.contact_request
        return ReplyKeyboardMarkup(
            [[KeyboardButton(share_label, request_contact=True)], [KeyboardButton(skip_label)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if message.buttons:
        return _inline_keyboard(message)
    if message.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


def _raw_markup(message: Outbound) -> Markup | str | None:
    """`_markup` for the raw path: an inline keyboard (the common case) as JSON text."""
    if message.buttons and message.contact_request is None:
        return _inline_keyboard_json(message)
    return _markup(message)


def _inline_keyboard_json(message: Outbound) -> str:
    """The inline keyboard as `InlineKeyboardMarkup.to_dict()` would serialise it."""
    rows = [
        [{"text": button.label, "callback_data": button.data} for button in row]
        for row in message.buttons
    ]
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False, separators=(",", ":"))


def _inline_keyboard(message: Outbound) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
            for row in message.buttons
        ]
    )


def _translate(exc: TelegramError) -> DeliveryError:
    """Map a Bot API error onto what the dispatcher should do next."""
    # Subclasses before their bases: BadRequest and TimedOut are NetworkErrors.
    if isinstance(exc, RetryAfter):
        return RetryLater(_retry_after_seconds(exc), str(exc))
    if isinstance(exc, Forbidden):
        return ChatUnreachable(str(exc))
    if isinstance(exc, BadRequest):
        if "chat not found" in exc.message.lower():
            return ChatUnreachable(str(exc))
        return PermanentFailure(str(exc))
    if isinstance(exc, ChatMigrated):
        # A group became a supergroup under a new id; the configured chat id is stale.
        return ChatUnreachable("chat migrated to a new id")
    if isinstance(exc, NetworkError):  # TimedOut too; a timed-out send may have arrived
        return TransientFailure(str(exc))
    if isinstance(exc, InvalidToken):
        log.error("Telegram rejected the bot token; check [telegram] token; mail is kept")
        return TransientFailure(str(exc))
    # Anything else Telegram may add: keep the mail and retry rather than lose it.
    return TransientFailure(f"{type(exc).__name__}: {exc}")


def _retry_after_seconds(exc: RetryAfter) -> float:
    # Without PTB_TIMEDELTA=1, PTB 22 returns an int and warns that it will become a timedelta.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value: int | timedelta = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)
