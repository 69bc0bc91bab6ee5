"""The citizen's guided submission, step by step: what each event does to the draft."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.intake_dialog import (
    AGREE,
    ANON,
    BACK,
    CANCEL,
    NAMED,
    NEXT,
    REFUSE,
    SEND,
    SKIP,
    ButtonInput,
    ContactInput,
    Draft,
    Event,
    MediaInput,
    Outcome,
    Prompt,
    Step,
    TextInput,
    UnsupportedInput,
)
from bot.domain.model import Attachment, ContentPart

from .intake_builders import (
    MAX_DOCUMENT_BYTES,
    NO_VILLAGES,
    SENDER,
    SETTINGS,
    dialog,
    document,
    draft_at,
    location,
    photo,
    text_part,
    voice,
)


def send(draft: Draft, *events: Event) -> Outcome:
    """Feed events one after another; the outcome of the last one."""
    outcome = Outcome(draft, ())
    for event in events:
        assert outcome.draft is not None
        outcome = dialog().handle(outcome.draft, event, sender_name=SENDER)
    return outcome


def keys(outcome: Outcome) -> list[str]:
    return [prompt.key for prompt in outcome.prompts]


def button_values(prompt: Prompt) -> set[str]:
    return {choice.value for row in prompt.choices for choice in row}


def assert_step_shown_again(before: Draft, outcome: Outcome, why: str) -> None:
    """The draft is unchanged, the reason comes first and the step's question follows."""
    assert outcome.draft == before
    assert not outcome.submit
    assert keys(outcome)[0] == why
    assert outcome.prompts[-1] == dialog().prompt_for(before)


# Happy paths ----------------------------------------------------------------------------------


def test_anonymous_submission_goes_from_consent_to_submit() -> None:
    start = dialog().begin(consented=False)
    assert start.draft is not None
    assert keys(start) == ["consent_ask"]

    agreed = send(start.draft, ButtonInput(AGREE))
    assert agreed.consented
    assert keys(agreed) == ["consent_recorded", "ask_field"]

    at_confirm = send(
        start.draft,
        ButtonInput(AGREE),
        ButtonInput("f:moi_truong"),
        ButtonInput("v:1"),
        TextInput("Bãi rác gần trường học bốc mùi."),
        MediaInput(photo()),
        ButtonInput(NEXT),
        ButtonInput(ANON),
    )
    assert at_confirm.draft == Draft(
        step=Step.CONFIRM,
        field_id="moi_truong",
        village="Thôn Tây",
        parts=(
            ContentPart(text="Bãi rác gần trường học bốc mùi."),
            ContentPart(attachment=photo()),
        ),
        anonymous=True,
    )
    summary = at_confirm.prompts[-1]
    assert summary.key == "summary"
    assert summary.params["anonymous"] is True
    assert summary.params["name"] is None
    assert summary.params["phone"] is None

    sent = send(at_confirm.draft, ButtonInput(SEND))
    assert sent == Outcome(None, (), submit=True)


def test_named_submission_keeps_the_senders_name_and_own_phone() -> None:
    started = dialog().begin(consented=True)
    assert started.draft is not None
    at_phone = send(
        started.draft,
        ButtonInput("f:dat_dai"),
        ButtonInput(SKIP),
        TextInput("Xin hỏi thủ tục cấp sổ đỏ."),
        ButtonInput(NEXT),
        ButtonInput(NAMED),
    )
    assert at_phone.draft is not None
    assert at_phone.draft.step is Step.PHONE
    assert at_phone.prompts == (Prompt("ask_phone", contact_request=True),)

    at_confirm = send(at_phone.draft, ContactInput("+84 912 345-678", own=True))
    assert at_confirm.draft == Draft(
        step=Step.CONFIRM,
        field_id="dat_dai",
        parts=(ContentPart(text="Xin hỏi thủ tục cấp sổ đỏ."),),
        anonymous=False,
        shared_name=SENDER,
        phone="+84912345678",
    )
    assert at_confirm.prompts[0] == Prompt("phone_saved", remove_keyboard=True)
    summary = at_confirm.prompts[1]
    assert (summary.params["name"], summary.params["phone"]) == (SENDER, "+84912345678")
    assert send(at_confirm.draft, ButtonInput(SEND)).submit


def test_begin_skips_consent_when_it_was_already_given() -> None:
    outcome = dialog().begin(consented=True)
    assert outcome.draft == Draft(step=Step.FIELD)
    assert keys(outcome) == ["ask_field"]


