"""Tasks through the running bot: a conclusion given to minh with a due day reaches him with
«Đã xong», he is reminded before and on the due day, the chairs hear when it is overdue, and
nothing more once it is done. The clock is moved to each planned reminder and the sweep run.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from bot.domain.working_days import load_vietnam_calendar
from bot.sandbox_chat import button_labels, visible_text
from bot.storage.database import from_db_time
from tests.e2e.test_meetings import TZ
from tests.e2e.test_minutes import Minutes, card_id, meeting_held

TASK = "Rà soát hồ sơ đất đai thôn Đông, báo cáo Trưởng ban."


def working_day_after(day: date, days: int) -> date:
    """The first working day at least `days` after `day`."""
    calendar = load_vietnam_calendar()
    found = day + timedelta(days=days)
    while not calendar.is_working_day(found):
        found += timedelta(days=1)
    return found


def today(m: Minutes) -> date:
    """The commune's date on the test's clock."""
    return m.clock.now().astimezone(TZ).date()


async def give_task(m: Minutes, due: str, *, owner: str = "Lê Quang Minh") -> int:
    """Record a conclusion and give it to `owner`, due `due`; returns the conclusion's id."""
    await m.open()
    await m.add_conclusion(TASK)
    m.hoa.press("Giao nhiệm vụ")
    await m.hoa.wait_for("chọn người thực hiện")
    m.hoa.press(owner)
    await m.hoa.wait_for("Mời Ông/Bà gửi hạn hoàn thành")
    m.hoa.say(due)
    await m.hoa.wait_for("Đã giao nhiệm vụ")
    [[conclusion_id]] = await m.world.app.db.read("SELECT id FROM meeting_conclusions")
    return int(conclusion_id)


async def reminder_at(m: Minutes, kind: str, days_before: int | None) -> datetime:
    """When the task's reminder of `kind` falls due, as planned in the database."""
    [row] = await m.world.app.db.read(
        "SELECT due_at FROM task_reminders WHERE kind = ? AND days_before IS ?",
        (kind, days_before),
    )
    return from_db_time(row["due_at"])


async def sweep_at(m: Minutes, instant: datetime) -> int:
    """Move the clock just past `instant` and sweep as the metronome would."""
    m.clock.move_to(instant + timedelta(minutes=1))
    return await m.world.app.metronome.sweep_now()


async def test_the_owner_gets_the_task_and_its_reminders_and_the_chairs_hear_when_overdue(
    tmp_path: Path,
) -> None:
    async with meeting_held(tmp_path) as m:
        due_on = working_day_after(today(m), 10)
        await give_task(m, f"{due_on:%d/%m/%Y}")
        notice = await m.world.minh.wait_for("Nhiệm vụ được giao")
        assert TASK in visible_text(notice) and f"{due_on:%d/%m/%Y}" in visible_text(notice)
        assert button_labels(notice) == ["Đã xong"]
        kinds = await m.world.app.db.read(
            "SELECT kind, days_before FROM task_reminders ORDER BY due_at"
        )
        assert [tuple(k) for k in kinds] == [
            ("before", 3),
            ("before", 1),
            ("before", 0),
            ("overdue", None),
        ]

        assert await sweep_at(m, await reminder_at(m, "before", 3)) == 1
        before = visible_text(await m.world.minh.wait_for("Nhắc hạn nhiệm vụ"))
        assert TASK in before and "còn 3 ngày làm việc" in before
        assert await sweep_at(m, await reminder_at(m, "before", 0)) == 1  # the 1-day one moot
        on_the_day = visible_text(await m.world.minh.wait_for("Nhắc hạn nhiệm vụ"))
        assert "hôm nay" in on_the_day

        assert await sweep_at(m, await reminder_at(m, "overdue", None)) == 1
        escalation = visible_text(await m.world.hung.wait_for("Nhiệm vụ quá hạn"))
        assert TASK in escalation and "Lê Quang Minh" in escalation
        await m.world.minh.wait_for("đã quá hạn")
        assert await m.world.app.metronome.sweep_now() == 0  # each one goes once

        m.world.hung.say("/nhiemvu")
        listing = visible_text(await m.world.hung.wait_for("Nhiệm vụ chưa hoàn thành"))
        assert "⚠️" in listing and TASK in listing and "Lê Quang Minh" in listing
        m.world.hung.say("/quahan")  # the chair's overdue view points at the task too
        await m.world.hung.wait_for("1 nhiệm vụ từ các cuộc họp đã quá hạn")
        m.world.minh.say("/quahan")  # and the owner's
        await m.world.minh.wait_for("1 nhiệm vụ từ các cuộc họp đã quá hạn")


