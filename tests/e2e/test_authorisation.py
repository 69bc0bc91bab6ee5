"""Button data is a hint, never a proof: every action is re-checked against who presses it."""

from __future__ import annotations

import random
import time

import pytest

from bot.sandbox_chat import JsonDict, SandboxChat, visible_text
from tests.e2e.conftest import World, submit_case, track

ENVIRONMENT = "Môi trường – vệ sinh"  # minh's field only
TRANSPORT = "Hạ tầng – giao thông"  # lan's field only (minh is a plain member)
CITIZEN = 2001

FORGED = [
    "m:claim:999999",
    "m:claim:abc",
    "m:answer:-1",
    "m:nope:1",
    "x",
    random.Random(2026).randbytes(64).decode("latin-1"),
    "d:f:../../etc",
    "m:claim:" + "9" * 30,  # beyond any database integer
    "m:history:²",  # a digit to str.isdigit(), not to int()
]
FORGED_IDS = [
    "unknown-case", "not-a-number", "negative", "unknown-action", "bare", "random-bytes",
    "path-traversal", "huge-number", "superscript-digit",
]  # fmt: skip
MEMBER_REFUSALS = ("Nút này không hợp lệ", "Nút này không còn hiệu lực")
CITIZEN_REFUSALS = (*MEMBER_REFUSALS, "Chức năng này chỉ dành cho thành viên")


async def case_row(world: World, code: str) -> tuple[int, str, str | None]:
    """The case's id, state and assignee as stored."""
    rows = await world.app.db.read(
        "SELECT id, state, assignee_id FROM cases WHERE code = ?", (code,)
    )
    return int(rows[0][0]), str(rows[0][1]), rows[0][2]


async def answer_to(chat: SandboxChat) -> str:
    """The bot's reply to what `chat` just did (the first message once it falls quiet)."""
    replies = await chat.settle(quiet=0.4)
    assert replies, f"{chat.name} got no answer"
    return visible_text(replies[0])


# Forged button data ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", FORGED, ids=FORGED_IDS)
async def test_forged_button_from_a_member_is_refused_and_changes_nothing(
    world: World, data: str
) -> None:
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    before = await case_row(world, code)
    world.lan.press_data(card["message_id"], data)
    reply = await answer_to(world.lan)
    assert reply.startswith(MEMBER_REFUSALS), reply
    assert await case_row(world, code) == before
    assert await world.app.db.read("SELECT kind FROM dialogs WHERE chat_id = '1002'") == []


async def test_forged_buttons_from_a_citizen_are_refused_politely(world: World) -> None:
    code = await submit_case(world.citizen)
    receipt = next(m for m in world.citizen.inbox() if code in visible_text(m))
    before = await case_row(world, code)
    for data in FORGED:
        world.citizen.press_data(receipt["message_id"], data)
        reply = await answer_to(world.citizen)
        assert reply.startswith(CITIZEN_REFUSALS), (data, reply)
    assert await case_row(world, code) == before


@pytest.mark.parametrize("action", ["claim", "answer", "history"])
async def test_citizen_pressing_a_real_member_button_is_told_it_is_for_members(
    world: World, action: str
) -> None:
    code = await submit_case(world.citizen)
    case_id, state, assignee = await case_row(world, code)
    receipt = next(m for m in world.citizen.inbox() if code in visible_text(m))
    world.citizen.press_data(receipt["message_id"], f"m:{action}:{case_id}")
    assert await answer_to(world.citizen) == "Chức năng này chỉ dành cho thành viên Ban chỉ đạo."
    assert await case_row(world, code) == (case_id, state, assignee)


# Members of other fields, and the chair ----------------------------------------------------------


@pytest.mark.parametrize("action", ["claim", "answer", "history"])
async def test_member_of_another_field_may_not_act_on_a_case(world: World, action: str) -> None:
    code = await submit_case(world.citizen, field=TRANSPORT)
    await world.lan.wait_for(code)
    case_id, state, assignee = await case_row(world, code)
    world.minh.press_data(world.minh.last()["message_id"], f"m:{action}:{case_id}")
    reply = await answer_to(world.minh)
    assert reply == "Ông/Bà không có quyền thực hiện thao tác này với phiếu này."
    assert await case_row(world, code) == (case_id, state, assignee)
    assert code not in " ".join(world.minh.texts())


