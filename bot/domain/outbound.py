"""Outbound messages as the outbox stores them: channel-neutral, serialisable to JSON."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import Any

from bot.domain.model import Attachment, AttachmentKind, ChatRef

# One encoder for every payload: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Button:
    """An inline button: a label the user sees and the data the bot gets back (≤ 64 bytes)."""

    label: str
    data: str


# `Outbound.extra` keys asking the sender to post in a case's forum topic, creating the topic
# (under this name) on the first post about the case.
TOPIC_FOR_CASE = "topic_for_case"
TOPIC_NAME = "topic_name"
# `Outbound.extra` key naming an earlier outbox row of the same chat (its id): the message edits
# that row's sent message in place, or is sent anew if it cannot (never delivered, deleted, too
# old to edit). Per-chat order means the earlier row was sent or given up on first.
REPLACES = "replaces"


class LinkRole(StrEnum):
    """Why a sent message is remembered: replies to it are about its case."""

    MEMBER_NOTICE = "member_notice"
    CITIZEN_NOTICE = "citizen_notice"


class Lane(IntEnum):
    """Which queued messages go first while the outbox waits on Telegram's rate limits.

    Lowest value first. The one place that says which message goes in which lane:

    - INTERACTIVE: replies in a dialog the person is having right now (intake steps, receipts,
      command and button answers, refusals): whatever a turn sends to the chat it came from
      (`lane_for`).
    - NOTICE: messages to other people (member notifications, answers to citizens), deadline
      and task reminders; also the default for a message queued without a lane.
    - BULK: what goes to many people at once and can wait a little: meeting reminders and
      summaries, briefing packs.

    A chat's messages still go strictly in order: queueing a message lifts the chat's earlier
    pending messages into its lane (outbox_store.enqueue), so an answer is never stuck behind
    a whole bulk backlog because its chat had a bulk message waiting.
    """

    INTERACTIVE = 0
    NOTICE = 1
    BULK = 2


@dataclass(frozen=True)
class Upload:
    """A file the bot makes and uploads (a report, a chart), unlike an attachment re-sent by id."""

    filename: str
    mime_type: str
    data: bytes
    # A photo shows inline in the chat; anything else arrives as a document to download.
    as_photo: bool = False


@dataclass(frozen=True)
class Outbound:
    """One message to send. `text` is already safe markup (user text escaped by the renderer)."""

    chat: ChatRef
    text: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    # A reply keyboard asking for the user's phone number, with a skip key.
    contact_request: tuple[str, str] | None = None
    remove_keyboard: bool = False
    case_id: int | None = None
    link_role: LinkRole | None = None
    # Member id the message is for, so an undeliverable notice can be re-routed.
    member_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    upload: Upload | None = None
    # The forum topic (message thread) of a group chat to post in; None for the main chat.
    thread_id: str | None = None
    # Who goes first while the outbox queues (see Lane); None: decided where it is queued.
    lane: Lane | None = None

    def to_json(self) -> str:
        """Serialise the message body (everything except routing columns); the optional parts
        are left out while unset (`from_row` reads them as unset)."""
        body: dict[str, Any] = {
            "text": self.text,
            "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in self.buttons],
            "attachment": _attachment_to_dict(self.attachment),
        }
        # Every handled update queues a message or two: these checks cost less than
        # serialising the defaults.
        if self.contact_request:
            body["contact_request"] = list(self.contact_request)
        if self.remove_keyboard:
            body["remove_keyboard"] = True
        if self.extra:
            body["extra"] = self.extra
        if self.upload is not None:
            body["upload"] = _upload_to_dict(self.upload)
        if self.thread_id is not None:
            body["thread_id"] = self.thread_id
        return _ENCODER.encode(body)

    @classmethod
    def from_row(
        cls,
        chat: ChatRef,
        payload: str,
        case_id: int | None,
        link_role: str | None,
        member_id: str | None,
    ) -> Outbound:
        """Rebuild a message from its outbox row."""
        body = json.loads(payload)
        contact = body.get("contact_request")
        return cls(
            chat=chat,
            text=body.get("text"),
            buttons=tuple(
                tuple(Button(label=b["label"], data=b["data"]) for b in row)
                for row in body.get("buttons", [])
            ),
            attachment=_attachment_from_dict(body.get("attachment")),
            contact_request=(contact[0], contact[1]) if contact else None,
            remove_keyboard=bool(body.get("remove_keyboard")),
            case_id=case_id,
            link_role=LinkRole(link_role) if link_role else None,
            member_id=member_id,
            extra=body.get("extra") or {},
            upload=_upload_from_dict(body.get("upload")),
            thread_id=body.get("thread_id"),
        )


def lane_for(message: Outbound, current_chat: ChatRef | None) -> Lane:
    """A message's lane: as set, else interactive in the chat a turn answers, else a notice."""
    if message.lane is not None:
        return message.lane
    return Lane.INTERACTIVE if message.chat == current_chat else Lane.NOTICE


def in_lane(messages: list[Outbound], lane: Lane) -> list[Outbound]:
    """The messages, those without a lane of their own put in `lane` (for sweepers)."""
    return [m if m.lane is not None else replace(m, lane=lane) for m in messages]


def _attachment_to_dict(attachment: Attachment | None) -> dict[str, Any] | None:
    if attachment is None:
        return None
    data = asdict(attachment)
    data["kind"] = attachment.kind.value
    return data


def _attachment_from_dict(data: dict[str, Any] | None) -> Attachment | None:
    if data is None:
        return None
    return Attachment(**{**data, "kind": AttachmentKind(data["kind"])})


def _upload_to_dict(upload: Upload | None) -> dict[str, Any] | None:
    if upload is None:
        return None
    return {
        "filename": upload.filename,
        "mime_type": upload.mime_type,
        "data": base64.b64encode(upload.data).decode("ascii"),
        "as_photo": upload.as_photo,
    }


def _upload_from_dict(data: dict[str, Any] | None) -> Upload | None:
    if data is None:
        return None
    return Upload(
        filename=data["filename"],
        mime_type=data["mime_type"],
        data=base64.b64decode(data["data"]),
        as_photo=bool(data.get("as_photo")),
    )


@dataclass(frozen=True)
class OutboxItem:
    """One pending outbox row: its id, how often sending was tried, the message, its lane."""

    id: int
    attempts: int
    message: Outbound
    lane: Lane = Lane.NOTICE


@dataclass
class NewMail:
    """What a transaction queued in the outbox, told to the dispatcher once it has committed.

    Per chat, the rows queued, in id order, with their lanes. `heads`: rows of chats that had no
    earlier pending row. Ids only grow, so after the commit the first is still its chat's oldest
    pending row and the others follow it: the dispatcher may send them without reading the
    outbox. `behind`: rows queued behind earlier pending ones of their chat; they may go without
    a read only if the dispatcher holds every earlier one (say, the chat's previous reply is in
    flight), else the stored outbox says what goes first.
    """

    heads: dict[ChatRef, list[OutboxItem]] = field(default_factory=dict)
    behind: dict[ChatRef, list[OutboxItem]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.heads or self.behind)
