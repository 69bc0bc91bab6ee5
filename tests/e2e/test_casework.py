"""Casework from the messenger: the action menu, notes, hand-overs, closing the loop, worklists."""

from __future__ import annotations

import sqlite3

from bot.sandbox_chat import SandboxChat, button_labels, visible_text
from tests.e2e.conftest import World, submit_case


async def case_state(world: World, code: str) -> tuple[str, str | None]:
    [row] = await world.app.db.read("SELECT state, assignee_id FROM cases WHERE code = ?", (code,))
    return row["state"], row["assignee_id"]


async def open_menu(member: SandboxChat, code: str) -> dict[str, object]:
    card = next(m for m in reversed(member.inbox()) if code in visible_text(m) and button_labels(m))
    member.press("Thao tác ▸", message=card)
    return await member.wait_for("Thao tác với phiếu")


async def submitted(world: World) -> tuple[str, dict[str, object]]:
    """A fresh anonymous case in "Đất đai" (Lan and Minh) and Lan's card for it."""
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    await world.minh.wait_for(code)
    return code, card


async def test_internal_note_reaches_the_holder_but_never_the_citizen(world: World) -> None:
    code, card = await submitted(world)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    await open_menu(world.minh, code)
    world.minh.press("Ghi chú nội bộ")
    await world.minh.wait_for("ghi chú nội bộ cho phiếu")
    world.minh.say("Đã gọi trưởng thôn xác minh.")
    await world.minh.wait_for("Đã lưu ghi chú")
    relayed = await world.lan.wait_for("Đã gọi trưởng thôn xác minh.")
    assert "Lê Quang Minh" in visible_text(relayed)
    await world.citizen.settle(quiet=0.3)
    assert not any("trưởng thôn xác minh" in t for t in world.citizen.texts())


async def test_transfer_tells_the_citizen_where_the_case_went(world: World) -> None:
    code, card = await submitted(world)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    await open_menu(world.lan, code)
    world.lan.press("Chuyển cơ quan khác")
    await world.lan.wait_for("sẽ chuyển đến cơ quan nào")
    world.lan.say("Phòng Tài nguyên và Môi trường huyện <Mỹ Thành>.")
    await world.lan.wait_for("Đã chuyển cơ quan có thẩm quyền")
    notice = await world.citizen.wait_for("đã được chuyển đến cơ quan có thẩm quyền")
    assert "Phòng Tài nguyên và Môi trường huyện <Mỹ Thành>." in visible_text(notice)
    assert await case_state(world, code) == ("transferred", "lan")


async def test_only_the_chair_may_reject_and_the_citizen_hears_why(world: World) -> None:
    code, _card = await submitted(world)
    menu = await open_menu(world.minh, code)  # Minh is a plain member (Lan is a deputy)
    assert "Không đủ điều kiện" not in button_labels(menu)
    world.minh.press_data(int(menu["message_id"]), f"m:reject:{case_id(world, code)}")
    await world.minh.wait_for("dành cho Trưởng ban")
    world.hung.say("/viec dat-dai")
    await world.hung.wait_for(code)
    world.hung.press(code)
    await world.hung.wait_for("Phiếu góp ý mới")
    await open_menu(world.hung, code)
    world.hung.press("Không đủ điều kiện")
    await world.hung.wait_for("không đủ điều kiện xử lý?")
    world.hung.say("Nội dung không thuộc thẩm quyền của xã.")
    await world.hung.wait_for("Không đủ điều kiện xử lý")
    reason = await world.citizen.wait_for("không đủ điều kiện xử lý")
    assert "Nội dung không thuộc thẩm quyền của xã." in visible_text(reason)
    assert (await case_state(world, code))[0] == "rejected"


def case_id(world: World, code: str) -> int:
    with sqlite3.connect(world.app.config.storage.path) as conn:
        return int(conn.execute("SELECT id FROM cases WHERE code = ?", (code,)).fetchone()[0])


async def test_chair_assigns_a_case_and_the_member_gets_the_card(world: World) -> None:
    code, _card = await submitted(world)
    world.hung.say("/viec")
    await world.hung.wait_for(code)
    world.hung.press(code)
    await world.hung.wait_for("Phiếu góp ý mới")
    await open_menu(world.hung, code)
    world.hung.press("Giao cho…")
    await world.hung.wait_for("Giao phiếu")
    world.hung.press("Lê Quang Minh")
    await world.hung.wait_for("Đã giao phiếu")
    await world.minh.wait_for("đã giao phiếu")
    await world.citizen.wait_for("đã được giao cho thành viên")
    assert await case_state(world, code) == ("assigned", "minh")