def test_resume_reminds_the_citizen_and_repeats_the_current_step() -> None:
    draft = draft_at(Step.IDENTITY)
    outcome = dialog().resume(draft)
    assert outcome.draft == draft
    assert keys(outcome) == ["dialog_resume", "ask_identity"]


def test_field_step_offers_every_configured_field_and_cancel() -> None:
    prompt = dialog().prompt_for(draft_at(Step.FIELD))
    assert button_values(prompt) == {"f:dat_dai", "f:moi_truong", "f:an_ninh", CANCEL}


def test_skipping_the_village_leaves_it_empty() -> None:
    outcome = send(draft_at(Step.VILLAGE), ButtonInput(SKIP))
    assert outcome.draft == Draft(step=Step.CONTENT, field_id="dat_dai", village=None)


def test_typed_village_name_is_accepted_whatever_its_case() -> None:
    outcome = send(draft_at(Step.VILLAGE), TextInput("  tổ dân phố 3 "))
    assert outcome.draft is not None
    assert outcome.draft.village == "Tổ dân phố 3"
    assert outcome.draft.step is Step.CONTENT


def test_without_villages_the_field_leads_straight_to_content() -> None:
    outcome = dialog(NO_VILLAGES).handle(
        draft_at(Step.FIELD), ButtonInput("f:an_ninh"), sender_name=SENDER
    )
    assert outcome.draft == Draft(step=Step.CONTENT, field_id="an_ninh")


def test_without_villages_back_from_content_returns_to_the_field() -> None:
    draft = Draft(step=Step.CONTENT, field_id="an_ninh")
    outcome = dialog(NO_VILLAGES).handle(draft, ButtonInput(BACK), sender_name=SENDER)
    assert outcome.draft == Draft(step=Step.FIELD, field_id="an_ninh")


# Field ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Đất đai", "đất đai", "  ĐẤT ĐAI\n"])
def test_typed_field_name_is_accepted(typed: str) -> None:
    outcome = send(draft_at(Step.FIELD), TextInput(typed))
    assert outcome.draft == Draft(step=Step.VILLAGE, field_id="dat_dai")


def test_typed_text_that_is_no_field_asks_for_the_buttons() -> None:
    draft = draft_at(Step.FIELD)
    assert_step_shown_again(draft, send(draft, TextInput("đất")), "use_buttons")


# Back and cancel ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "previous"),
    [
        (Step.VILLAGE, Step.FIELD),
        (Step.CONTENT, Step.VILLAGE),
        (Step.IDENTITY, Step.CONTENT),
        (Step.PHONE, Step.IDENTITY),
        (Step.CONFIRM, Step.IDENTITY),
    ],
)
def test_back_returns_to_the_previous_step_keeping_what_was_chosen(
    step: Step, previous: Step
) -> None:
    draft = draft_at(step)
    outcome = send(draft, ButtonInput(BACK))
    assert outcome.draft is not None
    assert outcome.draft.step is previous
    assert outcome.draft == replace(draft, step=previous)
    assert outcome.prompts == (dialog().prompt_for(outcome.draft),)


@pytest.mark.parametrize("step", [Step.CONSENT, Step.FIELD])
def test_back_on_the_first_step_stays_there(step: Step) -> None:
    draft = draft_at(step)
    assert_step_shown_again(draft, send(draft, ButtonInput(BACK)), "use_buttons")


def test_choosing_anonymous_after_going_back_forgets_name_and_phone() -> None:
    named = replace(draft_at(Step.CONFIRM), phone="0912345678")
    outcome = send(named, ButtonInput(BACK), ButtonInput(ANON))
    assert outcome.draft is not None
    assert outcome.draft.anonymous is True
    assert (outcome.draft.shared_name, outcome.draft.phone) == (None, None)


@pytest.mark.parametrize("step", list(Step))
def test_cancel_ends_the_dialog_from_every_step(step: Step) -> None:
    outcome = send(draft_at(step), ButtonInput(CANCEL))
    assert outcome == Outcome(None, (Prompt("dialog_cancelled", remove_keyboard=True),))


# Consent --------------------------------------------------------------------------------------


def test_refusing_consent_ends_the_dialog_without_recording_consent() -> None:
    outcome = send(draft_at(Step.CONSENT), ButtonInput(REFUSE))
    assert outcome == Outcome(None, (Prompt("consent_refused"),), consented=False)


def test_typing_instead_of_answering_consent_asks_for_the_buttons() -> None:
    draft = draft_at(Step.CONSENT)
    outcome = send(draft, TextInput("đồng ý"))
    assert_step_shown_again(draft, outcome, "use_buttons")
    assert not outcome.consented


# Stale and forged buttons ---------------------------------------------------------------------

