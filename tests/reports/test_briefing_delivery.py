"""The briefing pack goes with a meeting's reminders: to the chair and the secretary, with the
first reminder and again with the last (`[[meetings]] pack`), once each, never to the other
attendees. A real SQLite file and a meeting sweeper on a clock the test moves."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.domain.briefing import PackMoment
from bot.storage.unit_of_work import SqliteUnitOfWork
from tests.services.test_meetings import (
    HOA,
    HUNG,
    LAN,
    MINH,
    Clock,
    Office,
    local,
    meeting,
    open_office,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def sweep(office: Office, when: str) -> dict[str, list[dict[str, object]]]:
    """Sweep at local `when`; what each chat was sent, as stored in the outbox."""
    office.clock.at = local(when)
    before = await office.db.read("SELECT COALESCE(MAX(id), 0) AS n FROM outbox")
    await office.sweeper.sweep()
    rows = await office.db.read(
        "SELECT chat_id, payload FROM outbox WHERE id > ? ORDER BY id", (before[0]["n"],)
    )
    out: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        out.setdefault(row["chat_id"], []).append(json.loads(row["payload"]))
    return out


def is_pack(messages: list[dict[str, object]]) -> bool:
    """A briefing message, then the chart as a photo, then the Word report."""
    uploads = [m["upload"] for m in messages if m.get("upload")]  # left out when unset
    return (
        "Báo cáo phục vụ hội nghị giao ban" in str(messages[0]["text"])
        and [(u["mime_type"], u["as_photo"]) for u in uploads]  # type: ignore[index]
        == [("image/png", True), (DOCX, False)]
        and str(uploads[1]["filename"]) == "bao-cao-giao-ban-giao-ban-2027-03-10.docx"  # type: ignore[index]
    )


async def test_the_pack_goes_with_the_first_and_the_last_reminder(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3",
        Clock(local("2027-03-01 08:00")),
        meeting("2027-03-10T08:00", pack=(PackMoment.FIRST, PackMoment.LAST)),
    )
    try:
        first = await sweep(office, "2027-03-09 08:00")
        assert sorted(first) == [HUNG, LAN, MINH, HOA]
        assert is_pack(first[HUNG]) and is_pack(first[HOA])
        assert len(first[LAN]) == len(first[MINH]) == 1  # attendees get their reminder only
        assert await sweep(office, "2027-03-09 12:00") == {}
        last = await sweep(office, "2027-03-10 06:00")
        assert is_pack(last[HUNG]) and is_pack(last[HOA])
        summary = await sweep(office, "2027-03-10 07:00")  # the secretary's roll call, no pack
        assert list(summary) == [HOA] and len(summary[HOA]) == 1
        assert "Cuộc họp sắp bắt đầu" in str(summary[HOA][0]["text"])
        assert await sweep(office, "2027-03-10 07:30") == {}
    finally:
        await office.db.close()


async def test_a_meeting_can_take_the_pack_with_its_first_reminder_only(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3",
        Clock(local("2027-03-01 08:00")),
        meeting("2027-03-10T08:00", pack=(PackMoment.FIRST,)),
    )
    try:
        assert HOA in await sweep(office, "2027-03-09 08:00")
        assert sorted(await sweep(office, "2027-03-10 06:00")) == [LAN, MINH]
    finally:
        await office.db.close()


async def test_a_meeting_without_a_pack_sends_reminders_only(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3", Clock(local("2027-03-01 08:00")), meeting("2027-03-10T08:00")
    )  # the helper's meeting has pack = ()
    try:
        assert sorted(await sweep(office, "2027-03-09 08:00")) == [LAN, MINH]
    finally:
        await office.db.close()


async def test_a_lone_reminder_is_first_and_last_and_brings_one_pack(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3",
        Clock(local("2027-03-01 08:00")),
        meeting(
            "2027-03-10T08:00",
            remind_before=(timedelta(days=1),),
            pack=(PackMoment.FIRST, PackMoment.LAST),
        ),
    )
    try:
        sent = await sweep(office, "2027-03-09 08:00")
        assert is_pack(sent[HOA]) and len(sent[HOA]) == 3
    finally:
        await office.db.close()


async def test_each_pack_is_recorded_so_it_goes_once(tmp_path: Path) -> None:
    office = await open_office(
        tmp_path / "h.sqlite3", Clock(local("2027-03-01 08:00")), meeting("2027-03-10T08:00")
    )
    try:
        async with office.db.transaction() as tx:
            uow = SqliteUnitOfWork(tx)
            occurrence = await uow.meetings.add_occurrence(
                "giao-ban", local("2027-03-10 08:00"), None
            )
            now = local("2027-03-09 08:00")
            assert await uow.briefing.claim_pack(occurrence, PackMoment.FIRST, now)
            assert not await uow.briefing.claim_pack(occurrence, PackMoment.FIRST, now)
            assert await uow.briefing.claim_pack(occurrence, PackMoment.LAST, now)
    finally:
        await office.db.close()
