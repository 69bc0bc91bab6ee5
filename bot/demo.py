"""`homthu demo`: the whole round trip on the embedded sandbox, printed as a readable transcript."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bot.app import Homthu, start
from bot.config import Config, parse_config, sample_config_text
from bot.sandbox_chat import JsonDict, SandboxChat, button_labels, visible_text
from sandbox import BotApiEmulator

Printer = Callable[[str], None]


def sandbox_config(folder: Path, emu: BotApiEmulator) -> Config:
    """The packaged sample config, pointed at the emulator, with its database in `folder`."""
    # env={} so that a real HOMTHU_TELEGRAM_TOKEN in the shell never leaks into the sandbox.
    config = parse_config(sample_config_text(), folder / "sample_config.toml", env={})
    telegram = replace(
        config.telegram, base_url=emu.base_url, base_file_url=emu.base_file_url, poll_timeout=1
    )
    # The emulator enforces no flood limits unless a test asks it to, so the sandbox need not
    # wait a second between messages to one chat as the real Telegram requires.
    outbox = replace(config.outbox, per_chat_rate=50.0, per_chat_burst=10, global_rate=200.0)
    return replace(config, telegram=telegram, outbox=outbox)


@asynccontextmanager
async def sandbox_bot(folder: Path) -> AsyncIterator[tuple[BotApiEmulator, Homthu]]:
    """An emulator and a bot running against it; the members have already said /start."""
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    app: Homthu | None = None
    try:
        config = sandbox_config(folder, emu)
        app = await start(config)
        for member in config.members:
            if member.telegram_id is not None:
                first, _, last = member.name.rpartition(" ")
                chat = SandboxChat(emu, member.telegram_id, first or last, last if first else None)
                chat.say("/start")
                await chat.wait_for("kết nối với hòm thư")
        yield emu, app
    finally:
        if app is not None:
            await app.stop()
        await emu.stop()


def transcript_printer(out: Printer) -> Callable[[SandboxChat, JsonDict], None]:
    """Prints each bot message as it reaches a chat."""

    def show(chat: SandboxChat, message: JsonDict) -> None:
        text = visible_text(message).replace("\n", "\n      ")
        out(f"  🤖 → {chat.name}: {text}")
        labels = button_labels(message)
        if labels:
            out("      [" + "] [".join(labels) + "]")

    return show


async def run_demo(out: Printer = print) -> bool:
    """Run the scripted round trip; True if every step produced what a user should see."""
    with tempfile.TemporaryDirectory(prefix="homthu-demo-") as tmp:
        async with sandbox_bot(Path(tmp)) as (emu, app):
            show = transcript_printer(out)
            citizen = SandboxChat(emu, 2001, "Nguyễn", "Văn An", on_message=show)
            lan = SandboxChat(emu, 1002, "Trần Thị", "Lan", on_message=show)
            minh = SandboxChat(emu, 1003, "Lê Quang", "Minh", on_message=show)
            stranger = SandboxChat(emu, 2002, "Người", "Khác", on_message=show)
            lan.mark_read()
            minh.mark_read()

            async def act(
                who: SandboxChat, what: str, expect: str, *, press: bool = False
            ) -> JsonDict:
                out(f"\n👤 {who.name}: {'[bấm] ' if press else ''}{what}")
                if press:
                    who.press(what)
                else:
                    who.say(what)
                found = await who.wait_for(expect)
                await who.settle(quiet=0.2)
                return found

            out(f"=== homthu demo: {app.config.commune.name}, hòm thư góp ý số (sandbox) ===")
            await act(citizen, "/start", "dữ liệu cá nhân")
            await act(citizen, "Đồng ý", "Bước 1/5", press=True)
            await act(citizen, "Đất đai", "Bước 2/5", press=True)
            await act(citizen, "Thôn Đông", "Bước 3/5", press=True)
            await act(
                citizen,
                "Đường đất vào <xóm> Đông bị lấn chiếm & thu hẹp còn 1 mét, xe cứu thương không vào được.",
                "Đã nhận (1 phần)",
            )
            await act(citizen, "Tiếp tục", "Bước 4/5", press=True)
            await act(citizen, "Ẩn danh", "kiểm tra lại", press=True)
            receipt = await act(citizen, "Gửi", "Mã tra cứu", press=True)
            code = visible_text(receipt).split("Mã tra cứu: ", 1)[1].split()[0]
            notice = await lan.wait_for(code)
            await minh.wait_for(code)
            await lan.settle(quiet=0.2)
            await minh.settle(quiet=0.2)
            await act(lan, "Nhận xử lý", "đã nhận xử lý", press=True)
            await minh.settle(quiet=0.2)
            lan.press("Trả lời", message=notice)
            out(f"\n👤 {lan.name}: [bấm] Trả lời")
            await lan.wait_for("Mời Ông/Bà gửi nội dung trả lời")
            await act(
                lan,
                "Cảm ơn Ông/Bà. Tổ địa chính sẽ kiểm tra hiện trạng vào ngày mai, 28/11.",
                "Đã gửi câu trả lời",
            )
            answer = await citizen.wait_for("Trả lời phiếu")
            await citizen.settle(quiet=0.2)
            await minh.settle(quiet=0.2)
            out(f"\n👤 {citizen.name}: (trả lời tin nhắn) Ngày mai mấy giờ ạ?")
            citizen.say("Ngày mai mấy giờ ạ?", reply_to=answer["message_id"])
            await citizen.wait_for("Đã bổ sung")
            followup = await lan.wait_for("Người dân bổ sung")
            await citizen.settle(quiet=0.2)
            out(f"\n👤 {lan.name}: (trả lời tin nhắn) Khoảng 8 giờ sáng ạ.")
            lan.say("Khoảng 8 giờ sáng ạ.", reply_to=followup["message_id"])
            await citizen.wait_for("Khoảng 8 giờ")
            await lan.settle(quiet=0.2)
            await act(citizen, f"/tracuu {code}", "Đã trả lời")
            await act(stranger, f"/tracuu {code}", "Không tìm thấy")
            anonymous = all(
                "Nguyễn" not in visible_text(m) and "2001" not in visible_text(m)
                for m in lan.inbox() + minh.inbox()
            )
            out(
                f"\nDanh tính người gửi ẩn danh không lộ với thành viên: {'đúng' if anonymous else 'SAI'}"
            )
            out("=== demo xong ===")
            return anonymous
