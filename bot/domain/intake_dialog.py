"""The citizen's guided submission (/gopy) as a pure state machine over channel-neutral events.

The dialog never talks to a messenger or a database: it takes the stored draft and one event and
returns the next draft plus the prompts to show. Handlers translate updates into events; the intake
service stores the draft and renders the prompts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.domain.model import Attachment, AttachmentKind, ContentPart


class Step(StrEnum):
    """Where the citizen is in the submission."""

    CONSENT = "consent"
    FIELD = "field"
    VILLAGE = "village"
    CONTENT = "content"
    IDENTITY = "identity"
    PHONE = "phone"
    CONFIRM = "confirm"


# Button values (sent back as callback data "d:<value>"; all well under 64 bytes).
AGREE, REFUSE, SKIP, NEXT, ANON, NAMED, SEND, BACK, CANCEL = (
    "agree",
    "refuse",
    "skip",
    "next",
    "anon",
    "named",
    "send",
    "back",
    "cancel",
)


@dataclass(frozen=True)
class IntakeSettings:
    """What the dialog needs from config."""

    fields: tuple[tuple[str, str], ...]  # (id, name)
    villages: tuple[str, ...]
    max_text_chars: int = 4000
    max_parts: int = 20
    max_document_bytes: int = 20 * 1024 * 1024
    document_types: tuple[str, ...] = ()

    def field_name(self, field_id: str) -> str | None:
        """The display name of a field, or None if it is not configured."""
        return next((name for fid, name in self.fields if fid == field_id), None)


@dataclass(frozen=True)
class Draft:
    """The submission being written; stored as JSON between events."""

    step: Step
    field_id: str | None = None
    village: str | None = None
    parts: tuple[ContentPart, ...] = ()
    anonymous: bool | None = None
    shared_name: str | None = None
    phone: str | None = None

    def to_json(self) -> str:
        """Serialise for the dialogs table."""
        data = asdict(self)
        data["step"] = self.step.value
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Draft:
        """Rebuild a stored draft."""
        data: dict[str, Any] = json.loads(text)
        parts = tuple(
            ContentPart(
                text=p.get("text"),
                attachment=(
                    Attachment(
                        **{**p["attachment"], "kind": AttachmentKind(p["attachment"]["kind"])}
                    )
                    if p.get("attachment")
                    else None
                ),
            )
            for p in data.get("parts", ())
        )
        return cls(**{**data, "step": Step(data["step"]), "parts": parts})

    @property
    def text_chars(self) -> int:
        """Characters of text written so far."""
        return sum(len(p.text or "") for p in self.parts)


# Events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextInput:
    """The citizen typed text."""

    text: str


@dataclass(frozen=True)
class ButtonInput:
    """The citizen pressed one of the dialog's buttons."""

    value: str


@dataclass(frozen=True)
class MediaInput:
    """The citizen sent a photo, document, voice note or location."""

    attachment: Attachment


@dataclass(frozen=True)
class ContactInput:
    """The citizen shared a contact; `own` is true when it is their own number."""

    phone: str
    own: bool


@dataclass(frozen=True)
class UnsupportedInput:
    """Something the mailbox does not take (sticker, video, poll, …)."""

    what: str


Event = TextInput | ButtonInput | MediaInput | ContactInput | UnsupportedInput


# Output ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A button: its label is a catalogue key, or literal text (field and village names)."""

    value: str
    key: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Prompt:
    """One message to show: a catalogue key, its parameters and the buttons under it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    choices: tuple[tuple[Choice, ...], ...] = ()
    contact_request: bool = False
    remove_keyboard: bool = False


@dataclass(frozen=True)
class Outcome:
    """The dialog's answer to one event. `draft` is None when the dialog has ended."""

    draft: Draft | None
    prompts: tuple[Prompt, ...]
    submit: bool = False
    consented: bool = False


_CANCEL_ROW = (Choice(CANCEL, key="btn_cancel"),)
_BACK_CANCEL_ROW = (Choice(BACK, key="btn_back"), Choice(CANCEL, key="btn_cancel"))