async def test_holder_hands_the_case_over_to_a_colleague(world: World) -> None:
    code, card = await submitted(world)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    await open_menu(world.lan, code)
    world.lan.press("Chuyển người khác")
    await world.lan.wait_for("Giao phiếu")
    world.lan.press("Lê Quang Minh")
    await world.lan.wait_for("Đã giao phiếu")
    await world.minh.wait_for("đã giao phiếu")
    assert await case_state(world, code) == ("assigned", "minh")


async def test_citizen_confirms_resolution_and_rates_the_answer(world: World) -> None:
    code, card = await submitted(world)
    world.lan.say("Đã xử lý xong.", reply_to=card["message_id"])
    await world.citizen.wait_for("đã giải quyết được vấn đề")
    world.citizen.press("✅ Đã giải quyết")
    await world.citizen.wait_for("đã kết thúc")
    await world.citizen.wait_for("đánh giá câu trả lời")
    world.citizen.press("⭐⭐⭐⭐⭐")
    await world.citizen.wait_for("5 sao")
    assert (await case_state(world, code))[0] == "closed"
    events = await world.app.db.read(
        "SELECT action, note FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.code = ?",
        (code,),
    )
    assert ("rated", "5") in [(e["action"], e["note"]) for e in events]


async def test_not_resolved_reopens_the_case_and_tells_holder_and_chair(world: World) -> None:
    code, card = await submitted(world)
    world.lan.say("Đã xử lý.", reply_to=card["message_id"])
    await world.citizen.wait_for("đã giải quyết được vấn đề")
    world.citizen.press("❌ Chưa giải quyết")
    await world.citizen.wait_for("đã được mở lại")
    await world.lan.wait_for("chưa được giải quyết")
    await world.hung.wait_for("chưa được giải quyết")
    assert await case_state(world, code) == ("in_progress", "lan")


async def test_another_citizen_cannot_rate_or_reopen_someone_elses_case(world: World) -> None:
    code, card = await submitted(world)
    world.lan.say("Đã xử lý.", reply_to=card["message_id"])
    await world.citizen.wait_for("đã giải quyết được vấn đề")
    world.other_citizen.say("/start")
    await world.other_citizen.wait_for("Xin chào")
    anchor = world.other_citizen.inbox()[-1]
    world.other_citizen.press_data(int(anchor["message_id"]), f"c:notok:{case_id(world, code)}")
    await world.other_citizen.wait_for("không hợp lệ")
    assert (await case_state(world, code))[0] == "answered"


async def test_citizen_withdraws_a_case(world: World) -> None:
    code, _card = await submitted(world)
    world.citizen.say(f"/rut {code}")
    await world.citizen.wait_for("Ông/Bà đã rút phiếu")
    await world.lan.wait_for("đã rút phiếu")
    assert (await case_state(world, code))[0] == "withdrawn"


async def test_complaint_goes_to_reception_and_the_citizen_is_guided(world: World) -> None:
    hoa = SandboxChat(world.emu, 1004, "Phạm Thị", "Hoa")
    hoa.say("/start")
    await hoa.wait_for("kết nối với hòm thư")
    code, _card = await submitted(world)
    await open_menu(world.lan, code)
    world.lan.press("Phân loại")
    await world.lan.wait_for("thuộc loại nào")
    world.lan.press("Khiếu nại")
    await world.lan.wait_for("đã chuyển sang thủ tục khiếu nại")
    guidance = await world.citizen.wait_for("khiếu nại hoặc tố cáo")
    assert "chữ ký" in visible_text(guidance)
    await hoa.wait_for(code)
    assert await case_state(world, code) == ("guided", "hoa")
    await open_menu(hoa, code)
    hoa.press("Ghi kết quả")
    await hoa.wait_for("ghi kết quả giải quyết")
    hoa.say("Đã thụ lý đơn khiếu nại số 12/2026.")
    await world.citizen.wait_for("Đã thụ lý đơn khiếu nại số 12/2026.")
    assert (await case_state(world, code))[0] == "closed"


async def test_worklists_show_my_cases_and_overdue_ones(world: World) -> None:
    code = await submit_case(world.citizen)
    card = await world.minh.wait_for(code)
    world.minh.say("/viec")
    await world.minh.wait_for("không có phiếu nào")
    world.minh.press("Nhận xử lý", message=card)
    await world.minh.wait_for("Ông/Bà đã nhận xử lý")
    world.minh.say("/viec")
    listing = await world.minh.wait_for("Phiếu Ông/Bà đang xử lý")
    assert code in visible_text(listing)
    world.minh.say("/quahan")
    await world.minh.wait_for("Phiếu quá hạn: không có phiếu nào")
    world.citizen.say("/viec")
    await world.citizen.wait_for("chỉ dành cho thành viên")


