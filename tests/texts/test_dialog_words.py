"""The words on the dialog's buttons: DESIGN.md §4 fixes some, and the dialog reads one back."""

from __future__ import annotations

import pytest

from bot.domain.intake_dialog import (
    Draft,
    IntakeDialog,
    IntakeSettings,
    Step,
    TextInput,
)
from bot.texts.catalogue import load_texts


@pytest.mark.parametrize(
    ("key", "label"), [("btn_anonymous", "Ẩn danh"), ("btn_skip", "Bỏ qua"), ("btn_send", "Gửi")]
)
def test_vietnamese_buttons_use_the_documented_words(key: str, label: str) -> None:
    assert load_texts("vi")(key) == label


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_skip_key_of_the_phone_keyboard_skips_the_phone(locale: str) -> None:
    # The contact keyboard sends its skip key back as plain text, in the citizen's language.
    dialog = IntakeDialog(IntakeSettings(fields=(("dat_dai", "Đất đai"),), villages=()))
    draft = Draft(step=Step.PHONE, field_id="dat_dai", anonymous=False, shared_name="An")
    typed = TextInput(load_texts(locale)("btn_skip"))
    outcome = dialog.handle(draft, typed, sender_name="An")
    assert outcome.draft is not None
    assert (outcome.draft.step, outcome.draft.phone) == (Step.CONFIRM, None)
