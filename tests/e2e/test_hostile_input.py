"""Hostile and unexpected input: markup arrives as typed, odd messages get polite answers."""

from __future__ import annotations

from bot.sandbox_chat import SandboxChat, button_labels, visible_text
from tests.e2e.conftest import (
    World,
    choose_identity,
    fill_in_submission,
    finish_from_content,
    open_content_step,
    submit_case,
    track,
    write_content,
)

# Markup that would change what people see if the bot forgot to escape it, in HTML or Markdown.
PAYLOAD = (
    '<b>x</b> <a href="javascript:alert(1)">bấm</a> </code> &amp; &lt; '
    "*bold* _i_ [l](http://x) <script>alert(1)</script> {code} %s"
)
CITIZEN, OTHER = 2001, 2002


async def still_answers(chat: SandboxChat) -> None:
    """The bot keeps working for this chat."""
    chat.say("/trogiup")
    await chat.wait_for("Hướng dẫn sử dụng")


async def replies_to(chat: SandboxChat) -> list[str]:
    """Everything the bot says to `chat` until it falls quiet."""
    return [visible_text(m) for m in await chat.settle(quiet=0.4)]


# Markup arrives as typed ---------------------------------------------------------------------


async def test_markup_in_the_content_reaches_the_member_as_typed(world: World) -> None:
    code = await submit_case(world.citizen, texts=(PAYLOAD,))
    card = await world.lan.wait_for(code)
    assert PAYLOAD in visible_text(card)


async def test_markup_in_the_content_is_shown_as_typed_in_the_summary(world: World) -> None:
    summary = await fill_in_submission(world.citizen, texts=(PAYLOAD,))
    assert PAYLOAD in visible_text(summary)


async def test_markup_in_a_photo_caption_reaches_the_member_as_typed(world: World) -> None:
    await open_content_step(world.citizen)
    world.emu.send_photo(CITIZEN, caption=PAYLOAD)
    await world.citizen.wait_for("(1 phần)")
    code = await finish_from_content(world.citizen)
    await world.lan.wait_for(code)
    photo = await world.emu.wait_for_bot_message(1002, lambda m: "photo" in m)
    assert PAYLOAD in visible_text(photo)


async def test_document_with_a_markup_name_reaches_the_member_under_that_name(
    world: World,
) -> None:
    name = '<b>đơn</b> &amp; "x" </code>.pdf'
    await open_content_step(world.citizen)
    world.emu.send_document(CITIZEN, file_name=name, mime_type="application/pdf", data=b"%PDF")
    await world.citizen.wait_for("(1 phần)")
    code = await finish_from_content(world.citizen)
    await world.lan.wait_for(code)
    document = await world.emu.wait_for_bot_message(1002, lambda m: "document" in m)
    assert document["document"]["file_name"] == name


async def test_refused_document_is_named_as_typed(world: World) -> None:
    name = "<b>virus</b> &amp; </code>.exe"
    await open_content_step(world.citizen)
    world.emu.send_document(
        CITIZEN, file_name=name, mime_type="application/x-msdownload", data=b"MZ\x90\x00"
    )
    refusal = await world.citizen.wait_for("chưa nhận loại tệp")
    assert f"({name})" in visible_text(refusal)


async def test_markup_in_the_citizens_name_reaches_the_member_as_typed(world: World) -> None:
    first, last = "<b>An</b> &amp;", "*Nguyễn* _x_ </code> <script>"
    citizen = SandboxChat(world.emu, 2003, first, last)
    code = await submit_case(citizen, anonymous=False)
    card = await world.lan.wait_for(code)
    assert f"Người gửi: {first} {last}" in visible_text(card)


async def test_markup_in_the_citizens_name_is_shown_as_typed_in_the_summary(
    world: World,
) -> None:
    first, last = "<i>Bình</i>", "[l](http://x) &lt;"
    citizen = SandboxChat(world.emu, 2003, first, last)
    await open_content_step(citizen)
    await write_content(citizen, ("Nội dung.",))
    summary = await choose_identity(citizen, anonymous=False)
    assert f"{first} {last}" in visible_text(summary)


async def test_markup_in_a_follow_up_reaches_the_member_as_typed(world: World) -> None:
    code = await submit_case(world.citizen)
    await world.lan.wait_for(code)
    receipt = next(m for m in world.citizen.inbox() if code in visible_text(m))
    world.citizen.say(PAYLOAD, reply_to=receipt["message_id"])
    relayed = await world.lan.wait_for("Người dân bổ sung")
    assert PAYLOAD in visible_text(relayed)


