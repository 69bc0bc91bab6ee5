"""The mailbox's domain objects: cases, their messages and attachments, members, citizens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands; see DESIGN.md section 2."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    GUIDED = "guided"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset({CaseState.RECEIVED, CaseState.ASSIGNED, CaseState.IN_PROGRESS})


class CaseKind(StrEnum):
    """The legal kind of a submission (loại)."""

    SUGGESTION = "gop_y"
    REFLECTION = "phan_anh"
    PETITION = "kien_nghi"
    QUESTION = "hoi_dap"
    COMPLAINT = "khieu_nai"
    DENUNCIATION = "to_cao"
    OTHER = "khac"


class AttachmentKind(StrEnum):
    """Media a citizen may attach to a case."""

    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    LOCATION = "location"


class MessageKind(StrEnum):
    """Who wrote a case message and who may read it."""

    CITIZEN = "citizen"  # the submission and follow-ups
    ANSWER = "answer"  # a member's answer, delivered to the citizen
    INTERNAL = "internal"  # never reaches the citizen
    QUESTION = "question"  # a member asks the citizen for more (the deadline waits)


class Role(StrEnum):
    """Committee roles; roles are data from config."""

    CHAIR = "chair"
    DEPUTY = "deputy"
    MEMBER = "member"
    SECRETARY = "secretary"
    RECEPTION = "reception"


@dataclass(frozen=True)
class ChatRef:
    """A conversation on one messenger channel (a Telegram private chat id, a Zalo user id)."""

    channel: str
    chat_id: str


@dataclass(frozen=True)
class Sender:
    """Who sent an inbound event, as the channel reports it. Sealed: never shown to members."""

    chat: ChatRef
    user_id: str
    full_name: str
    username: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A photo, document, voice note (by channel file id) or a shared location."""

    kind: AttachmentKind
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    caption: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ContentPart:
    """One piece of a submission: a text or an attachment."""

    text: str | None = None
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Member:
    """A committee member as configured, plus how to reach them."""

    id: str
    name: str
    roles: frozenset[Role]
    chat: ChatRef | None = None
    reachable: bool = True

    @property
    def is_chair(self) -> bool:
        """Chair and deputy may act on every case."""
        return Role.CHAIR in self.roles or Role.DEPUTY in self.roles


@dataclass(frozen=True)
class Case:
    """One submission and everything that follows it, as members may see it (no sealed identity)."""

    id: int
    code: str
    field_id: str
    village: str | None
    kind: CaseKind
    state: CaseState
    anonymous: bool
    shared_name: str | None
    shared_phone: str | None
    assignee_id: str | None
    created_at: datetime
    due_at: datetime
    answered_at: datetime | None = None
    # Set while the case waits for the citizen's reply to a member's question: the clock stops.
    waiting_since: datetime | None = None
    merged_into: int | None = None  # a duplicate: the case that carries the work


@dataclass(frozen=True)
class CaseMessage:
    """A message in a case's thread."""

    id: int
    case_id: int
    kind: MessageKind
    body: str | None
    member_id: str | None
    created_at: datetime
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaseEvent:
    """A recorded transition or action on a case: who did what, when."""

    case_id: int
    action: str
    actor: str
    from_state: CaseState | None
    to_state: CaseState | None
    note: str | None
    created_at: datetime
