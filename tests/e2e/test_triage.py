"""Triage at intake: cases naming a committee member, urgent content."""

from __future__ import annotations

from bot.sandbox_chat import visible_text
from tests.e2e.conftest import World, submit_case


async def test_a_case_naming_a_member_is_hidden_from_them_and_goes_to_the_chair(
    world: World,
) -> None:
    text = (
        "Ông Le Quang Minh thu tiền sai quy định khi làm giấy tờ đất."  # typed without diacritics
    )
    code = await submit_case(world.citizen, texts=(text,))
    card = await world.hung.wait_for(code)
    assert "nêu tên thành viên" in visible_text(card)
    await world.lan.wait_for(code)  # Lan is a deputy: leaders decide who handles it
    await world.minh.settle(quiet=0.3)
    assert not any(code in t for t in world.minh.texts())
    world.minh.say(f"/tracuu {code}")
    await world.minh.wait_for("Trạng thái")  # members may see its status...
    world.hung.press("Thao tác ▸", message=card)
    await world.hung.wait_for("Thao tác với phiếu")
    world.hung.press("Giao cho…")
    choices = await world.hung.wait_for("Giao phiếu")
    labels = [b["text"] for row in choices["reply_markup"]["inline_keyboard"] for b in row]
    assert "Lê Quang Minh" not in labels  # ...but the case can never be handed to him


async def test_urgent_words_get_the_emergency_numbers_and_alert_the_chair(world: World) -> None:
    world.citizen.say("/gopy")
    await world.citizen.wait_for("dữ liệu cá nhân")
    world.citizen.say("Nha ben canh dang chay lon, co nguoi mac ket!")
    reply = await world.citizen.wait_for("113")
    assert "không phải kênh cấp cứu" in visible_text(reply)
    alert = await world.hung.wait_for("khẩn cấp")
    assert "dang chay lon" in visible_text(alert)
    assert "Nguyễn" not in visible_text(alert)


async def test_ordinary_text_is_not_mistaken_for_an_emergency(world: World) -> None:
    await submit_case(world.citizen, texts=("Đề nghị sửa đèn chiếu sáng ở ngã ba chợ.",))
    assert not any("113" in t for t in world.citizen.texts())