FORGED = [
    "f:nope",
    "f:",
    "f:DAT_DAI",
    "v:99",
    "v:3",
    "v:-1",
    "v:abc",
    "v:",
    "v:1.0",
    "v:²",  # str.isdigit() is true for superscripts, int() refuses them
    "d:send",
    "SEND",
    "m:claim:1",
    "🙂",
    pytest.param("x" * 300, id="300-chars"),
]


@pytest.mark.parametrize("value", FORGED)
@pytest.mark.parametrize("step", list(Step))
def test_stale_or_forged_button_leaves_the_draft_and_shows_the_step_again(
    step: Step, value: str
) -> None:
    draft = draft_at(step)
    outcome = send(draft, ButtonInput(value))
    assert outcome.draft == draft
    assert not outcome.submit
    assert not outcome.consented
    assert keys(outcome)[0] in {"use_buttons", "button_stale", "phone_expected"}
    assert outcome.prompts[-1] == dialog().prompt_for(draft)


@pytest.mark.parametrize("value", [AGREE, REFUSE, SKIP, ANON, NAMED, SEND])
def test_a_valid_button_of_another_step_is_stale_during_content(value: str) -> None:
    draft = draft_at(Step.CONTENT)
    assert_step_shown_again(draft, send(draft, ButtonInput(value)), "button_stale")


# Content --------------------------------------------------------------------------------------


def test_content_parts_are_counted_as_they_arrive() -> None:
    outcome = send(draft_at(Step.CONTENT), TextInput("Một"), TextInput("Hai"))
    assert outcome.draft is not None
    assert outcome.draft.parts == (ContentPart(text="Một"), ContentPart(text="Hai"))
    assert outcome.prompts[0].key == "content_added"
    assert outcome.prompts[0].params == {"count": 2}
    assert button_values(outcome.prompts[0]) == {NEXT, BACK, CANCEL}


def test_text_is_stored_without_surrounding_whitespace() -> None:
    outcome = send(draft_at(Step.CONTENT), TextInput("\n  Cống bị tắc.  \t"))
    assert outcome.draft is not None
    assert outcome.draft.parts == (ContentPart(text="Cống bị tắc."),)


def test_text_of_exactly_the_limit_is_accepted() -> None:
    outcome = send(draft_at(Step.CONTENT), TextInput("a" * SETTINGS.max_text_chars))
    assert outcome.draft is not None
    assert len(outcome.draft.parts) == 1


def test_too_long_text_is_refused_with_the_limit() -> None:
    draft = draft_at(Step.CONTENT)
    outcome = send(draft, TextInput("a" * (SETTINGS.max_text_chars + 1)))
    assert_step_shown_again(draft, outcome, "content_too_long")
    assert outcome.prompts[0].params == {"max": SETTINGS.max_text_chars, "got": 501}


@pytest.mark.parametrize("blank", ["", " ", "\n\t \u3000"])
def test_blank_text_is_refused(blank: str) -> None:
    draft = draft_at(Step.CONTENT)
    assert_step_shown_again(draft, send(draft, TextInput(blank)), "content_blank")


def test_next_without_content_asks_for_content_first() -> None:
    draft = draft_at(Step.CONTENT)
    assert_step_shown_again(draft, send(draft, ButtonInput(NEXT)), "content_empty")


def test_next_with_content_moves_to_identity() -> None:
    outcome = send(draft_at(Step.CONTENT, parts=(text_part(),)), ButtonInput(NEXT))
    assert outcome.draft is not None
    assert outcome.draft.step is Step.IDENTITY


@pytest.mark.parametrize("event", [TextInput("thêm"), MediaInput(photo())])
def test_no_part_is_taken_beyond_the_maximum(event: Event) -> None:
    full = draft_at(Step.CONTENT, parts=(text_part(),) * SETTINGS.max_parts)
    outcome = send(full, event)
    assert_step_shown_again(full, outcome, "content_too_many")
    assert outcome.prompts[0].params == {"max": SETTINGS.max_parts}


def test_next_still_works_when_the_parts_are_full() -> None:
    full = draft_at(Step.CONTENT, parts=(text_part(),) * SETTINGS.max_parts)
    outcome = send(full, ButtonInput(NEXT))
    assert outcome.draft is not None
    assert outcome.draft.step is Step.IDENTITY


@pytest.mark.parametrize("attachment", [photo("Ảnh hiện trường"), voice(), location(), document()])
def test_photo_voice_location_and_allowed_document_are_accepted(attachment: Attachment) -> None:
    outcome = send(draft_at(Step.CONTENT), MediaInput(attachment))
    assert outcome.draft is not None
    assert outcome.draft.parts == (ContentPart(attachment=attachment),)


