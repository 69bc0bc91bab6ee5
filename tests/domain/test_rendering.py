"""Rendering prompts and case notices: escaped user text, Telegram's limits, sealed identity."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.intake_dialog import (
    IntakeDialog,
    IntakeSettings,
    Prompt,
    Step,
    TextInput,
)
from bot.domain.model import Attachment, AttachmentKind, Case, CaseKind, CaseState, ChatRef
from bot.domain.outbound import LinkRole, Outbound
from bot.services.rendering import Renderer, split_text
from bot.texts.catalogue import load_texts

from .intake_builders import FIELDS, VILLAGES, draft_at, photo, text_part

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHAT = ChatRef("telegram", "1001")
MEMBER_CHAT = ChatRef("telegram", "2002")
TELEGRAM_TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
NAME = "Trần Thị Bình"
PHONE = "0912345678"
HOSTILE = "<b>x</b> & <script>alert(1)</script>"
HOSTILE_ESCAPED = "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
SETTINGS_WITH_DEFAULT_LIMITS = IntakeSettings(fields=FIELDS, villages=VILLAGES)
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def renderer(locale: str = "vi", fields: tuple[tuple[str, str], ...] = FIELDS) -> Renderer:
    return Renderer(load_texts(locale), TZ, dict(fields))


def case(**changes: Any) -> Case:
    """An anonymous case just received, changed as the test needs."""
    base = Case(
        id=17,
        code="MT-261127-0042-K7",
        field_id="dat_dai",
        village="Thôn Đông",
        kind=CaseKind.SUGGESTION,
        state=CaseState.RECEIVED,
        anonymous=True,
        shared_name=None,
        shared_phone=None,
        assignee_id=None,
        created_at=datetime(2026, 11, 27, 2, 30, tzinfo=UTC),
        due_at=datetime(2026, 12, 12, 2, 30, tzinfo=UTC),
    )
    return replace(base, **changes)


def notice(
    c: Case, text: str = "Đường hỏng.", attachments: tuple[Attachment, ...] = ()
) -> list[Outbound]:
    return renderer().case_notice(MEMBER_CHAT, "lan", c, text, list(attachments))


def all_text(messages: list[Outbound]) -> str:
    return "\n".join(m.text or "" for m in messages)


def visible(markup: str) -> str:
    """What Telegram shows (and counts) once it has parsed the HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# split_text -----------------------------------------------------------------------------------

split_texts = st.text(
    alphabet=st.one_of(st.sampled_from("<>&\n\r ab"), st.characters()), max_size=2_000
)
limits = st.integers(5, 300)


@settings(max_examples=200, deadline=None)
@given(split_texts, limits)
def test_split_text_pieces_stay_within_the_limit_once_escaped(text: str, limit: int) -> None:
    for piece in split_text(text, limit):
        assert len(html.escape(piece, quote=False)) <= limit


@settings(max_examples=200, deadline=None)
@given(split_texts, limits)
def test_split_text_loses_nothing_but_line_breaks_at_the_cuts(text: str, limit: int) -> None:
    position = 0
    for piece in split_text(text, limit):
        found = text.find(piece, position)
        assert found >= position
        assert set(text[position:found]) <= {"\n"}
        position = found + len(piece)
    assert set(text[position:]) <= {"\n"}


def test_split_text_keeps_a_short_text_whole() -> None:
    assert list(split_text("Dòng một\nDòng hai <b>", 100)) == ["Dòng một\nDòng hai <b>"]


def test_split_text_prefers_line_breaks() -> None:
    assert list(split_text("aaaa\nbbbb\ncccc", 10)) == ["aaaa\nbbbb", "cccc"]


def test_split_text_with_a_limit_below_one_escaped_character_ends() -> None:
    # "&" costs five characters escaped; a smaller limit can never hold it. Raising is fine,
    # looping forever is not, so this runs in a child process that can be killed.
    script = "from bot.services.rendering import split_text; list(split_text('a&b', 4))"
    try:
        subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("split_text('a&b', 4) never returns")


# Case notices ---------------------------------------------------------------------------------


def test_anonymous_case_notice_shows_no_name_or_phone() -> None:
    text = all_text(notice(case()))
    assert NAME not in text
    assert PHONE not in text
    assert "Người gửi: Ẩn danh" in text


def test_anonymous_case_notice_hides_identity_even_if_one_was_stored() -> None:
    text = all_text(notice(case(shared_name=NAME, shared_phone=PHONE)))
    assert NAME not in text
    assert PHONE not in text


def test_named_case_notice_shows_name_and_phone() -> None:
    text = all_text(notice(case(anonymous=False, shared_name=NAME, shared_phone=PHONE)))
    assert f"Người gửi: {NAME}, SĐT {PHONE}" in text


def test_named_case_notice_without_phone_shows_only_the_name() -> None:
    text = all_text(notice(case(anonymous=False, shared_name=NAME)))
    assert f"Người gửi: {NAME}\n" in text
    assert "SĐT" not in text


def test_case_notice_escapes_the_citizens_text_and_name() -> None:
    c = case(anonymous=False, shared_name=f"An {HOSTILE}", village=HOSTILE)
    text = all_text(notice(c, text=f"Nội dung {HOSTILE}"))
    assert "<script>" not in text
    assert "<b>x</b>" not in text
    assert text.count(HOSTILE_ESCAPED) == 3


def test_case_notice_card_carries_the_member_buttons() -> None:
    card = notice(case())[0]
    assert [[b.data for b in row] for row in card.buttons] == [
        ["m:claim:17", "m:answer:17"],
        ["m:history:17", "m:menu:17"],
    ]


