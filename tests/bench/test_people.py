"""The simulated people, run inside the emulator's process against a real PTB bot: one update
per action, each action only after the bot's answer reached the person's chat."""

import time
from typing import Any

from bench.emulator import Timeline
from bench.people import Person, Step, closed_loop, fixed_rate
from sandbox import BotApiEmulator

from .conftest import SILENT

FORM = [
    Step("say", "một", "Đã nhận: một"),
    Step("press", "Gửi", "Mã tra cứu"),
    Step("say", "hai", "Đã nhận: hai"),
]


def people(emu: BotApiEmulator, timeline: Timeline, steps: list[Step], *ids: int) -> list[Person]:
    made = []
    for user_id in ids:
        emu.add_user(user_id, f"Dân {user_id}")
        made.append(Person(emu, user_id, steps))
    timeline.crowd.add(made)
    return made


async def test_each_person_acts_once_per_step_and_only_after_the_answer(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, timeline = bench
    crowd = people(emu, timeline, FORM, 11, 12, 13)

    result = await closed_loop(crowd, timeout=10)

    assert result.errors == []
    assert [p.user_id for p in result.finished] == [11, 12, 13]
    for user_id in (11, 12, 13):
        queued = [u for u in timeline.updates if u[1] == user_id]
        assert [u[2] for u in queued] == ["message", "callback_query", "message"]
        answers = sorted(t for chat, t, _m in timeline.bot_messages if chat == user_id)
        assert len(answers) == 3
        # Step k+1 was queued after the bot's answer to step k had landed in the chat.
        for k in range(2):
            assert answers[k] <= queued[k + 1][3]
        receipt = emu.bot_messages(user_id)[-1]["text"]
        assert receipt == "Đã nhận: hai"
        outcome = next(p for p in result.people if p.user_id == user_id)
        assert outcome.done == 3 and outcome.answered_at == answers[-1]
    pressed = [c for c in emu.calls if c.method == "answerCallbackQuery"]
    assert len(pressed) == 3


async def test_a_button_that_is_not_shown_fails_only_that_person(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, timeline = bench
    [lost] = people(emu, timeline, [Step("press", "Không có", "x")], 21)
    [fine] = people(emu, timeline, FORM, 22)

    result = await closed_loop([lost, fine], timeout=10)

    assert len(result.errors) == 1
    assert "no button 'Không có' shown" in result.errors[0]
    assert [p.user_id for p in result.finished] == [22]
    assert [u[1] for u in timeline.updates].count(21) == 0  # nothing was queued for it


async def test_an_unanswered_step_fails_after_the_answer_timeout(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, timeline = bench
    [waiting] = people(emu, timeline, [Step("say", SILENT, "Đã nhận")], 31)
    started = time.monotonic()

    result = await closed_loop([waiting], timeout=0.4)

    assert time.monotonic() - started < 3
    assert result.finished == []
    assert result.errors[0].startswith("step 1 (say 'im lặng'): no answer containing 'Đã nhận'")


async def test_fixed_rate_spaces_the_updates_and_records_lateness(
    bench: tuple[BotApiEmulator, Timeline], form_bot: Any
) -> None:
    emu, timeline = bench
    steps = [Step("say", "một", "Đã nhận: một"), Step("say", "hai", "Đã nhận: hai")]
    crowd = people(emu, timeline, steps, 41, 42)

    result = await fixed_rate(crowd, rate=20, timeout=10)

    assert result.errors == [] and len(result.finished) == 2
    assert len(result.lateness) == 4
    queued = sorted(u[3] for u in timeline.updates)
    assert queued[-1] - queued[0] >= 3 / 20 - 0.01  # four slots, 1/20 s apart at least
