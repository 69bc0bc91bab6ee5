"""A conclusion about a case reaches its citizen as the case's answer, through the running bot:
the case becomes answered, the audit log names the secretary, the citizen gets the answer with
«Đã giải quyết» / «Chưa giải quyết», and an anonymous citizen stays anonymous."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox_chat import button_labels, visible_text
from tests.e2e.conftest import submit_case, track
from tests.e2e.test_minutes import Minutes, card_id, meeting_held

DECISION = (
    "Hội nghị thống nhất giao tổ công tác đo đạc lại mốc giới đường vào thôn Đông trong tháng."
)


async def tie_to_case(m: Minutes, code: str) -> dict[str, object]:
    """Record DECISION, tie it to case `code`; the message offering to send it to the citizen."""
    await m.open()
    await m.add_conclusion(DECISION)
    m.hoa.press("Gắn với phiếu")
    await m.hoa.wait_for("Mời Ông/Bà gửi mã tra cứu")
    m.hoa.say(code)
    return await m.hoa.wait_for("Đã gắn kết luận với phiếu")


async def test_a_relayed_conclusion_answers_the_citizen_and_the_case(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        code = await submit_case(m.world.citizen)  # anonymous
        linked = await tie_to_case(m, code)
        assert code in visible_text(linked) and button_labels(linked) == ["Gửi cho người dân"]

        m.hoa.press("Gửi cho người dân", message=linked)
        await m.hoa.wait_for(f"Đã gửi kết luận cho người dân như câu trả lời phiếu {code}")
        answer = visible_text(await m.world.citizen.wait_for(f"Trả lời phiếu {code}"))
        assert DECISION in answer
        question = await m.world.citizen.wait_for("đã giải quyết được vấn đề")
        assert button_labels(question) == ["✅ Đã giải quyết", "❌ Chưa giải quyết"]
        await m.world.lan.wait_for(f"Phiếu {code} đã được Phạm Thị Hoa trả lời")
        assert "Đã trả lời" in await track(m.world.citizen, code)

        [[state]] = await m.world.app.db.read("SELECT state FROM cases")
        assert state == "answered"
        audit = await m.world.app.db.read("SELECT actor, action FROM audit_log WHERE case_id = 1")
        assert ("hoa", "answer") in [tuple(r) for r in audit]
        assert ("hoa", "conclusion_relayed") in [tuple(r) for r in audit]
        assert not any("Nguyễn Văn An" in t or "an_nguyen" in t for t in m.hoa.texts())

        m.world.citizen.press("✅ Đã giải quyết", message=question)
        await m.world.citizen.wait_for("đã kết thúc")
        m.hoa.press("Gửi cho người dân", message=linked)
        await m.hoa.wait_for("Kết luận này đã được gửi cho người dân")
        assert sum(f"Trả lời phiếu {code}" in t for t in m.world.citizen.texts()) == 1

        m.hoa.press("Xem biên bản")
        card = visible_text(await m.hoa.wait_for("Kết luận (1)"))
        assert f"Đã gửi người dân (phiếu {code})" in card


async def test_only_the_secretary_or_a_chair_relays_and_hidden_cases_stay_hidden(
    tmp_path: Path,
) -> None:
    async with meeting_held(tmp_path) as m:
        code = await submit_case(m.world.citizen)
        linked = await tie_to_case(m, code)
        relay = next(
            b["callback_data"]
            for row in linked["reply_markup"]["inline_keyboard"]  # type: ignore[index]
            for b in row
        )
        m.world.minh.press_data(card_id(linked), relay)
        await m.world.minh.wait_for("dành cho thư ký")
        m.world.citizen.press_data(card_id(linked), relay)
        await m.world.citizen.wait_for("chỉ dành cho thành viên")
        [[state]] = await m.world.app.db.read("SELECT state FROM cases")
        assert state == "received"
        assert not any(DECISION in t for t in m.world.citizen.texts())

        # A case that names the secretary is not hers to see, nor to answer.
        named = await submit_case(
            m.world.other_citizen, texts=("Bà Phạm Thị Hoa thu tiền sai quy định.",)
        )
        m.hoa.press("Thêm kết luận")
        await m.hoa.wait_for("kết luận của cuộc họp")
        m.hoa.say("Kết luận về phiếu nêu tên thư ký.")
        m.hoa.press("Gắn với phiếu", message=await m.hoa.wait_for("Đã ghi kết luận số 2"))
        await m.hoa.wait_for("Mời Ông/Bà gửi mã tra cứu")
        m.hoa.say(named)
        await m.hoa.wait_for("Không tìm thấy phiếu với mã này")
        m.hoa.say("MT-000000-0000-XX")
        await m.hoa.wait_for("Không tìm thấy phiếu với mã này")
