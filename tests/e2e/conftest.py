"""End-to-end fixtures: the sandbox emulator, a real bot running against it, people, and the
walks through the /gopy dialog that many tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import Homthu, start
from bot.config import Config
from bot.demo import sandbox_config
from bot.domain.ports import Clock
from bot.sandbox_chat import JsonDict, SandboxChat, visible_text
from sandbox import BotApiEmulator

MEMBERS = ("hung", "lan", "minh")


@dataclass
class World:
    """The running bot and the people around it (members from the packaged sample config)."""

    emu: BotApiEmulator
    app: Homthu  # replaced by tests that restart the bot
    citizen: SandboxChat
    other_citizen: SandboxChat
    hung: SandboxChat  # chair
    lan: SandboxChat  # member of "Đất đai", "Hạ tầng – giao thông", "Khác"
    minh: SandboxChat  # member of "Đất đai", "Môi trường – vệ sinh", "An ninh trật tự"

    def members(self) -> list[SandboxChat]:
        """Every member's chat."""
        return [self.hung, self.lan, self.minh]


@asynccontextmanager
async def running_world(
    tmp_path: Path,
    *,
    clock: Clock | None = None,
    configure: Callable[[Config], Config] | None = None,
    started: Collection[str] = MEMBERS,
    telegram_flood_limits: bool = False,
) -> AsyncIterator[World]:
    """A bot on a fresh SQLite file in tmp_path, running against the emulator, and the people.

    `configure` changes the sandbox config before the bot starts; the members named in `started`
    press /start (as they must before the bot can write to them) and have read its replies;
    `telegram_flood_limits` makes the emulator answer 429 beyond Telegram's limits.
    """
    emu = BotApiEmulator(token="123456:SANDBOX", bot_username="homthu_sandbox_bot")
    await emu.start()
    try:
        if telegram_flood_limits:
            emu.set_rate_limits(30.0, per_chat_per_second=1.0, burst=3)
        config = sandbox_config(tmp_path, emu)
        if configure is not None:
            config = configure(config)
        world = World(
            emu=emu,
            app=await start(config, clock=clock),
            citizen=SandboxChat(emu, 2001, "Nguyễn", "Văn An", username="an_nguyen"),
            other_citizen=SandboxChat(emu, 2002, "Trần", "Bình"),
            hung=SandboxChat(emu, 1001, "Nguyễn Văn", "Hùng"),
            lan=SandboxChat(emu, 1002, "Trần Thị", "Lan"),
            minh=SandboxChat(emu, 1003, "Lê Quang", "Minh"),
        )
        try:
            members = [getattr(world, name) for name in started]
            for member in members:
                member.say("/start")
            for member in members:
                await member.wait_for("kết nối với hòm thư")
            # The welcome's follow-up messages too, so that no test starts with mail in flight.
            assert await world.app.dispatcher.drain(10), "the members' welcome never went out"
            for member in members:
                member.mark_read()
            yield world
        finally:
            await world.app.stop()
    finally:
        await emu.stop()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """A bot on a fresh SQLite file in tmp_path, with members who have started it."""
    async with running_world(tmp_path) as running:
        yield running


# Walking the /gopy dialog ----------------------------------------------------------------------


async def open_content_step(
    citizen: SandboxChat, *, field: str = "Đất đai", village: str | None = None
) -> JsonDict:
    """/gopy (consenting if asked), a field and a village (skipped when None): stops at step 3,
    where the citizen writes; returns the step's prompt."""
    citizen.say("/gopy")
    first = await citizen.wait_for(("Bước 1/5", "dữ liệu cá nhân"))
    if "dữ liệu cá nhân" in first["text"]:
        citizen.press("Đồng ý")
        await citizen.wait_for("Bước 1/5")
    citizen.press(field)
    await citizen.wait_for("Bước 2/5")
    citizen.press("Bỏ qua" if village is None else village)
    return await citizen.wait_for("Bước 3/5")


async def write_content(citizen: SandboxChat, texts: tuple[str, ...]) -> None:
    """At step 3: each text as one more part of the content."""
    for index, text in enumerate(texts, 1):
        citizen.say(text)
        await citizen.wait_for(f"({index} phần)")


async def choose_identity(
    citizen: SandboxChat,
    *,
    anonymous: bool = True,
    phone: str | None = None,
    timeout: float = 10.0,  # noqa: ASYNC109 - how long the summary may take
) -> JsonDict:
    """From step 3 with content given: on to step 4 and answer it; returns the summary to confirm.

    A named submission shares the citizen's own `phone`, or skips the phone when it is None.
    """
    citizen.press("Tiếp tục")
    await citizen.wait_for("Bước 4/5")
    if anonymous:
        citizen.press("Ẩn danh")
    else:
        citizen.press("Gửi kèm họ tên")
        await citizen.wait_for("số điện thoại")
        if phone is None:
            citizen.emu.tap_keyboard(citizen.user_id, "Bỏ qua")
        else:
            citizen.emu.send_contact(citizen.user_id, phone, own=True)
    return await citizen.wait_for("kiểm tra lại", timeout=timeout)


def code_of(receipt: JsonDict) -> str:
    """The tracking code a receipt shows."""
    return visible_text(receipt).split("Mã tra cứu: ", 1)[1].split()[0]


async def send_submission(citizen: SandboxChat) -> str:
    """At the summary: press «Gửi»; returns the tracking code from the receipt."""
    citizen.press("Gửi")
    return code_of(await citizen.wait_for("Mã tra cứu"))


async def fill_in_submission(
    citizen: SandboxChat, texts: tuple[str, ...] = ("Nội dung.",)
) -> JsonDict:
    """Walk /gopy up to the confirmation, anonymously, so the next press of «Gửi» submits;
    returns the summary."""
    await open_content_step(citizen)
    await write_content(citizen, texts)
    return await choose_identity(citizen)


async def finish_from_content(citizen: SandboxChat) -> str:
    """From step 3 with content given, submit anonymously; returns the tracking code."""
    await choose_identity(citizen)
    return await send_submission(citizen)


async def submit_case(
    citizen: SandboxChat,
    *,
    field: str = "Đất đai",
    village: str | None = "Thôn Đông",
    texts: tuple[str, ...] = ("Đường vào thôn bị lấn chiếm.",),
    anonymous: bool = True,
    phone: str | None = None,
) -> str:
    """Walk the whole /gopy dialog and return the tracking code from the receipt."""
    await open_content_step(citizen, field=field, village=village)
    await write_content(citizen, texts)
    await choose_identity(citizen, anonymous=anonymous, phone=phone)
    return await send_submission(citizen)


async def track(chat: SandboxChat, code: str, *, reply: str = "Trạng thái") -> str:
    """/tracuu `code`; returns the bot's answer (the message containing `reply`)."""
    chat.say(f"/tracuu {code}")
    return visible_text(await chat.wait_for(reply))