async def test_markup_in_a_members_answer_reaches_the_citizen_as_typed(world: World) -> None:
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.say(PAYLOAD, reply_to=card["message_id"])
    answer = await world.citizen.wait_for("Trả lời phiếu")
    assert PAYLOAD in visible_text(answer)


async def test_markup_in_an_answer_is_shown_as_typed_by_tracking(world: World) -> None:
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.say(PAYLOAD, reply_to=card["message_id"])
    await world.citizen.wait_for("Trả lời phiếu")
    assert PAYLOAD in await track(world.citizen, code)


# Length ---------------------------------------------------------------------------------------


def long_text(chars: int) -> str:
    """Numbered lines of text, `chars` characters in all, so any loss shows."""
    lines = [f"Dòng {n:03d}: " + " ".join(["nội dung góp ý"] * 6) for n in range(1, 400)]
    text = "\n".join(lines)[:chars].rstrip()
    assert len(text) >= chars - 1
    return text


async def test_a_20000_character_message_is_refused_politely(world: World) -> None:
    await open_content_step(world.citizen)
    world.citizen.say("x" * 20_000)
    refusal = await world.citizen.wait_for("quá dài")
    assert "20000" in visible_text(refusal) and "4000" in visible_text(refusal)


async def test_after_a_too_long_message_the_citizen_can_go_on_writing(world: World) -> None:
    await open_content_step(world.citizen)
    world.citizen.say("x" * 20_000)
    await world.citizen.wait_for("quá dài")
    world.citizen.say("Bản ngắn gọn.")
    await world.citizen.wait_for("(1 phần)")


async def test_a_4000_character_message_is_accepted_and_summarised(world: World) -> None:
    await open_content_step(world.citizen)
    await write_content(world.citizen, (long_text(4000),))
    summary = await choose_identity(world.citizen, timeout=3)
    assert "Gửi" in button_labels(summary)


async def test_several_long_parts_still_get_a_summary_to_confirm(world: World) -> None:
    await open_content_step(world.citizen)
    await write_content(world.citizen, (long_text(3000),) * 3)
    summary = await choose_identity(world.citizen, timeout=3)
    assert "Gửi" in button_labels(summary)


async def test_a_4000_character_message_reaches_the_member_whole_across_messages(
    world: World,
) -> None:
    text = long_text(4000)
    await open_content_step(world.citizen)
    await write_content(world.citizen, (text,))
    code = await finish_from_content(world.citizen)
    await world.lan.wait_for(code)
    await world.lan.settle()
    texts = world.lan.texts()
    card = next(t for t in texts if code in t and "Phiếu góp ý mới" in t)
    pieces = [card.split("Nội dung:\n", 1)[1].split("\n\nBấm «Trả lời»", 1)[0]]
    pieces += [t.split("(tiếp):\n", 1)[1] for t in texts if f"{code} (tiếp):" in t]
    assert len(pieces) >= 2
    assert "\n".join(pieces) == text


async def test_a_4000_character_answer_reaches_the_citizen_whole_across_messages(
    world: World,
) -> None:
    text = long_text(4000)
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.say(text, reply_to=card["message_id"])
    await world.lan.wait_for("Đã gửi câu trả lời")
    await world.citizen.wait_for("Trả lời phiếu")
    await world.citizen.settle()
    answers = [t for t in world.citizen.texts() if t.startswith(f"💬 Trả lời phiếu {code}")]
    pieces = [t.split(f"Trả lời phiếu {code}\n\n", 1)[1] for t in answers]
    assert len(pieces) >= 2
    assert "\n".join(pieces) == text


async def test_a_blank_message_is_refused_and_the_step_continues(world: World) -> None:
    await open_content_step(world.citizen)
    world.citizen.say("  \n\t  ")
    await world.citizen.wait_for("không có nội dung")
    world.citizen.say("Nội dung thật.")
    await world.citizen.wait_for("(1 phần)")


# Input the mailbox does not take ---------------------------------------------------------------


async def test_a_sticker_mid_flow_is_politely_refused_and_the_step_shown_again(
    world: World,
) -> None:
    await open_content_step(world.citizen)
    world.emu.send_sticker(CITIZEN)
    replies = await replies_to(world.citizen)
    assert any("chưa nhận nhãn dán" in r for r in replies)
    assert "Bước 3/5" in replies[-1]


async def test_a_video_mid_flow_is_politely_refused_and_the_step_continues(
    world: World,
) -> None:
    await open_content_step(world.citizen)
    world.emu.send_video(CITIZEN)
    await world.citizen.wait_for("chưa nhận video")
    world.citizen.say("Nội dung bằng chữ.")
    await world.citizen.wait_for("(1 phần)")


