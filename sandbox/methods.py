"""The table of emulated Bot API methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sandbox import bot_info, editing, forum, sending, updates
from sandbox.state import SandboxState
from sandbox.wire import Params

Handler = Callable[[SandboxState, Params], Awaitable[object]]

METHODS: dict[str, Handler] = {
    "getMe": bot_info.get_me,
    "getChat": bot_info.get_chat,
    "setMyCommands": bot_info.set_my_commands,
    "getMyCommands": bot_info.get_my_commands,
    "deleteMyCommands": bot_info.delete_my_commands,
    "getUpdates": updates.get_updates,
    "setWebhook": updates.set_webhook,
    "deleteWebhook": updates.delete_webhook,
    "getWebhookInfo": updates.get_webhook_info,
    "sendMessage": sending.send_message,
    "sendPhoto": sending.send_photo,
    "sendDocument": sending.send_document,
    "sendVoice": sending.send_voice,
    "sendVideo": sending.send_video,
    "sendAudio": sending.send_audio,
    "sendAnimation": sending.send_animation,
    "sendSticker": sending.send_sticker,
    "sendVideoNote": sending.send_video_note,
    "sendLocation": sending.send_location,
    "sendContact": sending.send_contact,
    "sendMediaGroup": sending.send_media_group,
    "sendChatAction": sending.send_chat_action,
    "copyMessage": sending.copy_message,
    "forwardMessage": sending.forward_message,
    "editMessageText": editing.edit_message_text,
    "editMessageCaption": editing.edit_message_caption,
    "editMessageReplyMarkup": editing.edit_message_reply_markup,
    "deleteMessage": editing.delete_message,
    "answerCallbackQuery": editing.answer_callback_query,
    "getFile": editing.get_file,
    "createForumTopic": forum.create_forum_topic,
}

# Bot API method names are case-insensitive.
_BY_LOWER = {name.lower(): name for name in METHODS}


def canonical_name(method: str) -> str | None:
    """The Bot API spelling of `method`, or None if the emulator does not implement it."""
    return _BY_LOWER.get(method.lower())
