"""The case state machine: every listed transition works, everything else is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.errors import UserError
from bot.domain.lifecycle import (
    CHAIR_ONLY,
    CITIZEN_ACTIONS,
    CITIZEN_NOTICES,
    TRANSITIONS,
    Action,
    can,
    plan,
)
from bot.domain.model import Case, CaseKind, CaseState, Member, Role

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CHAIR = Member("hung", "Nguyễn Văn Hùng", frozenset({Role.CHAIR}))
MEMBER = Member("minh", "Lê Quang Minh", frozenset({Role.MEMBER}))

ALLOWED = [
    (action, state) for action, (sources, _target) in TRANSITIONS.items() for state in sources
]
REFUSED = [
    (action, state)
    for action, (sources, _target) in TRANSITIONS.items()
    for state in CaseState
    if state not in sources
]


def case(state: CaseState, assignee: str | None = None) -> Case:
    return Case(
        id=1,
        code="MT-261127-0001-AB",
        field_id="dat-dai",
        village=None,
        kind=CaseKind.SUGGESTION,
        state=state,
        anonymous=True,
        shared_name=None,
        shared_phone=None,
        assignee_id=assignee,
        created_at=NOW,
        due_at=NOW,
    )


def test_the_main_path_runs_from_received_to_closed() -> None:
    path = [Action.CLAIM, Action.START, Action.ANSWER, Action.CLOSE]
    state = CaseState.RECEIVED
    for action in path:
        state = plan(action, case(state, "minh"), MEMBER, in_field=True).after
    assert state is CaseState.CLOSED


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_every_listed_transition_is_allowed_to_the_chair(action: Action, state: CaseState) -> None:
    transition = plan(action, case(state), CHAIR, in_field=False)
    target = TRANSITIONS[action][1]
    assert transition.before is state
    assert transition.after is (target or state)


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_unlisted_transition_is_refused(action: Action, state: CaseState) -> None:
    assert not can(action, state)
    with pytest.raises(UserError) as refused:
        plan(action, case(state), CHAIR, in_field=True)
    assert refused.value.key == "transition_refused"


@pytest.mark.parametrize("action", sorted(CHAIR_ONLY))
def test_chair_only_actions_are_refused_to_members(action: Action) -> None:
    state = TRANSITIONS[action][0][0]
    with pytest.raises(UserError) as refused:
        plan(action, case(state), MEMBER, in_field=True)
    assert refused.value.key == "chair_only"


@pytest.mark.parametrize(
    "action", [a for a in Action if a not in CHAIR_ONLY and a not in CITIZEN_ACTIONS]
)
def test_members_outside_the_field_may_not_act(action: Action) -> None:
    state = TRANSITIONS[action][0][0]
    with pytest.raises(UserError) as refused:
        plan(action, case(state), MEMBER, in_field=False)
    assert refused.value.key == "not_allowed"


def test_the_holder_may_act_even_outside_the_field() -> None:
    held = case(CaseState.ASSIGNED, assignee="minh")
    assert plan(Action.START, held, MEMBER, in_field=False).after is CaseState.IN_PROGRESS


@pytest.mark.parametrize("action", sorted(CITIZEN_ACTIONS))
def test_citizens_may_withdraw_close_and_reopen_their_case(action: Action) -> None:
    state = TRANSITIONS[action][0][-1]
    assert plan(action, case(state), None, in_field=False).action is action


@pytest.mark.parametrize("action", [a for a in Action if a not in CITIZEN_ACTIONS])
def test_citizens_may_take_no_other_action(action: Action) -> None:
    state = TRANSITIONS[action][0][0]
    with pytest.raises(UserError) as refused:
        plan(action, case(state), None, in_field=False)
    assert refused.value.key == "not_member"


def test_every_transition_the_citizen_hears_about_has_a_sentence() -> None:
    from bot.texts.catalogue import load_texts

    for locale in ("vi", "en"):
        texts = load_texts(locale)
        assert [key for key in CITIZEN_NOTICES.values() if not texts.has(key)] == []
