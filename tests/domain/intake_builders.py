"""Builders for the intake dialog's tests: a commune's settings, drafts at each step, media."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.intake_dialog import Draft, IntakeDialog, IntakeSettings, Step
from bot.domain.model import Attachment, AttachmentKind, ContentPart

FIELDS = (("dat_dai", "Đất đai"), ("moi_truong", "Môi trường"), ("an_ninh", "An ninh trật tự"))
VILLAGES = ("Thôn Đông", "Thôn Tây", "Tổ dân phố 3")
PDF = "application/pdf"
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024

SETTINGS = IntakeSettings(
    fields=FIELDS,
    villages=VILLAGES,
    max_text_chars=500,
    max_parts=4,
    max_document_bytes=MAX_DOCUMENT_BYTES,
    document_types=(PDF, "image/jpeg"),
)
NO_VILLAGES = replace(SETTINGS, villages=())
SENDER = "Trần Thị Bình"

ORDER = tuple(Step)


def dialog(settings: IntakeSettings = SETTINGS) -> IntakeDialog:
    """The dialog under test."""
    return IntakeDialog(settings)


def photo(caption: str | None = None) -> Attachment:
    """A photo as Telegram identifies it."""
    return Attachment(
        AttachmentKind.PHOTO, file_id="AgACAgUAAxkBAAIB", size=84_211, caption=caption
    )


def document(
    *, size: int | None = 120_000, mime: str | None = PDF, name: str = "don.pdf"
) -> Attachment:
    """A document with a name, a media type and a size."""
    return Attachment(
        AttachmentKind.DOCUMENT,
        file_id="BQACAgUAAxkBAAIC",
        file_name=name,
        mime_type=mime,
        size=size,
    )


def voice() -> Attachment:
    """A voice note."""
    return Attachment(
        AttachmentKind.VOICE, file_id="AwACAgUAAxkBAAID", mime_type="audio/ogg", size=9_000
    )


def location() -> Attachment:
    """A shared location."""
    return Attachment(AttachmentKind.LOCATION, latitude=21.0285, longitude=105.8542)


def text_part(text: str = "Đường liên thôn bị sụt lún, xin xã kiểm tra.") -> ContentPart:
    """A written part of a submission."""
    return ContentPart(text=text)


def draft_at(step: Step, *, parts: tuple[ContentPart, ...] | None = None) -> Draft:
    """A draft that reached `step` the way a citizen would, holding what the earlier steps chose."""
    draft = Draft(step=step)
    index = ORDER.index(step)
    if index > ORDER.index(Step.FIELD):
        draft = replace(draft, field_id="dat_dai")
    if index > ORDER.index(Step.VILLAGE):
        draft = replace(draft, village="Thôn Tây")
    if index > ORDER.index(Step.CONTENT):
        draft = replace(draft, parts=(text_part(),))
    if index > ORDER.index(Step.IDENTITY):
        draft = replace(draft, anonymous=False, shared_name=SENDER)
    if parts is not None:
        draft = replace(draft, parts=parts)
    return draft
