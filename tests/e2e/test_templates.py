"""Canned answers: the chair keeps them with /mau, a member sends one from the answer prompt."""

from __future__ import annotations

from bot.sandbox_chat import button_labels, visible_text
from tests.e2e.conftest import World, submit_case, track


async def add_template(world: World, args: str) -> str:
    """The chair adds a canned answer; returns the bot's confirmation."""
    world.hung.say(f"/mau them {args}")
    return visible_text(await world.hung.wait_for("Đã thêm câu trả lời mẫu"))


async def test_the_chair_adds_lists_and_deletes_canned_answers(world: World) -> None:
    world.hung.say("/mau")
    await world.hung.wait_for("Chưa có câu trả lời mẫu nào")
    added = await add_template(world, "dat-dai Lịch tiếp dân | Ban tiếp dân vào sáng thứ Ba.")
    assert "#1 (Đất đai)" in added
    await add_template(world, "* Đã ghi nhận | Xã đã ghi nhận và sẽ trả lời sớm.")

    world.hung.say("/mau")
    listing = visible_text(await world.hung.wait_for("Câu trả lời mẫu"))
    assert "#2 [mọi lĩnh vực] Đã ghi nhận: Xã đã ghi nhận và sẽ trả lời sớm." in listing
    assert "#1 [Đất đai] Lịch tiếp dân: Ban tiếp dân vào sáng thứ Ba." in listing

    world.hung.say("/mau xoa 1")
    await world.hung.wait_for("Đã xóa câu trả lời mẫu #1")
    world.hung.say("/mau")
    listing = visible_text(await world.hung.wait_for("Câu trả lời mẫu"))
    assert "Lịch tiếp dân" not in listing
    [row] = await world.app.db.read(
        "SELECT deleted_at IS NOT NULL AS gone FROM answer_templates WHERE id = 1"
    )
    assert row["gone"] == 1
    actions = await world.app.db.read(
        "SELECT actor, action, detail FROM audit_log WHERE action LIKE 'template_%' ORDER BY id"
    )
    assert [tuple(r) for r in actions] == [
        ("hung", "template_added", "template=1 field=dat-dai"),
        ("hung", "template_added", "template=2 field=*"),
        ("hung", "template_deleted", "template=1"),
    ]


async def test_a_plain_member_may_not_manage_canned_answers(world: World) -> None:
    world.minh.say("/mau them dat-dai Tiêu đề | Nội dung.")
    await world.minh.wait_for("dành cho Trưởng ban")
    world.minh.say("/mau")
    await world.minh.wait_for("dành cho Trưởng ban")
    assert await world.app.db.read("SELECT id FROM answer_templates") == []


async def test_an_unknown_field_is_refused_politely(world: World) -> None:
    world.hung.say("/mau them dat-da Tiêu đề | Nội dung.")
    refusal = visible_text(await world.hung.wait_for("Không có lĩnh vực"))
    assert "dat-da" in refusal
    assert "dat-dai" in refusal
    world.hung.say("/mau them dat-dai chỉ có tiêu đề")
    await world.hung.wait_for("Cách dùng")
    assert await world.app.db.read("SELECT id FROM answer_templates") == []


async def test_the_answer_prompt_offers_the_fields_and_the_all_fields_templates(
    world: World,
) -> None:
    await add_template(world, "dat-dai Lịch tiếp dân | Ban tiếp dân vào sáng thứ Ba.")
    await add_template(world, "moi-truong Rác | Đội vệ sinh sẽ thu gom.")
    await add_template(world, "* Đã ghi nhận | Xã đã ghi nhận và sẽ trả lời sớm.")
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.press("Trả lời", message=card)
    prompt = await world.lan.wait_for("Mời Ông/Bà gửi nội dung trả lời")
    assert button_labels(prompt) == ["Lịch tiếp dân", "Đã ghi nhận"]


async def test_answering_with_a_template_reaches_the_citizen_and_answers_the_case(
    world: World,
) -> None:
    await add_template(world, "dat-dai Lịch tiếp dân | Ban tiếp dân vào sáng thứ Ba hằng tuần.")
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.press("Trả lời", message=card)
    await world.lan.wait_for("Mời Ông/Bà gửi nội dung trả lời")
    world.lan.press("Lịch tiếp dân")
    await world.lan.wait_for("Đã gửi câu trả lời")
    answer = await world.citizen.wait_for("Ban tiếp dân vào sáng thứ Ba hằng tuần.")
    assert code in visible_text(answer)
    await world.minh.wait_for("đã được Trần Thị Lan trả lời")
    [row] = await world.app.db.read("SELECT state, assignee_id FROM cases WHERE code = ?", (code,))
    assert (row["state"], row["assignee_id"]) == ("answered", "lan")
    assert "Ban tiếp dân vào sáng thứ Ba hằng tuần." in await track(world.citizen, code)


async def test_a_template_of_another_field_is_refused(world: World) -> None:
    await add_template(world, "moi-truong Rác | Đội vệ sinh sẽ thu gom.")
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    [case] = await world.app.db.read("SELECT id FROM cases WHERE code = ?", (code,))
    world.lan.press_data(int(card["message_id"]), f"m:tpl:{case['id']}:1")
    await world.lan.wait_for("Không có câu trả lời mẫu #1")
    [row] = await world.app.db.read("SELECT state FROM cases WHERE code = ?", (code,))
    assert row["state"] == "received"
