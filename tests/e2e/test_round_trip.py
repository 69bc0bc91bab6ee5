"""The whole mailbox round trip through a real PTB Application and the sandbox emulator."""

from __future__ import annotations

import re

from bot.sandbox_chat import button_labels, visible_text
from tests.e2e.conftest import (
    World,
    choose_identity,
    open_content_step,
    send_submission,
    submit_case,
    track,
)

CODE = re.compile(r"\b[A-Z0-9]{2,6}-\d{6}-\d{4,}-[A-Z0-9]{2}\b")


async def test_receipt_carries_a_well_formed_tracking_code_and_deadline(world: World) -> None:
    code = await submit_case(world.citizen)
    receipt = world.citizen.texts()[-1]
    assert CODE.fullmatch(code)
    assert code.startswith("MT-")
    assert "30 ngày" in receipt  # answer_days of "Đất đai" in the sample config


async def test_anonymous_case_reaches_field_members_without_identity(world: World) -> None:
    code = await submit_case(world.citizen, anonymous=True)
    notice = await world.lan.wait_for(code)
    await world.minh.wait_for(code)
    for chat in (world.lan, world.minh):
        for message in chat.inbox():
            text = visible_text(message)
            assert "Nguyễn" not in text and "Văn An" not in text
            assert "an_nguyen" not in text and "2001" not in text
            assert "forward_origin" not in message and "forward_from" not in message
    assert "Ẩn danh" in visible_text(notice)
    assert button_labels(notice) == ["Nhận xử lý", "Trả lời", "Lịch sử", "Thao tác ▸"]
    assert code not in " ".join(world.hung.texts())  # the chair is not in this field


async def test_named_case_shows_only_what_the_citizen_agreed_to_share(world: World) -> None:
    code = await submit_case(world.citizen, anonymous=False, phone="+84901234567")
    notice = visible_text(await world.lan.wait_for(code))
    assert "Nguyễn Văn An" in notice
    assert "84901234567" in notice
    assert "an_nguyen" not in notice and "2001" not in notice


async def test_named_case_without_phone_shows_the_name_only(world: World) -> None:
    code = await submit_case(world.citizen, anonymous=False, phone=None)
    notice = visible_text(await world.lan.wait_for(code))
    assert "Nguyễn Văn An" in notice
    assert "SĐT" not in notice


async def test_member_answers_with_the_button_and_citizen_receives_it(world: World) -> None:
    code = await submit_case(world.citizen)
    notice = await world.lan.wait_for(code)
    world.lan.press("Trả lời", message=notice)
    await world.lan.wait_for("Mời Ông/Bà gửi nội dung trả lời")
    world.lan.say("Xã sẽ kiểm tra vào thứ Hai.")
    await world.lan.wait_for("Đã gửi câu trả lời")
    answer = await world.citizen.wait_for("Xã sẽ kiểm tra vào thứ Hai.")
    assert code in visible_text(answer)
    await world.minh.wait_for("đã được Trần Thị Lan trả lời")


async def test_member_answers_by_replying_to_the_case_message(world: World) -> None:
    code = await submit_case(world.citizen)
    notice = await world.minh.wait_for(code)
    world.minh.say("Đã chuyển địa chính xử lý.", reply_to=notice["message_id"])
    await world.minh.wait_for("Đã gửi câu trả lời")
    answer = await world.citizen.wait_for("Đã chuyển địa chính xử lý.")
    assert code in visible_text(answer)


async def test_claim_tells_the_other_members_who_took_the_case(world: World) -> None:
    code = await submit_case(world.citizen)
    notice = await world.lan.wait_for(code)
    await world.minh.wait_for(code)
    world.lan.press("Nhận xử lý", message=notice)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    await world.minh.wait_for("đã được Trần Thị Lan nhận xử lý")


async def test_a_second_member_cannot_claim_a_taken_case(world: World) -> None:
    code = await submit_case(world.citizen)
    lan_notice = await world.lan.wait_for(code)
    minh_notice = await world.minh.wait_for(code)
    world.lan.press("Nhận xử lý", message=lan_notice)
    await world.minh.wait_for("đã được Trần Thị Lan nhận xử lý")
    world.minh.press("Nhận xử lý", message=minh_notice)
    await world.minh.wait_for("đã do Trần Thị Lan nhận xử lý")