async def test_a_document_of_an_unaccepted_type_is_politely_refused(world: World) -> None:
    await open_content_step(world.citizen)
    world.emu.send_document(
        CITIZEN, file_name="virus.exe", mime_type="application/x-msdownload", data=b"MZ"
    )
    await world.citizen.wait_for("chưa nhận loại tệp này (virus.exe)")
    await still_answers(world.citizen)


async def test_an_oversized_document_is_politely_refused(world: World) -> None:
    await open_content_step(world.citizen)
    too_big = b"%PDF" + bytes(world.app.config.limits.max_document_bytes)
    world.emu.send_document(
        CITIZEN, file_name="ho-so.pdf", mime_type="application/pdf", data=too_big
    )
    await world.citizen.wait_for("Tệp quá lớn (tối đa 20 MB)")
    world.citizen.say("Tôi gửi bằng chữ vậy.")
    await world.citizen.wait_for("(1 phần)")


async def test_an_unknown_command_mid_flow_is_answered_and_the_step_shown_again(
    world: World,
) -> None:
    await open_content_step(world.citizen)
    world.citizen.say("/abc")
    replies = await replies_to(world.citizen)
    assert "Hòm thư không có lệnh này" in replies[0]
    assert "Bước 3/5" in replies[-1]


async def test_an_unknown_command_mid_flow_is_not_called_an_empty_message(world: World) -> None:
    await open_content_step(world.citizen)
    world.citizen.say("/abc")
    replies = await replies_to(world.citizen)
    assert not any("không có nội dung" in r for r in replies)


async def test_typing_where_buttons_are_expected_shows_the_buttons_again(world: World) -> None:
    world.citizen.say("/gopy")
    await world.citizen.wait_for("dữ liệu cá nhân")
    world.citizen.press("Đồng ý")
    await world.citizen.wait_for("Bước 1/5")
    world.citizen.say("đất đai ở xóm tôi")  # not a field name
    replies = await replies_to(world.citizen)
    assert "chọn bằng các nút" in replies[0]
    assert "Bước 1/5" in replies[-1]
    world.citizen.press("Đất đai")
    await world.citizen.wait_for("Bước 2/5")


async def test_someone_elses_contact_is_refused_at_the_phone_step(world: World) -> None:
    await open_content_step(world.citizen)
    await write_content(world.citizen, ("Nội dung.",))
    world.citizen.press("Tiếp tục")
    await world.citizen.wait_for("Bước 4/5")
    world.citizen.press("Gửi kèm họ tên")
    await world.citizen.wait_for("số điện thoại")
    world.emu.send_contact(CITIZEN, "+84987654321", own=False)
    await world.citizen.wait_for("số điện thoại của chính mình")
    world.emu.tap_keyboard(CITIZEN, "Bỏ qua")
    summary = await world.citizen.wait_for("kiểm tra lại")
    assert "987654321" not in visible_text(summary)


async def test_a_dialog_button_pressed_after_submitting_is_no_longer_valid(
    world: World,
) -> None:
    await submit_case(world.citizen)
    consent = next(m for m in world.citizen.inbox() if "dữ liệu cá nhân" in visible_text(m))
    world.citizen.press("Đồng ý", message=consent)
    await world.citizen.wait_for("không còn hiệu lực")
    fields = next(m for m in world.citizen.inbox() if "Bước 1/5" in visible_text(m))
    world.citizen.press("Môi trường – vệ sinh", message=fields)
    await world.citizen.wait_for("không còn hiệu lực")
    await still_answers(world.citizen)


async def test_an_edited_message_is_ignored(world: World) -> None:
    await open_content_step(world.citizen)
    sent = world.citizen.say("Bản đầu.")
    await world.citizen.wait_for("(1 phần)")
    world.emu.edit_text(CITIZEN, sent["message_id"], "Bản đã sửa <b>x</b>.")
    world.citizen.say("Phần sau.")
    replies = await replies_to(world.citizen)
    assert [r for r in replies if r.startswith("Đã nhận")] == [
        "Đã nhận (2 phần). Ông/Bà có thể gửi thêm, hoặc bấm Tiếp tục khi đã xong."
    ]


async def test_messages_in_a_group_chat_are_ignored(world: World) -> None:
    group = -100123
    world.emu.add_group(group, "Nhóm thôn Đông")
    world.emu.send_text(CITIZEN, "/gopy", chat_id=group)
    world.emu.send_text(CITIZEN, PAYLOAD, chat_id=group)
    await still_answers(world.citizen)
    assert world.emu.bot_messages(group) == []
