"""/timkiem: members find cases by the words in them, typed with or without diacritics."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.config import Config
from bot.sandbox_chat import visible_text
from tests.e2e.conftest import World, running_world, submit_case
from tests.e2e.test_committee_group import GROUP, with_group


def without_flood_limit(config: Config) -> Config:
    """One citizen submits six cases in a row."""
    return replace(
        config, limits=replace(config.limits, messages_per_minute=10_000, submissions_per_day=10)
    )


async def test_a_member_finds_a_case_by_words_typed_without_diacritics(world: World) -> None:
    code = await submit_case(world.citizen, texts=("Đường vào thôn bị lấn chiếm.",))
    world.minh.say("/timkiem duong lan chiem")
    reply = visible_text(await world.minh.wait_for("Kết quả tìm"))
    assert code in reply
    assert "Đất đai" in reply
    assert "Đường vào thôn bị lấn chiếm." in reply
    assert "Nguyễn" not in reply  # the anonymous citizen stays anonymous


async def test_a_member_does_not_find_cases_of_fields_not_theirs(world: World) -> None:
    theirs = await submit_case(world.citizen, texts=("Cống thoát nước bị tắc.",))
    other = await submit_case(
        world.other_citizen, field="Hạ tầng – giao thông", texts=("Cống qua đường bị vỡ.",)
    )
    world.minh.say("/timkiem cong")
    reply = visible_text(await world.minh.wait_for("Kết quả tìm"))
    assert theirs in reply and other not in reply
    world.hung.say("/timkiem cong")  # the chair sees every field
    reply = visible_text(await world.hung.wait_for("Kết quả tìm"))
    assert theirs in reply and other in reply


async def test_citizens_are_told_search_is_for_members(world: World) -> None:
    await submit_case(world.citizen)
    world.citizen.say("/timkiem duong")
    reply = visible_text(await world.citizen.wait_for("dành cho thành viên"))
    assert "MT-" not in reply


async def test_empty_hostile_and_long_queries_get_a_polite_answer(world: World) -> None:
    code = await submit_case(world.citizen, texts=("Đèn đường hỏng cả tháng.",))
    world.minh.say("/timkiem")
    await world.minh.wait_for("Mời Ông/Bà gõ từ khóa")
    world.minh.say('/timkiem "***" () AND')
    await world.minh.wait_for("Không tìm thấy phiếu nào")
    world.minh.say('/timkiem "đèn" OR* NEAR(hỏng')
    await world.minh.wait_for("Không tìm thấy phiếu nào")  # OR and NEAR are words, not in it
    world.minh.say('/timkiem "đèn" (hỏng*')
    assert code in visible_text(await world.minh.wait_for("Kết quả tìm"))
    world.minh.say("/timkiem " + "rất dài " * 20)
    await world.minh.wait_for("Từ khóa quá dài")


async def test_results_come_five_to_a_page_with_a_next_button(tmp_path: Path) -> None:
    async with running_world(tmp_path, configure=without_flood_limit) as world:
        codes = [
            await submit_case(world.citizen, texts=(f"Ngõ số {n} bị ngập khi mưa.",))
            for n in range(6)
        ]
        world.minh.say("/timkiem ngap")
        first = visible_text(await world.minh.wait_for("trang 1"))
        assert all(code in first for code in codes[1:]) and codes[0] not in first
        world.minh.press("Sau ▶")
        second = visible_text(await world.minh.wait_for("trang 2"))
        assert codes[0] in second
        world.minh.press("◀ Trước")
        assert codes[5] in visible_text(await world.minh.wait_for("trang 1"))


async def test_a_search_typed_in_the_committee_group_is_answered_in_private(
    tmp_path: Path,
) -> None:
    async with running_world(tmp_path, configure=with_group) as world:
        world.emu.add_group(GROUP, "Ban tiếp nhận góp ý", forum=True)
        code = await submit_case(world.citizen, texts=("Đường vào thôn bị lấn chiếm.",))
        before = len(world.emu.bot_messages(GROUP))
        world.emu.send_text(world.minh.user_id, "/timkiem duong", chat_id=GROUP)
        await world.emu.wait_for_bot_message(
            GROUP, contains="tin nhắn riêng", after_count=before, timeout=10
        )
        assert code in visible_text(await world.minh.wait_for("Kết quả tìm"))
        in_group = [visible_text(m) for m in world.emu.bot_messages(GROUP)]
        assert not any("Kết quả tìm" in text for text in in_group)
