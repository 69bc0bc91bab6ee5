"""SIGKILL in the middle of the submission dialog: the step and the draft live in the database."""

from __future__ import annotations

import json

import pytest

from tests.crash.conftest import Crash, confirm_anonymously, walk_to_content
from tests.crash.harness import WAIT, case_codes, query, receipts

pytestmark = pytest.mark.slow

FIRST = "Đường đất vào xóm Đông bị lấn chiếm, chỉ còn 1 mét."
SECOND = "Xe cứu thương không vào được từ tháng trước."


async def test_killed_bot_resumes_the_dialog_at_the_same_step_with_the_draft_intact(
    crash: Crash,
) -> None:
    citizen = crash.citizen
    await crash.boot()
    await walk_to_content(citizen)
    citizen.say(FIRST)
    await citizen.wait_for("(1 phần)", timeout=WAIT)

    await crash.bot.kill()
    ((step, draft),) = query(crash.db_path, "SELECT step, data FROM dialogs WHERE chat_id = '2001'")
    assert step == "content"
    assert FIRST in json.dumps(json.loads(draft), ensure_ascii=False)

    await crash.bot.start()
    citizen.say(SECOND)
    await citizen.wait_for("(2 phần)", timeout=WAIT)
    await confirm_anonymously(citizen)
    citizen.press("Gửi")
    await citizen.wait_for("Mã tra cứu", timeout=WAIT)
    await crash.outbox_drained()
    await crash.bot.kill()

    assert len(case_codes(crash.db_path)) == 1
    assert set(receipts(citizen)) == set(case_codes(crash.db_path))
    ((body,),) = query(crash.db_path, "SELECT body FROM case_messages WHERE kind = 'citizen'")
    assert FIRST in body and SECOND in body
    assert query(crash.db_path, "SELECT * FROM dialogs") == []