async def test_tracking_shows_status_and_answers_to_the_submitter(world: World) -> None:
    code = await submit_case(world.citizen)
    notice = await world.lan.wait_for(code)
    world.lan.say("Trả lời thử <b>không</b> đậm.", reply_to=notice["message_id"])
    await world.citizen.wait_for("Trả lời thử")
    status = await track(world.citizen, code.lower())
    assert "Đã trả lời" in status
    assert "Trả lời thử <b>không</b> đậm." in status


async def test_tracking_by_someone_else_reveals_nothing(world: World) -> None:
    code = await submit_case(world.citizen)
    for_stranger = await track(world.other_citizen, code, reply="Không tìm thấy")
    for_unknown = await track(world.other_citizen, "MT-010101-9999-AA", reply="Không tìm thấy")
    assert for_stranger == for_unknown
    assert code not in for_stranger


async def test_members_may_track_any_case(world: World) -> None:
    code = await submit_case(world.citizen)
    await track(world.hung, code)


async def test_citizen_follow_up_by_reply_reaches_the_assignee(world: World) -> None:
    code = await submit_case(world.citizen)
    notice = await world.lan.wait_for(code)
    world.lan.press("Nhận xử lý", message=notice)
    await world.lan.wait_for("Ông/Bà đã nhận xử lý")
    receipt = next(m for m in world.citizen.inbox() if code in visible_text(m))
    world.citizen.say("Bổ sung: đoạn từ nhà số 12 đến 20.", reply_to=receipt["message_id"])
    await world.citizen.wait_for("Đã bổ sung")
    relayed = await world.lan.wait_for("đoạn từ nhà số 12 đến 20")
    assert code in visible_text(relayed)
    # Replying to the relayed follow-up answers the citizen.
    world.lan.say("Đã ghi nhận.", reply_to=relayed["message_id"])
    await world.citizen.wait_for("Đã ghi nhận.")


async def test_history_lists_events_and_messages_for_members(world: World) -> None:
    code = await submit_case(world.citizen, texts=("Nội dung gốc.",))
    notice = await world.lan.wait_for(code)
    world.lan.press("Lịch sử", message=notice)
    history = visible_text(await world.lan.wait_for("Lịch sử phiếu"))
    assert "tiếp nhận" in history
    assert "Nội dung gốc." in history


async def test_several_messages_and_attachments_form_one_case(world: World) -> None:
    emu, citizen = world.emu, world.citizen
    await open_content_step(citizen)
    citizen.say("Phần một.")
    await citizen.wait_for("(1 phần)")
    photo = emu.send_photo(citizen.user_id, caption="Ảnh hiện trường")
    await citizen.wait_for("(2 phần)")
    emu.send_document(
        citizen.user_id, file_name="don.pdf", mime_type="application/pdf", data=b"%PDF"
    )
    await citizen.wait_for("(3 phần)")
    emu.send_voice(citizen.user_id)
    await citizen.wait_for("(4 phần)")
    emu.send_location(citizen.user_id, 10.24, 106.37)
    await citizen.wait_for("(5 phần)")
    citizen.say("Phần hai.")
    await citizen.wait_for("(6 phần)")
    summary = visible_text(await choose_identity(citizen))
    assert "Tệp đính kèm: 4" in summary
    code = await send_submission(citizen)
    card = visible_text(await world.lan.wait_for(code))
    assert "Phần một." in card and "Phần hai." in card
    await world.lan.settle(quiet=0.5)
    inbox = world.lan.inbox()
    sent_photo = next(m for m in inbox if "photo" in m)
    assert sent_photo["photo"][-1]["file_id"] == photo["photo"][-1]["file_id"]
    assert "Ảnh hiện trường" in visible_text(sent_photo)
    assert any("document" in m for m in inbox)
    assert any("voice" in m for m in inbox)
    assert any("location" in m for m in inbox)
    assert all("forward_origin" not in m for m in inbox)
