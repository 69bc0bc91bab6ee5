"""The metronome prunes old sent mail and update ids; cases and their threads stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.e2e.conftest import running_world, submit_case, track
from tests.e2e.test_deadline_reminders import ShiftedClock


async def test_the_sweep_prunes_sent_mail_after_the_retention_period(tmp_path: Path) -> None:
    clock = ShiftedClock()
    async with running_world(tmp_path, clock=clock) as world:
        code = await submit_case(world.citizen, texts=("Đường vào thôn bị lấn chiếm.",))
        assert await world.app.dispatcher.drain(10)
        db = world.app.db
        [[sent, last]] = await db.read("SELECT COUNT(*), MAX(id) FROM outbox WHERE status = 'sent'")
        assert sent > 0
        clock.move_to(clock.now() + timedelta(days=91))  # the sample config keeps 90 days
        await world.app.metronome.sweep_now()  # (it also sends the case's overdue reminders)
        assert await db.read("SELECT id FROM outbox WHERE id <= ?", (last,)) == []
        assert await db.read("SELECT update_id FROM processed_updates") == []
        assert code in await track(world.citizen, code)  # the case itself is kept