class IntakeDialog:
    """Decides the next step of a submission from the current draft and one event."""

    def __init__(self, settings: IntakeSettings) -> None:
        self._s = settings

    def begin(self, *, consented: bool) -> Outcome:
        """Start a new submission: ask for consent first if the citizen has not given it."""
        step = Step.FIELD if consented else Step.CONSENT
        draft = Draft(step=step)
        return Outcome(draft, (self.prompt_for(draft),))

    def resume(self, draft: Draft) -> Outcome:
        """Remind the citizen where they are (after /gopy mid-submission)."""
        return Outcome(draft, (Prompt("dialog_resume"), self.prompt_for(draft)))

    def handle(self, draft: Draft, event: Event, *, sender_name: str) -> Outcome:
        """Apply one event to the draft."""
        if isinstance(event, ButtonInput):
            if event.value == CANCEL:
                return Outcome(None, (Prompt("dialog_cancelled", remove_keyboard=True),))
            if event.value == BACK and draft.step not in (Step.CONSENT, Step.FIELD):
                return self._go(replace(draft, step=self._previous(draft)))
        if isinstance(event, UnsupportedInput):
            return self._again(draft, Prompt("unsupported_input", {"what": event.what}))
        handler = {
            Step.CONSENT: self._on_consent,
            Step.FIELD: self._on_field,
            Step.VILLAGE: self._on_village,
            Step.CONTENT: self._on_content,
            Step.IDENTITY: self._on_identity,
            Step.PHONE: self._on_phone,
            Step.CONFIRM: self._on_confirm,
        }[draft.step]
        return handler(draft, event, sender_name)

    # Steps ------------------------------------------------------------------------------------

    def _on_consent(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if event == ButtonInput(AGREE):
            nxt = replace(draft, step=Step.FIELD)
            return Outcome(nxt, (Prompt("consent_recorded"), self.prompt_for(nxt)), consented=True)
        if event == ButtonInput(REFUSE):
            return Outcome(None, (Prompt("consent_refused"),))
        return self._again(draft, Prompt("use_buttons"))

    def _on_field(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if isinstance(event, ButtonInput) and event.value.startswith("f:"):
            field_id = event.value[2:]
            if self._s.field_name(field_id) is not None:
                step = Step.VILLAGE if self._s.villages else Step.CONTENT
                return self._go(replace(draft, field_id=field_id, step=step))
        if isinstance(event, TextInput):
            typed = event.text.strip().casefold()
            for fid, name in self._s.fields:
                if name.casefold() == typed:
                    step = Step.VILLAGE if self._s.villages else Step.CONTENT
                    return self._go(replace(draft, field_id=fid, step=step))
        return self._again(draft, Prompt("use_buttons"))

    def _on_village(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if event == ButtonInput(SKIP):
            return self._go(replace(draft, village=None, step=Step.CONTENT))
        if isinstance(event, ButtonInput) and event.value.startswith("v:"):
            index = event.value[2:]
            if index.isascii() and index.isdigit() and int(index) < len(self._s.villages):
                village = self._s.villages[int(index)]
                return self._go(replace(draft, village=village, step=Step.CONTENT))
        if isinstance(event, TextInput):
            typed = event.text.strip().casefold()
            for village in self._s.villages:
                if village.casefold() == typed:
                    return self._go(replace(draft, village=village, step=Step.CONTENT))
        return self._again(draft, Prompt("use_buttons"))

    def _on_content(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if event == ButtonInput(NEXT):
            if not draft.parts:
                return self._again(draft, Prompt("content_empty"))
            return self._go(replace(draft, step=Step.IDENTITY))
        if isinstance(event, ButtonInput):
            return self._again(draft, Prompt("button_stale"))
        if isinstance(event, ContactInput):
            return self._again(draft, Prompt("unsupported_input", {"what": "contact"}))
        if len(draft.parts) >= self._s.max_parts:
            return self._again(draft, Prompt("content_too_many", {"max": self._s.max_parts}))
        if isinstance(event, TextInput):
            text = event.text.strip()
            if not text:
                return self._again(draft, Prompt("content_blank"))
            if len(text) > self._s.max_text_chars:
                params = {"max": self._s.max_text_chars, "got": len(text)}
                return self._again(draft, Prompt("content_too_long", params))
            part = ContentPart(text=text)
        elif isinstance(event, MediaInput):
            refusal = self._refuse_attachment(event.attachment)
            if refusal is not None:
                return self._again(draft, refusal)
            part = ContentPart(attachment=event.attachment)
        else:
            return self._again(draft, Prompt("unsupported_input", {"what": "other"}))
        nxt = replace(draft, parts=(*draft.parts, part))
        return Outcome(nxt, (self._content_added(nxt),))

    def _on_identity(self, draft: Draft, event: Event, name: str) -> Outcome:
        if event == ButtonInput(ANON):
            return self._go(
                replace(draft, anonymous=True, shared_name=None, phone=None, step=Step.CONFIRM)
            )
        if event == ButtonInput(NAMED):
            return self._go(replace(draft, anonymous=False, shared_name=name, step=Step.PHONE))
        return self._again(draft, Prompt("use_buttons"))

    def _on_phone(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if isinstance(event, ContactInput):
            if not event.own:
                return self._again(draft, Prompt("phone_not_own"))
            nxt = replace(draft, phone=_clean_phone(event.phone), step=Step.CONFIRM)
            return Outcome(nxt, (Prompt("phone_saved", remove_keyboard=True), self.prompt_for(nxt)))
        skipped = event == ButtonInput(SKIP) or (
            isinstance(event, TextInput) and event.text.strip().casefold() in _SKIP_WORDS
        )
        if skipped:
            nxt = replace(draft, phone=None, step=Step.CONFIRM)
            return Outcome(
                nxt, (Prompt("phone_skipped", remove_keyboard=True), self.prompt_for(nxt))
            )
        return self._again(draft, Prompt("phone_expected"))

    def _on_confirm(self, draft: Draft, event: Event, _name: str) -> Outcome:
        if event == ButtonInput(SEND):
            return Outcome(None, (), submit=True)
        return self._again(draft, Prompt("use_buttons"))

    # Helpers ----------------------------------------------------------------------------------

    def _go(self, draft: Draft) -> Outcome:
        return Outcome(draft, (self.prompt_for(draft),))

    def _again(self, draft: Draft, why: Prompt) -> Outcome:
        """Explain what went wrong and show the current step again; the draft is unchanged."""
        return Outcome(draft, (why, self.prompt_for(draft)))

    def _previous(self, draft: Draft) -> Step:
        if draft.step is Step.VILLAGE:
            return Step.FIELD
        if draft.step is Step.CONTENT:
            return Step.VILLAGE if self._s.villages else Step.FIELD
        if draft.step is Step.IDENTITY:
            return Step.CONTENT
        return Step.IDENTITY  # PHONE and CONFIRM

    def _refuse_attachment(self, attachment: Attachment) -> Prompt | None:
        if attachment.kind is not AttachmentKind.DOCUMENT:
            return None
        if attachment.size is not None and attachment.size > self._s.max_document_bytes:
            mb = self._s.max_document_bytes // (1024 * 1024)
            return Prompt("document_too_big", {"max_mb": mb})
        if self._s.document_types and attachment.mime_type not in self._s.document_types:
            return Prompt("document_type", {"name": attachment.file_name or ""})
        return None

    def _content_added(self, draft: Draft) -> Prompt:
        return Prompt(
            "content_added",
            {"count": len(draft.parts)},
            ((Choice(NEXT, key="btn_next"),), _BACK_CANCEL_ROW),
        )

    def prompt_for(self, draft: Draft) -> Prompt:
        """The question of the draft's current step."""
        step = draft.step
        if step is Step.CONSENT:
            return Prompt(
                "consent_ask",
                choices=((Choice(AGREE, key="btn_agree"), Choice(REFUSE, key="btn_refuse")),),
            )
        if step is Step.FIELD:
            fields = tuple((Choice(f"f:{fid}", text=name),) for fid, name in self._s.fields)
            return Prompt("ask_field", choices=(*fields, _CANCEL_ROW))
        if step is Step.VILLAGE:
            names = [Choice(f"v:{i}", text=v) for i, v in enumerate(self._s.villages)]
            rows = tuple(tuple(names[i : i + 2]) for i in range(0, len(names), 2))
            skip = (Choice(SKIP, key="btn_skip"),)
            return Prompt("ask_village", choices=(*rows, skip, _BACK_CANCEL_ROW))
        if step is Step.CONTENT:
            if draft.parts:
                return self._content_added(draft)
            return Prompt("ask_content", choices=(_BACK_CANCEL_ROW,))
        if step is Step.IDENTITY:
            return Prompt(
                "ask_identity",
                choices=(
                    (Choice(ANON, key="btn_anonymous"),),
                    (Choice(NAMED, key="btn_named"),),
                    _BACK_CANCEL_ROW,
                ),
            )
        if step is Step.PHONE:
            return Prompt("ask_phone", contact_request=True)
        return Prompt(
            "summary",
            self._summary_params(draft),
            ((Choice(SEND, key="btn_send"),), _BACK_CANCEL_ROW),
        )

    def _summary_params(self, draft: Draft) -> dict[str, Any]:
        text = "\n".join(p.text for p in draft.parts if p.text)
        if len(text) > SUMMARY_PREVIEW_CHARS:
            # The summary must fit one message with its buttons; the full text is kept.
            text = (
                text[:SUMMARY_PREVIEW_CHARS].rstrip() + f" … (+{len(text) - SUMMARY_PREVIEW_CHARS})"
            )
        attachments = sum(1 for p in draft.parts if p.attachment)
        return {
            "field": self._s.field_name(draft.field_id or "") or "",
            "village": draft.village,
            "text": text,
            "attachments": attachments,
            "anonymous": bool(draft.anonymous),
            "name": draft.shared_name,
            "phone": draft.phone,
        }


SUMMARY_PREVIEW_CHARS = 1500
_SKIP_WORDS = frozenset({"bỏ qua", "bo qua", "skip"})


def _clean_phone(phone: str) -> str:
    """Keep the digits and a leading plus of a shared phone number."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") else digits
