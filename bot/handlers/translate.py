"""Translates Telegram updates into the mailbox's channel-neutral inbound events."""

from __future__ import annotations

from telegram import Message as TgMessage
from telegram import MessageEntity, Update

from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import (
    ContactInput,
    Event,
    MediaInput,
    TextInput,
    UnsupportedInput,
)
from bot.domain.model import Attachment, AttachmentKind, ChatRef, Sender

CHANNEL = "telegram"

_UNSUPPORTED = (
    "sticker",
    "video",
    "video_note",
    "animation",
    "audio",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
)


def to_inbound(update: Update, committee_chat_id: int | None = None) -> Inbound | None:
    """The inbound event for a private-chat or committee-group update, or None to ignore it."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or user.is_bot:
        return None
    if chat.type == "private":
        thread = None
    elif committee_chat_id is not None and chat.id == committee_chat_id:
        thread = _thread(update)
    else:
        return None
    sender = Sender(
        chat=ChatRef(CHANNEL, str(chat.id)),
        user_id=str(user.id),
        full_name=user.full_name,
        username=user.username,
    )
    update_id = str(update.update_id)
    if update.callback_query is not None:
        return Inbound(update_id, sender, ButtonPress(update.callback_query.data or ""), thread)
    message = update.message
    if message is None:
        return None
    command = _command(message)
    if command is not None:
        return Inbound(update_id, sender, command, thread)
    event = _event(message)
    if event is None:
        return None
    reply_to = message.reply_to_message
    return Inbound(
        update_id, sender, Message(event, str(reply_to.message_id) if reply_to else None), thread
    )


def _thread(update: Update) -> str:
    """The forum topic a group update came from; "" for the group's main chat."""
    message = update.effective_message
    if isinstance(message, TgMessage) and message.is_topic_message and message.message_thread_id:
        return str(message.message_thread_id)
    return ""


def _command(message: TgMessage) -> Command | None:
    text = message.text or ""
    entities = message.entities or ()
    first = next((e for e in entities if e.type == MessageEntity.BOT_COMMAND), None)
    if first is None or first.offset != 0:
        return None
    word = text[: first.length]
    name = word[1:].split("@", 1)[0].lower()
    return Command(name=name, args=text[first.length :].strip())


def _event(message: TgMessage) -> Event | None:
    if message.text is not None:
        return TextInput(message.text)
    caption = message.caption
    if message.photo:
        largest = message.photo[-1]
        return MediaInput(
            Attachment(
                AttachmentKind.PHOTO,
                file_id=largest.file_id,
                size=largest.file_size,
                caption=caption,
            )
        )
    if message.document is not None:
        doc = message.document
        return MediaInput(
            Attachment(
                AttachmentKind.DOCUMENT,
                file_id=doc.file_id,
                file_name=doc.file_name,
                mime_type=doc.mime_type,
                size=doc.file_size,
                caption=caption,
            )
        )
    if message.voice is not None:
        voice = message.voice
        return MediaInput(
            Attachment(
                AttachmentKind.VOICE,
                file_id=voice.file_id,
                mime_type=voice.mime_type,
                size=voice.file_size,
                caption=caption,
            )
        )
    if message.location is not None:
        loc = message.location
        return MediaInput(
            Attachment(AttachmentKind.LOCATION, latitude=loc.latitude, longitude=loc.longitude)
        )
    if message.contact is not None:
        contact = message.contact
        sender_id = message.from_user.id if message.from_user else None
        own = contact.user_id is not None and contact.user_id == sender_id
        return ContactInput(contact.phone_number, own)
    for what in _UNSUPPORTED:
        if getattr(message, what, None):
            return UnsupportedInput(what)
    return UnsupportedInput("other")
