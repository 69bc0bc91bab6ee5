"""Bot API methods about the bot itself and its chats: getMe, commands, getChat."""

from __future__ import annotations

import copy
import json
import re

from sandbox.state import SandboxState
from sandbox.wire import JsonDict, Params, bad_request

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def _scope_key(p: Params) -> str:
    scope = p.get_dict("scope") or {"type": "default"}
    return json.dumps([scope, p.get_str("language_code") or ""], sort_keys=True)


async def get_me(state: SandboxState, p: Params) -> JsonDict:
    """getMe."""
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def set_my_commands(state: SandboxState, p: Params) -> bool:
    """setMyCommands."""
    commands = p.get_list("commands")
    if commands is None or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "")) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    state.commands[_scope_key(p)] = copy.deepcopy(commands)
    return True


async def get_my_commands(state: SandboxState, p: Params) -> list[JsonDict]:
    """getMyCommands."""
    return copy.deepcopy(state.commands.get(_scope_key(p), []))


async def delete_my_commands(state: SandboxState, p: Params) -> bool:
    """deleteMyCommands."""
    state.commands.pop(_scope_key(p), None)
    return True


async def get_chat(state: SandboxState, p: Params) -> JsonDict:
    """getChat: the ChatFullInfo fields PTB requires, plus the chat's names."""
    chat = state.chat(p.chat_id())
    if chat is None:
        raise bad_request("chat not found")
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
