"""The case state machine: which actions move a case from which state to which, and who may act.

Only the transitions listed here exist. Services ask `plan(...)` before changing anything; it
either returns the transition or raises a `UserError` the member sees as a polite refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import UserError
from bot.domain.model import Case, CaseState, Member

S = CaseState


class Action(StrEnum):
    """What can happen to a case."""

    CLAIM = "claim"  # a member takes the case
    ASSIGN = "assign"  # the chair gives it to a member
    HAND_OVER = "hand_over"  # the assignee passes it to a colleague
    START = "start"  # the assignee starts working (assigned → in progress)
    ANSWER = "answer"  # an answer is sent to the citizen
    CLOSE = "close"  # the case is finished
    REOPEN = "reopen"  # the citizen (or the chair) says it is not resolved
    TRANSFER = "transfer"  # sent on to the competent body
    GUIDE = "guide"  # a complaint/denunciation guided to its formal route
    REJECT = "reject"  # not eligible, with a reason
    WITHDRAW = "withdraw"  # the citizen takes it back
    RECORD_OUTCOME = "record_outcome"  # reception records the formal route's outcome (closes)
    RELEASE = "release"  # back to the field's queue (its holder was deactivated)
    MERGE = "merge"  # a duplicate joins another case, whose answers reach its citizen too


_OPEN = (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS)

TRANSITIONS: dict[Action, tuple[tuple[CaseState, ...], CaseState | None]] = {
    # action: (allowed from-states, to-state; None = unchanged)
    Action.CLAIM: ((S.RECEIVED,), S.ASSIGNED),
    Action.ASSIGN: (_OPEN, S.ASSIGNED),
    Action.HAND_OVER: ((S.ASSIGNED, S.IN_PROGRESS), S.ASSIGNED),
    Action.START: ((S.ASSIGNED,), S.IN_PROGRESS),
    Action.ANSWER: ((*_OPEN, S.ANSWERED), S.ANSWERED),
    Action.CLOSE: ((S.ANSWERED, S.TRANSFERRED), S.CLOSED),
    Action.REOPEN: ((S.ANSWERED, S.CLOSED), S.IN_PROGRESS),
    Action.TRANSFER: (_OPEN, S.TRANSFERRED),
    Action.GUIDE: (_OPEN, S.GUIDED),
    Action.REJECT: (_OPEN, S.REJECTED),
    Action.WITHDRAW: ((*_OPEN, S.ANSWERED), S.WITHDRAWN),
    Action.RECORD_OUTCOME: ((S.GUIDED,), S.CLOSED),
    Action.RELEASE: ((S.ASSIGNED, S.IN_PROGRESS), S.RECEIVED),
    Action.MERGE: (_OPEN, S.CLOSED),
}

# Actions only the chair (or deputy) may take, whoever holds the case.
CHAIR_ONLY = frozenset({Action.ASSIGN, Action.REJECT, Action.RELEASE})
# What the citizen may do to their own case: take it back, say the answer did (close) or did
# not (reopen) resolve it.
CITIZEN_ACTIONS = frozenset({Action.WITHDRAW, Action.REOPEN, Action.CLOSE})
# Transitions the citizen hears about, with the catalogue key of the notice.
CITIZEN_NOTICES: dict[Action, str] = {
    Action.CLAIM: "citizen_assigned",
    Action.ASSIGN: "citizen_assigned",
    Action.START: "citizen_in_progress",
    Action.CLOSE: "citizen_closed",
    Action.REOPEN: "citizen_reopened",
    Action.TRANSFER: "citizen_transferred",
    Action.GUIDE: "citizen_guided",
    Action.REJECT: "citizen_rejected",
    Action.WITHDRAW: "citizen_withdrawn",
    Action.RECORD_OUTCOME: "citizen_outcome",
    Action.MERGE: "citizen_merged",
}
# Actions that need a written reason or note.
NEEDS_NOTE = frozenset({Action.TRANSFER, Action.REJECT, Action.RECORD_OUTCOME})


@dataclass(frozen=True)
class Transition:
    """A checked change: the action, and the states before and after."""

    action: Action
    before: CaseState
    after: CaseState


def can(action: Action, state: CaseState) -> bool:
    """Whether `action` is listed for a case in `state`."""
    sources, _target = TRANSITIONS[action]
    return state in sources


def plan(action: Action, case: Case, actor: Member | None, *, in_field: bool) -> Transition:
    """Check that `actor` (None for the citizen) may take `action` on `case` now.

    `in_field` says whether the actor is listed for the case's field (or is its reception
    officer for complaints); the case's holder and the chairs may act on it regardless. Whether
    someone else holds the case is the caller's check (it names the holder in its refusal).
    """
    if not can(action, case.state):
        raise UserError("transition_refused", code=case.code, state=case.state.value)
    if actor is None:
        if action not in CITIZEN_ACTIONS:
            raise UserError("not_member")
    elif not actor.is_chair:
        if action in CHAIR_ONLY:
            raise UserError("chair_only")
        if not in_field and case.assignee_id != actor.id:
            raise UserError("not_allowed")
    _sources, target = TRANSITIONS[action]
    return Transition(action, case.state, target or case.state)
