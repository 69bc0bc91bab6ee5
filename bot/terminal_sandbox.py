"""`homthu sandbox`: chat with the bot in the terminal, as a citizen or as a committee member."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bot.demo import sandbox_bot
from bot.sandbox_chat import JsonDict, SandboxChat, visible_text

HELP = """Gõ tin nhắn như trong Telegram (ví dụ /gopy). Lệnh của sandbox:
  :b N          bấm nút số N của tin nhắn gần nhất có nút
  :r N nội dung trả lời (reply) tin nhắn số N
  :photo  :doc  :voice  :loc  :sticker   gửi ảnh / tệp PDF / tin nhắn thoại / vị trí / sticker
  :phone        chia sẻ số điện thoại của mình
  :as dan | lan | minh | hung            đổi người: người dân, thành viên Lan, Minh, Trưởng ban Hùng
  :help   :quit"""


async def run_terminal_sandbox() -> int:
    """Run the REPL until :quit or end of input."""
    with tempfile.TemporaryDirectory(prefix="homthu-sandbox-") as tmp:
        async with sandbox_bot(Path(tmp)) as (emu, _app):
            numbered: dict[int, tuple[SandboxChat, JsonDict]] = {}

            def show(chat: SandboxChat, message: JsonDict) -> None:
                number = len(numbered) + 1
                numbered[number] = (chat, message)
                print(f"[{number}] 🤖 → {chat.name}: {visible_text(message)}")
                rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
                labels = [b["text"] for row in rows for b in row]
                if labels:
                    print(
                        "     " + "  ".join(f"({i}) {label}" for i, label in enumerate(labels, 1))
                    )

            people = {
                "dan": SandboxChat(emu, 2001, "Nguyễn", "Văn An", on_message=show),
                "lan": SandboxChat(emu, 1002, "Trần Thị", "Lan", on_message=show),
                "minh": SandboxChat(emu, 1003, "Lê Quang", "Minh", on_message=show),
                "hung": SandboxChat(emu, 1001, "Nguyễn Văn", "Hùng", on_message=show),
            }
            for chat in people.values():
                chat.mark_read()
            me = people["dan"]
            print(HELP)
            loop = asyncio.get_running_loop()
            while True:
                try:
                    line = await loop.run_in_executor(None, input, f"{me.name}> ")
                except EOFError:
                    return 0
                line = line.strip()
                if not line:
                    continue
                if line in (":quit", ":q"):
                    return 0
                if line == ":help":
                    print(HELP)
                    continue
                if line.startswith(":as "):
                    me = people.get(line[4:].strip(), me)
                    continue
                error = _act(me, line, numbered)
                if error:
                    print(error)
                    continue
                await asyncio.sleep(0.1)
                for chat in people.values():
                    await chat.settle(quiet=0.3, timeout=5)


def _act(
    me: SandboxChat, line: str, numbered: dict[int, tuple[SandboxChat, JsonDict]]
) -> str | None:
    """Perform one line of input; an error text if it could not be done."""
    emu, uid = me.emu, me.user_id
    if line.startswith(":b "):
        try:
            index = int(line[3:]) - 1
            message = next(
                m
                for m in reversed(me.inbox())
                if (m.get("reply_markup") or {}).get("inline_keyboard")
            )
            buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
            emu.press_button(uid, message["message_id"], buttons[index]["callback_data"])
        except (ValueError, StopIteration, IndexError):
            return "Không có nút đó."
        return None
    if line.startswith(":r "):
        number, _, text = line[3:].partition(" ")
        target = numbered.get(int(number)) if number.isdigit() else None
        if target is None or target[0] is not me:
            return "Không có tin nhắn đó trong cuộc trò chuyện này."
        me.say(text, reply_to=target[1]["message_id"])
        return None
    media = {
        ":photo": lambda: emu.send_photo(uid, caption="Ảnh hiện trường"),
        ":doc": lambda: emu.send_document(
            uid, file_name="don.pdf", mime_type="application/pdf", data=b"%PDF-1.4"
        ),
        ":voice": lambda: emu.send_voice(uid),
        ":loc": lambda: emu.send_location(uid, 10.2415, 106.3759),
        ":sticker": lambda: emu.send_sticker(uid),
        ":phone": lambda: emu.send_contact(uid, "0901234567", own=True),
    }
    if line in media:
        media[line]()
        return None
    me.say(line)
    return None
