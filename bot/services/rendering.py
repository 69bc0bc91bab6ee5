"""Turns dialog prompts and case views into outbound messages, in the user's language."""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.intake_dialog import Choice, Prompt
from bot.domain.model import Attachment, AttachmentKind, Case, ChatRef
from bot.domain.outbound import Button, LinkRole, Outbound
from bot.texts.catalogue import Markup, Texts, local_date, local_datetime

# Telegram allows 4096 characters; keep room for our own header and markup.
CHUNK_LIMIT = 3500
DIALOG_PREFIX = "d:"


class Renderer:
    """Knows the catalogue, the timezone and the display names of fields."""

    def __init__(self, texts: Texts, tz: ZoneInfo, field_names: dict[str, str]) -> None:
        self.t = texts
        self.tz = tz
        self._field_names = field_names

    def field_name(self, field_id: str) -> str:
        """A field's display name (its id if it was removed from config)."""
        return self._field_names.get(field_id, field_id)

    def date(self, instant: datetime) -> str:
        """A local date: 27/11/2026."""
        return local_date(instant, self.tz)

    def datetime(self, instant: datetime) -> str:
        """A local date and time."""
        return local_datetime(instant, self.tz)

    def state(self, case: Case) -> str:
        """The case's state in words."""
        return self.t(f"state_{case.state.value}")

    def kind(self, case: Case) -> str:
        """The case's kind in words."""
        return self.t(f"kind_{case.kind.value}")

    def prompt(self, chat: ChatRef, prompt: Prompt) -> Outbound:
        """A dialog prompt as a message with its buttons."""
        contact = None
        if prompt.contact_request:
            contact = (self.t("btn_share_phone"), self.t("btn_skip"))
        return Outbound(
            chat=chat,
            text=self.t(prompt.key, **prompt.params),
            buttons=tuple(tuple(self._button(c) for c in row) for row in prompt.choices),
            contact_request=contact,
            remove_keyboard=prompt.remove_keyboard,
        )

    def _button(self, choice: Choice) -> Button:
        label = choice.text if choice.text is not None else self.t(choice.key or "")
        return Button(label=label, data=f"{DIALOG_PREFIX}{choice.value}")

    def say(self, chat: ChatRef, key: str, **params: object) -> Outbound:
        """A plain message from the catalogue."""
        return Outbound(chat=chat, text=self.t(key, **params))

    def member_buttons(self, case: Case) -> tuple[tuple[Button, ...], ...]:
        """The actions under a case notice."""
        return (
            (
                Button(self.t("btn_claim"), f"m:claim:{case.id}"),
                Button(self.t("btn_answer"), f"m:answer:{case.id}"),
            ),
            (
                Button(self.t("btn_history"), f"m:history:{case.id}"),
                Button(self.t("btn_more"), f"m:menu:{case.id}"),
            ),
        )

    def case_notice(
        self,
        chat: ChatRef,
        member_id: str | None,
        case: Case,
        text: str,
        attachments: Sequence[Attachment],
        *,
        title_key: str = "title_new_case",
    ) -> list[Outbound]:
        """A case for a member: the card with buttons, overflow text, then each attachment.

        Only what the citizen agreed to share is shown; anonymous cases show no identity at all.
        """
        chunks = list(split_text(text, CHUNK_LIMIT)) or [""]
        first, rest = chunks[0], chunks[1:]
        card = self.t(
            "member_case_new",
            title=Markup(self.t(title_key)),
            code=case.code,
            field=self.field_name(case.field_id),
            village=case.village,
            kind=self.kind(case),
            created=self.datetime(case.created_at),
            due=self.date(case.due_at),
            sender=Markup(self.sender_line(case)),
            attachments=len(attachments),
            text=first,
        )
        out = [Outbound(chat=chat, text=card, buttons=self.member_buttons(case))]
        out += [
            Outbound(chat=chat, text=self.t("member_content_more", code=case.code, text=c))
            for c in rest
        ]
        out += [self.attachment(chat, case, a, "member_attachment_caption") for a in attachments]
        return [
            replace(o, case_id=case.id, link_role=LinkRole.MEMBER_NOTICE, member_id=member_id)
            for o in out
        ]

    def topic_name(self, case: Case) -> str:
        """The name of a case's forum topic: its code and field (Telegram allows 128 characters)."""
        return f"{case.code} · {self.field_name(case.field_id)}"[:128]

    def attachment(
        self, chat: ChatRef, case: Case, attachment: Attachment, caption_key: str
    ) -> Outbound:
        """Re-send an attachment by its file id (copy, never forward: no sender header)."""
        if attachment.kind is AttachmentKind.LOCATION:
            return Outbound(chat=chat, attachment=attachment)
        caption = self.t(caption_key, code=case.code)
        if attachment.caption:
            caption += "\n" + html.escape(attachment.caption[:800], quote=False)
        return Outbound(chat=chat, text=caption, attachment=attachment)

    def sender_line(self, case: Case) -> str:
        """Who sent the case, as far as the citizen agreed to share."""
        if case.anonymous or not case.shared_name:
            return self.t("sender_anonymous")
        if case.shared_phone:
            return self.t("sender_named_phone", name=case.shared_name, phone=case.shared_phone)
        return self.t("sender_named", name=case.shared_name)

    def long_text(self, chat: ChatRef, key: str, text: str, **params: object) -> list[Outbound]:
        """A catalogue message around user text, split across messages when it is long."""
        return [
            Outbound(chat=chat, text=self.t(key, text=chunk, body=chunk, **params))
            for chunk in list(split_text(text, CHUNK_LIMIT)) or [""]
        ]


def split_text(text: str, limit: int) -> Iterator[str]:
    """Cut text into pieces whose HTML-escaped length stays within `limit`, at line breaks if possible."""
    piece: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        for part in _hard_split(line, limit):
            cost = len(html.escape(part, quote=False))
            if piece and size + cost > limit:
                yield "".join(piece).rstrip("\n")
                piece, size = [], 0
            piece.append(part)
            size += cost
    if piece:
        yield "".join(piece).rstrip("\n")


def _hard_split(line: str, limit: int) -> Iterator[str]:
    start = 0
    while start < len(line):
        end = start
        size = 0
        while end < len(line):
            cost = len(html.escape(line[end], quote=False))
            if size + cost > limit and end > start:
                break
            size += cost
            end += 1
        yield line[start:end]
        start = end


def markup(text: str) -> Markup:
    """Mark catalogue output as safe to nest inside another entry."""
    return Markup(text)


def chunks(lines: list[str], limit: int = CHUNK_LIMIT) -> Iterator[str]:
    """Whole lines joined into messages of at most `limit` characters."""
    piece: list[str] = []
    size = 0
    for line in lines:
        if piece and size + len(line) + 1 > limit:
            yield "\n".join(piece)
            piece, size = [], 0
        piece.append(line)
        size += len(line) + 1
    if piece:
        yield "\n".join(piece)