def test_document_over_the_size_limit_is_refused() -> None:
    draft = draft_at(Step.CONTENT)
    outcome = send(draft, MediaInput(document(size=MAX_DOCUMENT_BYTES + 1)))
    assert_step_shown_again(draft, outcome, "document_too_big")
    assert outcome.prompts[0].params == {"max_mb": 2}


def test_document_of_a_type_not_taken_is_refused_by_name() -> None:
    draft = draft_at(Step.CONTENT)
    outcome = send(draft, MediaInput(document(mime="application/x-msdownload", name="a.exe")))
    assert_step_shown_again(draft, outcome, "document_type")
    assert outcome.prompts[0].params == {"name": "a.exe"}


def test_contact_during_content_is_not_taken() -> None:
    draft = draft_at(Step.CONTENT)
    outcome = send(draft, ContactInput("0912345678", own=True))
    assert_step_shown_again(draft, outcome, "unsupported_input")
    assert outcome.prompts[0].params == {"what": "contact"}


# Identity and phone ---------------------------------------------------------------------------


def test_named_uses_the_senders_name_and_asks_for_a_phone() -> None:
    outcome = send(draft_at(Step.IDENTITY), ButtonInput(NAMED))
    assert outcome.draft is not None
    assert (outcome.draft.step, outcome.draft.anonymous) == (Step.PHONE, False)
    assert outcome.draft.shared_name == SENDER


def test_contact_of_someone_else_is_refused() -> None:
    draft = draft_at(Step.PHONE)
    outcome = send(draft, ContactInput("0987654321", own=False))
    assert_step_shown_again(draft, outcome, "phone_not_own")
    assert outcome.prompts[-1].contact_request


@pytest.mark.parametrize(
    "event",
    [ButtonInput(SKIP), TextInput("Bỏ qua"), TextInput("  bỏ qua "), TextInput("BO QUA")],
)
def test_skip_leaves_no_phone_and_goes_to_confirmation(event: Event) -> None:
    outcome = send(draft_at(Step.PHONE), event)
    assert outcome.draft is not None
    assert (outcome.draft.step, outcome.draft.phone) == (Step.CONFIRM, None)
    assert outcome.prompts[0] == Prompt("phone_skipped", remove_keyboard=True)
    assert outcome.prompts[1].key == "summary"


def test_typed_phone_number_is_not_taken_as_a_contact() -> None:
    draft = draft_at(Step.PHONE)
    assert_step_shown_again(draft, send(draft, TextInput("0912345678")), "phone_expected")


# Confirmation ---------------------------------------------------------------------------------


def test_summary_lists_text_and_counts_attachments() -> None:
    draft = draft_at(
        Step.CONFIRM, parts=(text_part("Một"), ContentPart(attachment=photo()), text_part("Hai"))
    )
    params = dialog().prompt_for(draft).params
    assert params["field"] == "Đất đai"
    assert params["village"] == "Thôn Tây"
    assert params["text"] == "Một\nHai"
    assert params["attachments"] == 1


def test_text_at_confirmation_asks_for_the_buttons() -> None:
    draft = draft_at(Step.CONFIRM)
    assert_step_shown_again(draft, send(draft, TextInput("Gửi")), "use_buttons")


# Anything else --------------------------------------------------------------------------------


@pytest.mark.parametrize("step", list(Step))
def test_unsupported_input_keeps_the_draft(step: Step) -> None:
    draft = draft_at(step)
    outcome = send(draft, UnsupportedInput("sticker"))
    assert_step_shown_again(draft, outcome, "unsupported_input")
    assert outcome.prompts[0].params == {"what": "sticker"}


# Storage --------------------------------------------------------------------------------------


def test_draft_with_every_kind_of_part_round_trips_through_json() -> None:
    draft = Draft(
        step=Step.CONFIRM,
        field_id="dat_dai",
        village="Tổ dân phố 3",
        parts=(
            text_part('<b>x</b> "trích" & \\n 🙂'),
            ContentPart(attachment=photo(caption="Ảnh <i>chụp</i> sáng nay")),
            ContentPart(attachment=document()),
            ContentPart(attachment=voice()),
            ContentPart(attachment=location()),
        ),
        anonymous=False,
        shared_name=SENDER,
        phone="+84912345678",
    )
    assert Draft.from_json(draft.to_json()) == draft


@pytest.mark.parametrize("step", list(Step))
def test_draft_at_every_step_round_trips_through_json(step: Step) -> None:
    draft = draft_at(step)
    assert Draft.from_json(draft.to_json()) == draft