async def test_a_task_marked_done_is_not_reminded_or_escalated(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        await give_task(m, f"{working_day_after(today(m), 10):%d/%m/%Y}")
        notice = await m.world.minh.wait_for("Nhiệm vụ được giao")
        m.world.minh.press("Đã xong", message=notice)
        await m.world.minh.wait_for("Đã ghi nhận hoàn thành nhiệm vụ")
        told = visible_text(await m.hoa.wait_for("đã đánh dấu hoàn thành"))
        assert "Lê Quang Minh" in told

        assert await sweep_at(m, await reminder_at(m, "overdue", None)) == 0
        assert not any("Nhiệm vụ quá hạn" in t for t in m.world.hung.texts())
        assert not any("Nhắc hạn nhiệm vụ" in t for t in m.world.minh.texts())
        m.world.minh.press("Đã xong", message=notice)
        await m.world.minh.wait_for("đã được đánh dấu hoàn thành")
        m.world.minh.say("/nhiemvu")
        await m.world.minh.wait_for("Không có nhiệm vụ nào")


async def test_the_due_day_must_be_a_real_day_after_today(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        await m.open()
        await m.add_conclusion(TASK)
        m.hoa.press("Giao nhiệm vụ")
        owners = await m.hoa.wait_for("chọn người thực hiện")
        [[conclusion]] = await m.world.app.db.read("SELECT id FROM meeting_conclusions")
        m.hoa.press_data(card_id(owners), f"b:owner:{conclusion}:nobody")
        await m.hoa.wait_for("không hợp lệ")
        m.hoa.press("Lê Quang Minh", message=owners)
        await m.hoa.wait_for("Mời Ông/Bà gửi hạn hoàn thành")
        for wrong in ("tuần sau", f"{today(m):%d/%m/%Y}", "31/02/2027", "5/13/2027"):
            m.hoa.say(wrong)
            await m.hoa.wait_for("Hạn hoàn thành cần là một ngày sau hôm nay")
        assert await m.world.app.db.read("SELECT id FROM task_reminders") == []
        tomorrow = today(m) + timedelta(days=1)
        m.hoa.say(f"{tomorrow.day}/{tomorrow.month}/{tomorrow:%y}")  # "1/12/26" is fine too
        await m.hoa.wait_for(f"hạn hoàn thành {tomorrow:%d/%m/%Y}")
        await m.world.minh.wait_for("Nhiệm vụ được giao")


async def test_only_the_owner_or_a_chair_marks_a_task_done(tmp_path: Path) -> None:
    async with meeting_held(tmp_path) as m:
        conclusion = await give_task(m, f"{working_day_after(today(m), 10):%d/%m/%Y}")
        notice = await m.world.minh.wait_for("Nhiệm vụ được giao")
        m.hoa.press_data(card_id(notice), f"b:fin:{conclusion}")
        await m.hoa.wait_for("Chỉ người thực hiện")
        m.world.citizen.press_data(card_id(notice), f"b:fin:{conclusion}")
        await m.world.citizen.wait_for("chỉ dành cho thành viên")
        m.hoa.press_data(card_id(notice), f"b:owner:{conclusion}:lan")  # given once only
        await m.hoa.wait_for("đã được giao thành nhiệm vụ")
        m.world.minh.press_data(card_id(notice), f"b:owner:{conclusion}:minh")
        await m.world.minh.wait_for("dành cho thư ký")
        [[done]] = await m.world.app.db.read("SELECT done_at FROM meeting_conclusions")
        assert done is None

        m.world.hung.say("/nhiemvu")
        listing = await m.world.hung.wait_for("Nhiệm vụ chưa hoàn thành")
        m.world.hung.press("Đã xong: nhiệm vụ 1", message=listing)
        await m.world.hung.wait_for("Đã ghi nhận hoàn thành")
        await m.world.minh.wait_for("Nguyễn Văn Hùng đã đánh dấu hoàn thành")
        await m.hoa.wait_for("Nguyễn Văn Hùng đã đánh dấu hoàn thành")
