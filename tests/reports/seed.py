"""Builders for report tests: a sample-config mailbox whose cases are written straight in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config, parse_config, sample_config_text
from bot.domain.model import ChatRef, Member, Sender
from bot.domain.working_days import load_vietnam_calendar
from bot.services.rendering import Renderer
from bot.services.turn import Turn
from bot.storage.database import Database, Tx, to_db_time
from bot.storage.unit_of_work import SqliteUnitOfWork
from bot.texts import en, reports_en, reports_vi, vi
from bot.texts.catalogue import Texts

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Early December: November's report is complete and some of its cases are overdue.
NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in the commune, as an aware instant."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def end_of(day: date) -> datetime:
    """The last moment of a local day (deadlines fall at the end of their day)."""
    return datetime.combine(day, time(23, 59), tzinfo=TZ)


def sample_config(folder: Path) -> Config:
    """The packaged sample config (chair hung, deputy lan, member minh, secretary hoa)."""
    return parse_config(sample_config_text(), folder / "config.toml", env={})


def renderer(config: Config, locale: str = "vi") -> Renderer:
    """A renderer whose catalogue includes the report sentences (as the lead will merge them)."""
    entries = {**vi.ENTRIES, **reports_vi.ENTRIES}
    if locale == "en":
        entries = {**en.ENTRIES, **reports_en.ENTRIES}
    texts = Texts(entries, locale)
    return Renderer(texts, config.commune.tz, {f.id: f.name for f in config.fields})


async def open_database(config: Config) -> Database:
    """The config's database file, migrated, with the configured members stored."""
    db = await Database.open(config.storage.path)
    roster = [
        Member(m.id, m.name, m.roles, ChatRef("telegram", str(m.telegram_id)))
        for m in config.members
    ]
    async with db.transaction() as tx:
        await SqliteUnitOfWork(tx).members.sync(roster, NOW)
    return db


def turn_for(uow: SqliteUnitOfWork, config: Config, member_id: str, locale: str = "vi") -> Turn:
    """A turn of the configured member `member_id` writing from their Telegram chat."""
    conf = config.member(member_id)
    chat = ChatRef("telegram", str(conf.telegram_id))
    member = Member(conf.id, conf.name, conf.roles, chat)
    sender = Sender(chat, str(conf.telegram_id), conf.name)
    return Turn(
        uow=uow,
        now=NOW,
        sender=sender,
        member=member,
        config=config,
        render=renderer(config, locale),
        calendar=load_vietnam_calendar(),
    )


@dataclass
class Seeder:
    """Writes citizens, cases, thread messages and events with plain SQL."""

    tx: Tx
    _citizens: int = 0

    async def case(
        self,
        code: str,
        field_id: str,
        created: datetime,
        due: datetime,
        *,
        state: str = "received",
        village: str | None = None,
        assignee: str | None = None,
        kind: str = "phan_anh",
        anonymous: bool = True,
        name: str | None = None,
        phone: str | None = None,
    ) -> int:
        """A case as intake stores it, with its 'received' event and the citizen's message."""
        self._citizens += 1
        citizen = await self.tx.insert(
            "INSERT INTO citizens (channel, chat_id, full_name, created_at) VALUES (?, ?, ?, ?)",
            ("telegram", str(90000 + self._citizens), "Sealed Name", to_db_time(created)),
        )
        case_id = await self.tx.insert(
            "INSERT INTO cases (code, citizen_id, field_id, village, kind, state, anonymous,"
            " shared_name, shared_phone, assignee_id, created_at, due_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                citizen,
                field_id,
                village,
                kind,
                state,
                int(anonymous),
                name,
                phone,
                assignee,
                to_db_time(created),
                to_db_time(due),
                to_db_time(created),
            ),
        )
        await self.event(case_id, "received", "citizen", created)
        await self.message(case_id, "citizen", created, "Nội dung phản ánh")
        return case_id

    async def event(
        self, case_id: int, action: str, actor: str, at: datetime, note: str | None = None
    ) -> None:
        """A recorded action on a case."""
        await self.tx.insert(
            "INSERT INTO case_events (case_id, action, actor, note, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, action, actor, note, to_db_time(at)),
        )

    async def message(
        self,
        case_id: int,
        kind: str,
        at: datetime,
        body: str | None = None,
        member_id: str | None = None,
    ) -> None:
        """A message in the case's thread."""
        await self.tx.insert(
            "INSERT INTO case_messages (case_id, kind, body, member_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, kind, body, member_id, to_db_time(at)),
        )

    async def answer(self, case_id: int, member_id: str, at: datetime, body: str) -> None:
        """A member's answer: the message, the event and the case's answer time."""
        await self.message(case_id, "answer", at, body, member_id)
        await self.event(case_id, "answered", member_id, at)
        await self.tx.execute(
            "UPDATE cases SET answered_at = COALESCE(answered_at, ?) WHERE id = ?",
            (to_db_time(at), case_id),
        )


LONG_ANSWER = "Trả lời dài. " * 150  # 1950 characters: exports cut it at 1000


