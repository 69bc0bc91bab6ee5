"""The briefing pack's contents against seeded data: a real SQLite file and a fixed clock.

The meeting of 7 December follows the one of 3 November (08:00 local), so the pack covers the
cases since then, up to NOW (5 December, 10:00 local); overdue counts as it stands at NOW.
Expected figures, from tests/reports/seed.py's November cases plus F (31 October) and G
(1 December):
  received B C D E G = 5; answered A B C = 3; overdue now F C E = 3
  Đất đai 2/2/1 · Môi trường 2/1/1 · An ninh 1/0/1
  ratings A 5, B 4 (latest), C 1 → 3, average 3.3; resolved 2, not resolved 1; reopened C, B
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.domain.briefing import FIRST_LOOKBACK, Tally
from bot.services.briefing_pack import build_pack, gather_figures
from bot.services.briefing_report import place_name
from bot.storage.database import Database
from bot.storage.unit_of_work import SqliteUnitOfWork
from sandbox.html_check import parse_html
from tests.reports.briefing_seed import (
    PREVIOUS,
    STARTS,
    TITLE,
    add_conclusion,
    store_occurrences,
    with_briefing_meeting,
)
from tests.reports.seed import (
    NOW,
    Seeder,
    end_of,
    local,
    open_database,
    renderer,
    sample_config,
    seed_november,
)

# Names that exist in the database but must never reach a pack: the sealed identity, a name
# stored by mistake on an anonymous case, and names that named citizens shared with members.
NEVER_SHOWN = [
    "Sealed Name",
    "Lộ Danh",
    "0900000000",
    "Lê Văn Cường",
    "Phạm Văn Em",
    "Trần Thị Bình",
]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return with_briefing_meeting(sample_config(tmp_path))


@pytest.fixture
async def db(config: Config) -> AsyncIterator[Database]:
    database = await open_database(config)
    async with database.transaction() as tx:
        await seed_november(tx)
    yield database
    await database.close()


async def test_figures_cover_the_cases_since_the_previous_meeting(db: Database) -> None:
    async with db.transaction() as tx:
        occurrence = await store_occurrences(tx)
        figures = await gather_figures(SqliteUnitOfWork(tx), occurrence, NOW)

    assert (figures.since, figures.until) == (PREVIOUS, NOW)
    assert figures.total == Tally(received=5, answered=3, overdue=3)
    assert figures.by_field == {
        "dat-dai": Tally(2, 2, 1),
        "moi-truong": Tally(2, 1, 1),
        "an-ninh": Tally(1, 0, 1),
    }
    assert figures.by_village == {
        "Thôn Đông": Tally(2, 2, 2),
        "Thôn Tây": Tally(1, 1, 0),
        None: Tally(2, 0, 1),
    }
    assert figures.by_member == {
        "lan": Tally(1, 2, 0),
        "minh": Tally(1, 1, 1),
        None: Tally(3, 0, 2),
    }


async def test_the_overdue_list_names_owners_longest_overdue_first(db: Database) -> None:
    async with db.transaction() as tx:
        figures = await gather_figures(SqliteUnitOfWork(tx), await store_occurrences(tx), NOW)

    assert [(c.code, c.owner_id) for c in figures.overdue] == [
        ("MT-261031-0001-FF", None),
        ("MT-261110-0001-CC", "minh"),
        ("MT-261128-0001-EE", None),
    ]


async def test_ratings_and_reopened_cases_of_the_period(db: Database) -> None:
    async with db.transaction() as tx:
        figures = await gather_figures(SqliteUnitOfWork(tx), await store_occurrences(tx), NOW)

    assert figures.ratings.count == 3 and figures.ratings.average == pytest.approx(3.33)
    assert (figures.ratings.resolved, figures.ratings.unresolved) == (2, 1)
    assert figures.scores == {5: 1, 4: 1, 3: 0, 2: 0, 1: 1}
    # F's rating and reopening (3 November, 00:00) came before the previous meeting.
    assert [c.code for c in figures.reopened] == ["MT-261110-0001-CC", "MT-261103-0001-BB"]


async def test_a_first_meeting_looks_back_thirty_days(db: Database) -> None:
    async with db.transaction() as tx:
        occurrence = await store_occurrences(tx, previous=False)
        figures = await gather_figures(SqliteUnitOfWork(tx), occurrence, NOW)

    assert figures.since == STARTS - FIRST_LOOKBACK == local(2026, 11, 7, 8)
    assert figures.total.received == 4  # C (10 Nov), D, E, G; not B (3 Nov)


async def test_a_meeting_without_conclusions_lists_none(
    db: Database,
) -> None:
    async with db.transaction() as tx:
        figures = await gather_figures(SqliteUnitOfWork(tx), await store_occurrences(tx), NOW)
    assert figures.conclusions == []


async def test_open_conclusions_are_listed_soonest_due_first_and_done_ones_left_out(
    db: Database,
) -> None:
    async with db.transaction() as tx:
        await store_occurrences(tx)
        await add_conclusion(tx, "Rà soát hồ sơ đất thôn Tây", owner="lan", due_on="2026-12-20")
        await add_conclusion(tx, "Đã xong việc cũ", owner="minh", done_at=PREVIOUS)
        await add_conclusion(
            tx,
            "Xử lý rác thôn Đông",
            owner="minh",
            due_on="2026-12-01",
            case_code="MT-261110-0001-CC",
        )
        await add_conclusion(tx, "Tuyên truyền quy chế dân chủ")
        figures = await gather_figures(SqliteUnitOfWork(tx), await store_occurrences(tx), NOW)

    assert [(c.text, c.owner_id, c.case_code) for c in figures.conclusions] == [
        ("Xử lý rác thôn Đông", "minh", "MT-261110-0001-CC"),
        ("Rà soát hồ sơ đất thôn Tây", "lan", None),
        ("Tuyên truyền quy chế dân chủ", None, None),
    ]
    assert str(figures.conclusions[0].due_on) == "2026-12-01"


async def test_the_chat_message_reads_as_a_briefing(config: Config, db: Database) -> None:
    async with db.transaction() as tx:
        await store_occurrences(tx)
        await add_conclusion(tx, "Xử lý rác <thôn> Đông", owner="minh", due_on="2026-12-01")
        occurrence = await store_occurrences(tx)
        pack = await build_pack(
            SqliteUnitOfWork(tx), config, renderer(config), occurrence, config.meetings[0], NOW
        )

    assert len(pack.text) == 1
    text = parse_html(pack.text[0]).text  # well-formed for Telegram's HTML parse mode
    assert "Báo cáo phục vụ hội nghị giao ban" in text and TITLE in text
    assert "07/12/2026 08:00" in text and "Phòng họp UBND xã" in text
    assert "Kỳ báo cáo: từ 03/11/2026 08:00 đến 05/12/2026 10:00" in text
    assert "Tiếp nhận: 5 · Đã trả lời: 3 · Quá hạn hiện nay: 3" in text
    assert "• Đất đai: 2 / 2 / 1" in text
    assert "• Thôn Đông: 2 / 2 / 2" in text and "• Không nêu: 2 / 0 / 1" in text
    assert "• Trần Thị Lan: 1 / 2 / 0" in text and "• Chưa có người nhận: 3 / 0 / 2" in text
    assert (
        "• MT-261110-0001-CC: Môi trường – vệ sinh, Thôn Đông; hạn 25/11/2026 (quá 10 ngày); "
        "người xử lý: Lê Quang Minh"
    ) in text
    assert (
        "MT-261031-0001-FF: Đất đai, Không nêu; hạn 15/11/2026 (quá 20 ngày); người xử lý: Chưa có người nhận"
        in text
    )
    assert "Số lượt đánh giá: 3; điểm trung bình: 3,3/5" in text
    assert "Đã giải quyết: 2 · Chưa giải quyết: 1 · Phiếu bị mở lại: 2" in text
    assert "• Xử lý rác <thôn> Đông: Lê Quang Minh; hạn 01/12/2026 (đã quá hạn)" in text
    assert "Dân vận khéo" not in text  # the model registry does not exist yet: no section
    for name in NEVER_SHOWN:
        assert name not in text


async def test_long_lists_are_cut_and_every_message_fits_telegram(
    config: Config, db: Database
) -> None:
    async with db.transaction() as tx:
        seed = Seeder(tx, _citizens=100)  # after seed_november's citizens
        for n in range(40):
            await seed.case(
                f"MT-261115-{n:04d}-ZZ", "khac", local(2026, 11, 15, 9), end_of(local(2026, 11, 20).date()),
                village="Thôn Tây " + "dài " * 40, anonymous=False, name=f"Người gửi {n}",
            )  # fmt: skip
        occurrence = await store_occurrences(tx)
        pack = await build_pack(
            SqliteUnitOfWork(tx), config, renderer(config), occurrence, config.meetings[0], NOW
        )

    text = "\n".join(pack.text)
    assert "… và 33 trường hợp khác" in text  # 43 overdue cases, 10 shown
    assert all(len(piece) <= 4096 for piece in pack.text)
    assert "Người gửi" not in text


async def test_the_chart_is_a_png_image(config: Config, db: Database) -> None:
    async with db.transaction() as tx:
        occurrence = await store_occurrences(tx)
        pack = await build_pack(
            SqliteUnitOfWork(tx), config, renderer(config), occurrence, config.meetings[0], NOW
        )
    assert pack.chart.startswith(b"\x89PNG\r\n\x1a\n") and len(pack.chart) > 5000
    assert pack.slug == "giao-ban-2026-12-07"


async def test_the_pack_speaks_english_when_configured(config: Config, db: Database) -> None:
    async with db.transaction() as tx:
        occurrence = await store_occurrences(tx)
        pack = await build_pack(
            SqliteUnitOfWork(tx),
            config,
            renderer(config, "en"),
            occurrence,
            config.meetings[0],
            NOW,
        )
    text = parse_html(pack.text[0]).text
    assert "Received: 5 · Answered: 3 · Overdue now: 3" in text
    assert "average score: 3.3/5" in text


def test_the_report_is_dated_at_the_communes_name_without_its_unit() -> None:
    assert place_name("Xã Mỹ Thành") == "Mỹ Thành"
    assert place_name("Phường Bến Nghé") == "Bến Nghé"
    assert place_name("Thị trấn Đông Anh") == "Đông Anh"
    assert place_name("Mỹ Thành") == "Mỹ Thành"


def test_first_lookback_is_thirty_days() -> None:
    assert timedelta(days=30) == FIRST_LOOKBACK