async def test_chair_may_claim_a_case_of_any_field(world: World) -> None:
    code = await submit_case(world.citizen, field=ENVIRONMENT)
    case_id, _, _ = await case_row(world, code)
    world.hung.press_data(world.hung.last()["message_id"], f"m:claim:{case_id}")
    await world.hung.wait_for("Ông/Bà đã nhận xử lý")
    assert await case_row(world, code) == (case_id, "assigned", "hung")
    await world.minh.wait_for("đã được Nguyễn Văn Hùng nhận xử lý")


async def test_chair_may_answer_a_case_of_any_field(world: World) -> None:
    code = await submit_case(world.citizen, field=ENVIRONMENT)
    case_id, _, _ = await case_row(world, code)
    world.hung.press_data(world.hung.last()["message_id"], f"m:answer:{case_id}")
    await world.hung.wait_for("Mời Ông/Bà gửi nội dung trả lời")
    world.hung.say("Xã sẽ bố trí thu gom rác.")
    answer = await world.citizen.wait_for("Xã sẽ bố trí thu gom rác.")
    assert code in visible_text(answer)


async def test_chair_may_read_the_history_of_a_case_of_any_field(world: World) -> None:
    code = await submit_case(world.citizen, field=ENVIRONMENT, texts=("Rác ùn ứ.",))
    case_id, _, _ = await case_row(world, code)
    world.hung.press_data(world.hung.last()["message_id"], f"m:history:{case_id}")
    history = await world.hung.wait_for("Lịch sử phiếu")
    assert "Rác ùn ứ." in visible_text(history)


# Replies to the wrong message ---------------------------------------------------------------------


def forged_reply(world: World, user_id: int, text: str, replied: JsonDict) -> None:
    """A message from `user_id` that claims to reply to `replied` (a message of another chat)."""
    sender = {"id": user_id, "is_bot": False, "first_name": "Nguyễn"}
    world.emu.inject_update(
        {
            "message": {
                "message_id": 90_000,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Nguyễn"},
                "from": sender,
                "text": text,
                "reply_to_message": {k: v for k, v in replied.items() if not k.startswith("_")},
            }
        }
    )


async def test_citizen_replying_to_another_citizens_receipt_adds_nothing_to_that_case(
    world: World,
) -> None:
    code = await submit_case(world.other_citizen)
    await world.lan.wait_for(code)
    their_receipt = next(m for m in world.other_citizen.inbox() if code in visible_text(m))
    world.citizen.say("/trogiup")
    await world.citizen.wait_for("Hướng dẫn sử dụng")
    forged_reply(world, CITIZEN, "Bổ sung giả mạo.", their_receipt)
    reply = await answer_to(world.citizen)
    assert code not in reply
    assert reply.startswith("Để gửi góp ý, Ông/Bà gõ /gopy")
    await world.lan.settle(quiet=0.3)
    assert "Bổ sung giả mạo." not in " ".join(world.lan.texts() + world.minh.texts())
    rows = await world.app.db.read("SELECT body FROM case_messages")
    assert "Bổ sung giả mạo." not in [row[0] for row in rows]


async def test_member_replying_to_a_message_that_is_not_about_a_case_answers_nobody(
    world: World,
) -> None:
    code = await submit_case(world.citizen)
    await world.lan.wait_for(code)
    await world.lan.settle()
    welcome = next(m for m in world.lan.inbox() if "kết nối với hòm thư" in visible_text(m))
    world.lan.say("Câu trả lời lạc chỗ.", reply_to=welcome["message_id"])
    reply = await answer_to(world.lan)
    assert "Đã gửi câu trả lời" not in reply
    await world.citizen.settle(quiet=0.3)
    assert "Câu trả lời lạc chỗ." not in " ".join(world.citizen.texts())
    assert (await case_row(world, code))[1] == "received"


async def test_tracking_another_citizens_answered_case_reads_like_an_unknown_code(
    world: World,
) -> None:
    code = await submit_case(world.citizen)
    card = await world.lan.wait_for(code)
    world.lan.say("Đã xử lý xong.", reply_to=card["message_id"])
    await world.citizen.wait_for("Đã xử lý xong.")
    for_stranger = await track(world.other_citizen, code.lower(), reply="Không tìm thấy")
    unknown = code[:-2] + ("AA" if not code.endswith("AA") else "BB")
    for_unknown = await track(world.other_citizen, unknown, reply="Không tìm thấy")
    assert for_stranger == for_unknown