async def seed_november(tx: Tx) -> None:
    """Six cases received in November 2026 (local time) and two just outside it.

    Figures this makes for November, as of NOW (5 December):
      states: received 2 (D, E), answered 1 (A), closed 1 (B), in_progress 1 (C), rejected 1 (H)
      fields: dat-dai 3 (A, B, H), moi-truong 2 (C, D), an-ninh 1 (E)
      villages: Thôn Đông 3 (A, C, E), Thôn Tây 2 (B, H), not given 1 (D)
      assignees: lan 2 (A, B), minh 1 (C), hung 1 (H), nobody 2 (D, E)
      first member action after: 2 h (A), 1 day (B), 4 h (C), 30 min (H) → median 3 h
      first answer after: 3 days (A), 10 days (B), 1 day (C) → median 3 days
      on time 2 (A, C), late 1 (B); overdue now 2 (C reopened, E)
      latest ratings 5 (A), 4 (B), 1 (C) → 3 ratings, average 3.33; resolved 2, not 1
      reopened 2 (B, C)
    """
    seed = Seeder(tx)
    a = await seed.case(
        "MT-261102-0001-AA", "dat-dai", local(2026, 11, 2, 8), end_of(date(2026, 11, 20)),
        state="answered", village="Thôn Đông", assignee="lan", anonymous=False,
        name="Trần Thị Bình", phone="0912345678",
    )  # fmt: skip
    await seed.event(a, "assigned", "lan", local(2026, 11, 2, 10))
    await seed.answer(a, "lan", local(2026, 11, 5, 8), "Đã sửa đường thôn Đông.")
    await seed.event(a, "rated", "citizen", local(2026, 11, 6, 9), "5")
    await seed.event(a, "resolved", "citizen", local(2026, 11, 6, 9))

    b = await seed.case(
        "MT-261103-0001-BB", "dat-dai", local(2026, 11, 3, 9), end_of(date(2026, 11, 10)),
        state="closed", village="Thôn Tây", assignee="lan", kind="kien_nghi", anonymous=False,
        name="Lê Văn Cường",
    )  # fmt: skip
    await seed.event(b, "assigned", "lan", local(2026, 11, 4, 9))
    await seed.answer(b, "lan", local(2026, 11, 13, 9), "=1+1 là nội dung, không phải công thức")
    await seed.event(b, "rated", "citizen", local(2026, 11, 14, 9), "2")
    await seed.event(b, "not_resolved", "citizen", local(2026, 11, 14, 9))
    await seed.event(b, "reopen", "citizen", local(2026, 11, 14, 9))
    await seed.answer(b, "lan", local(2026, 11, 16, 9), "Đã đo đạc lại.")
    await seed.event(b, "resolved", "citizen", local(2026, 11, 17, 9))
    await seed.event(b, "rated", "citizen", local(2026, 11, 17, 9), "4")

    c = await seed.case(
        "MT-261110-0001-CC", "moi-truong", local(2026, 11, 10, 10), end_of(date(2026, 11, 25)),
        state="in_progress", village="Thôn Đông", assignee="minh",
    )  # fmt: skip
    await seed.event(c, "assigned", "minh", local(2026, 11, 10, 14))
    await seed.answer(c, "minh", local(2026, 11, 11, 10), LONG_ANSWER)
    await seed.event(c, "rated", "citizen", local(2026, 11, 12, 9), "1")
    await seed.event(c, "not_resolved", "citizen", local(2026, 11, 12, 9))
    await seed.event(c, "reopen", "citizen", local(2026, 11, 12, 9))

    # Anonymous: even a name stored by mistake must never reach an export.
    await seed.case(
        "MT-261120-0001-DD", "moi-truong", local(2026, 11, 20, 15), end_of(date(2026, 12, 10)),
        name="Lộ Danh", phone="0900000000",
    )  # fmt: skip
    await seed.case(
        "MT-261128-0001-EE", "an-ninh", local(2026, 11, 28, 9), end_of(date(2026, 12, 1)),
        village="Thôn Đông", anonymous=False, name="Phạm Văn Em", phone="0987654321",
    )  # fmt: skip
    # 00:10 on 1 November in the commune is still 31 October in UTC: it belongs to November.
    h = await seed.case(
        "MT-261101-0001-HH", "dat-dai", local(2026, 11, 1, 0, 10), end_of(date(2026, 11, 30)),
        state="rejected", village="Thôn Tây", assignee="hung", kind="khac",
    )  # fmt: skip
    await seed.event(h, "reject", "hung", local(2026, 11, 1, 0, 40), "Không thuộc thẩm quyền")

    # Just outside November in local time (though 30 November in UTC for the second).
    f = await seed.case(
        "MT-261031-0001-FF", "dat-dai", local(2026, 10, 31, 23, 30), end_of(date(2026, 11, 15))
    )
    await seed.event(f, "rated", "citizen", local(2026, 11, 3), "1")
    await seed.event(f, "reopen", "citizen", local(2026, 11, 3))
    await seed.case(
        "MT-261201-0001-GG", "dat-dai", local(2026, 12, 1, 0, 30), end_of(date(2026, 12, 15))
    )