def test_case_notice_sends_each_attachment_after_the_card_linked_to_the_case() -> None:
    messages = notice(case(), attachments=(photo(caption=HOSTILE), photo()))
    assert [m.attachment for m in messages] == [None, photo(caption=HOSTILE), photo()]
    assert HOSTILE_ESCAPED in (messages[1].text or "")
    assert all(
        (m.case_id, m.link_role, m.member_id) == (17, LinkRole.MEMBER_NOTICE, "lan")
        for m in messages
    )


def test_long_case_text_is_spread_over_messages_within_telegrams_limit() -> None:
    body = "\n".join(f"Dòng {i}: <&> " + "chữ " * 40 for i in range(150))
    messages = notice(case(anonymous=False, shared_name=NAME), text=body)
    assert len(messages) > 1
    assert all(len(visible(m.text or "")) <= TELEGRAM_TEXT_LIMIT for m in messages)
    shown = visible(all_text(messages))
    assert all(f"Dòng {i}: <&> " in shown for i in range(150))


# Prompts --------------------------------------------------------------------------------------


def test_prompt_escapes_the_citizens_text_in_the_summary() -> None:
    draft = draft_at(Step.CONFIRM, parts=(text_part(HOSTILE),))
    prompt = IntakeDialog(SETTINGS_WITH_DEFAULT_LIMITS).prompt_for(draft)
    text = renderer().prompt(CHAT, prompt).text or ""
    assert HOSTILE_ESCAPED in text
    assert "<script>" not in text


def test_prompt_asking_for_the_phone_offers_share_and_skip_keys() -> None:
    message = renderer().prompt(CHAT, Prompt("ask_phone", contact_request=True))
    assert message.contact_request == ("📱 Chia sẻ số điện thoại", "Bỏ qua")


def test_summary_of_an_accepted_submission_fits_one_telegram_message() -> None:
    # The summary carries the Gửi button: if Telegram refuses it, the citizen cannot send.
    dialog = IntakeDialog(SETTINGS_WITH_DEFAULT_LIMITS)
    longest = "x" * SETTINGS_WITH_DEFAULT_LIMITS.max_text_chars
    outcome = dialog.handle(draft_at(Step.CONTENT, parts=()), TextInput(longest), sender_name=NAME)
    assert outcome.draft is not None
    at_confirm = replace(outcome.draft, step=Step.CONFIRM, anonymous=True, shared_name=None)
    message = renderer().prompt(CHAT, dialog.prompt_for(at_confirm))
    assert len(visible(message.text or "")) <= TELEGRAM_TEXT_LIMIT


def every_prompt(config: IntakeSettings) -> list[Prompt]:
    """The question of each step, with content and without."""
    dialog = IntakeDialog(config)
    drafts = [draft_at(step) for step in Step]
    drafts.append(draft_at(Step.CONTENT, parts=(text_part(),)))
    prompts = [dialog.prompt_for(replace(d, field_id=config.fields[0][0])) for d in drafts]
    # The intake service adds the privacy details to the consent question.
    return [replace(p, params=CONSENT_PARAMS) if p.key == "consent_ask" else p for p in prompts]


CONSENT_PARAMS = {"version": "2026-01", "controller": "UBND xã Tân Lập", "contact": ""}
LONGEST_ID = "x" * 32  # config slugs are [a-z0-9_-]{1,32}
CALLBACK_CASES = {
    "realistic": IntakeSettings(fields=FIELDS, villages=VILLAGES),
    "longest ids": IntakeSettings(
        fields=((LONGEST_ID, "Lĩnh vực có tên rất dài " * 3), ("-_" * 16, "Khác")),
        villages=tuple(f"Tổ dân phố số {i}" for i in range(1, 121)),
    ),
}


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("config_name", sorted(CALLBACK_CASES))
def test_every_dialog_button_fits_telegrams_callback_data(locale: str, config_name: str) -> None:
    config = CALLBACK_CASES[config_name]
    render = renderer(locale, config.fields)
    buttons = [
        button
        for prompt in every_prompt(config)
        for row in render.prompt(CHAT, prompt).buttons
        for button in row
    ]
    assert buttons
    assert all(button.label for button in buttons)
    assert all(len(b.data.encode()) <= CALLBACK_DATA_LIMIT for b in buttons)


def test_member_buttons_fit_telegrams_callback_data_for_any_case_id() -> None:
    rows = renderer().member_buttons(case(id=2**63 - 1))
    assert all(len(b.data.encode()) <= CALLBACK_DATA_LIMIT for row in rows for b in row)


# Language -------------------------------------------------------------------------------------


def test_english_renderer_names_states_in_english() -> None:
    render = renderer("en")
    names = {state: render.state(case(state=state)) for state in CaseState}
    assert {s: n for s, n in names.items() if VIETNAMESE_LETTERS.search(n)} == {}


def test_english_renderer_names_kinds_in_english() -> None:
    render = renderer("en")
    names = {kind: render.kind(case(kind=kind)) for kind in CaseKind}
    assert {k: n for k, n in names.items() if VIETNAMESE_LETTERS.search(n)} == {}


def test_location_attachment_is_sent_without_text() -> None:
    spot = Attachment(AttachmentKind.LOCATION, latitude=21.0, longitude=105.8)
    message = renderer().attachment(MEMBER_CHAT, case(), spot, "member_attachment_caption")
    assert (message.text, message.attachment) == (None, spot)
