"""Forum topics in supergroups: createForumTopic, and the thread fields of topic messages."""

from __future__ import annotations

from sandbox.state import SandboxState, public
from sandbox.wire import JsonDict, Params, bad_request

# Telegram's default topic colour (blue) when the bot names none.
DEFAULT_ICON_COLOR = 7322096
ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


async def create_forum_topic(state: SandboxState, p: Params) -> JsonDict:
    """createForumTopic: a new topic, opened by a service message whose id is the thread id."""
    chat_id = p.chat_id()
    group = state.groups.get(chat_id)
    if group is None:
        raise bad_request("chat not found")
    if not group.get("is_forum"):
        raise bad_request("the chat is not a forum")
    name = p.get_str("name") or ""
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_NAME_INVALID")
    color = p.get_int("icon_color") or DEFAULT_ICON_COLOR
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    created = state.add_message(
        chat_id,
        state.bot_user,
        {"forum_topic_created": {"name": name, "icon_color": color}, "is_topic_message": True},
    )
    thread = created["message_id"]
    created["message_thread_id"] = thread
    topic: JsonDict = {"message_thread_id": thread, "name": name, "icon_color": color}
    state.topics.setdefault(chat_id, {})[thread] = topic
    return dict(topic)


def thread_fields(state: SandboxState, chat_id: int, thread: int | None) -> JsonDict:
    """The fields of a message posted in a topic; like Telegram, one that replies to nothing
    replies to the topic's opening message."""
    if thread is None:
        return {}
    if thread not in state.topics.get(chat_id, {}):
        raise bad_request("message thread not found")
    fields: JsonDict = {"message_thread_id": thread, "is_topic_message": True}
    opening = state.find_message(chat_id, thread)
    if opening is not None:
        fields["reply_to_message"] = public(opening)
    return fields