async def test_chair_pages_through_all_open_cases(world: World) -> None:
    for n in range(3):  # two citizens: the daily cap and the flood guard are per citizen
        await submit_case(world.citizen, texts=(f"Phiếu số {n}.",))
        await submit_case(world.other_citizen, texts=(f"Phiếu khác số {n}.",))
    world.hung.say("/viec")
    first = await world.hung.wait_for("trang 1/2")
    assert len([b for b in button_labels(first) if b.startswith("MT-")]) == 5
    world.hung.press("Sau ▶", message=first)
    second = await world.hung.wait_for("trang 2/2")
    assert len([b for b in button_labels(second) if b.startswith("MT-")]) == 1


async def test_asking_the_citizen_pauses_the_deadline_until_they_reply(world: World) -> None:
    code, card = await submitted(world)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    [before] = await world.app.db.read("SELECT due_at FROM cases WHERE code = ?", (code,))
    await open_menu(world.lan, code)
    world.lan.press("Hỏi thêm người dân")
    await world.lan.wait_for("gửi câu hỏi cho người dân")
    world.lan.say("Đoạn đường bị lấn chiếm dài bao nhiêu mét ạ?")
    await world.lan.wait_for("thời hạn phiếu")
    question = await world.citizen.wait_for("cần Ông/Bà cho biết thêm")
    assert "dài bao nhiêu mét" in visible_text(question)
    [waiting] = await world.app.db.read("SELECT waiting_since FROM cases WHERE code = ?", (code,))
    assert waiting["waiting_since"] is not None
    world.citizen.say("Khoảng 50 mét.", reply_to=question["message_id"])
    await world.lan.wait_for("Khoảng 50 mét.")
    await world.lan.wait_for("thời hạn được tính tiếp")
    [after] = await world.app.db.read(
        "SELECT due_at, waiting_since FROM cases WHERE code = ?", (code,)
    )
    assert after["waiting_since"] is None
    assert after["due_at"] >= before["due_at"]  # same day: no extension; never shorter


async def test_a_merged_duplicate_receives_the_answer_of_the_case_it_joined(world: World) -> None:
    first = await submit_case(world.citizen, texts=("Cống thôn Đông bị tắc.",))
    card = await world.lan.wait_for(first)
    second = await submit_case(world.other_citizen, texts=("Cống ở thôn Đông tắc mấy hôm nay.",))
    await world.lan.wait_for(second)
    await open_menu(world.lan, second)
    world.lan.press("Gộp vào phiếu khác")
    await world.lan.wait_for("trùng với phiếu nào")
    world.lan.say(first.lower())
    await world.lan.wait_for("Đã gộp phiếu")
    merged_notice = await world.other_citizen.wait_for("được gộp")
    assert first in visible_text(merged_notice)
    world.lan.say("Tổ vệ sinh sẽ nạo vét ngày mai.", reply_to=card["message_id"])
    own = await world.citizen.wait_for("Tổ vệ sinh sẽ nạo vét ngày mai.")
    relayed = await world.other_citizen.wait_for("Tổ vệ sinh sẽ nạo vét ngày mai.")
    assert first in visible_text(own)
    assert second in visible_text(relayed)  # under the citizen's own code
    assert (await case_state(world, second))[0] == "closed"


async def test_a_supporting_member_contributes_a_note_the_lead_sees(world: World) -> None:
    code = await submit_case(world.citizen, field="Hạ tầng – giao thông")  # Lan's field only
    card = await world.lan.wait_for(code)
    world.lan.press("Nhận xử lý", message=card)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    await open_menu(world.lan, code)
    world.lan.press("Thêm người phối hợp")
    await world.lan.wait_for("phối hợp xử lý phiếu")
    world.lan.press("Lê Quang Minh")
    await world.lan.wait_for("Đã mời")
    support_card = await world.minh.wait_for("Phiếu mời Ông/Bà phối hợp")
    await world.minh.wait_for("mời Ông/Bà phối hợp phiếu")
    world.minh.press("Thao tác ▸", message=support_card)
    await world.minh.wait_for("Thao tác với phiếu")
    world.minh.press("Ghi chú nội bộ")
    await world.minh.wait_for("ghi chú nội bộ cho phiếu")
    world.minh.say("Đoạn này thuộc dự án nâng cấp đường huyện, đề nghị chuyển Ban QLDA.")
    await world.minh.wait_for("Đã lưu ghi chú")
    await world.lan.wait_for("đề nghị chuyển Ban QLDA")
    world.lan.press("Lịch sử", message=card)
    history = await world.lan.wait_for("Lịch sử phiếu")
    assert "Lê Quang Minh (đã góp ý)" in visible_text(history)
    await world.citizen.settle(quiet=0.3)
    assert not any("Ban QLDA" in t for t in world.citizen.texts())
