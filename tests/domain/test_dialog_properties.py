"""Properties of the intake dialog under random and hostile input, from any step it can be in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    IntakeDialog,
    IntakeSettings,
    MediaInput,
    Outcome,
    Step,
    TextInput,
    UnsupportedInput,
)
from bot.domain.model import Attachment, AttachmentKind, ChatRef, ContentPart
from bot.services.rendering import Renderer
from bot.texts.catalogue import load_texts

from .intake_builders import FIELDS, NO_VILLAGES, ORDER, PDF, SETTINGS, VILLAGES

MODEST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_TEXTS = [
    "",
    " ",
    "\n\t\r",
    "<b>x</b>",
    "<script>alert(1)</script>",
    "&amp; &lt; &#x3c;",
    "*bold* _italic_ `code` [link](http://example.com) ~~x~~ ||spoiler||",
    "{code} {0} %s {{",
    "\x00\x07\x1b[31m\u202e\ufeff\u200b",
    "Bỏ qua",
    "skip",
    "Đất đai",
    "thôn đông",
    "🙂" * 50,
]

texts_st = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE_TEXTS),
    # Very long messages are cheap to build this way, and cross every length limit.
    st.builds(lambda ch, n: ch * n, st.characters(), st.integers(0, 20_000)),
)

VALID_BUTTONS = [AGREE, REFUSE, SKIP, NEXT, ANON, NAMED, SEND, BACK, CANCEL]
buttons_st = st.builds(
    ButtonInput,
    st.one_of(
        st.sampled_from(VALID_BUTTONS),
        st.sampled_from([f"f:{fid}" for fid, _ in FIELDS] + ["f:nope", "f:"]),
        st.integers(-3, len(VILLAGES) + 3).map(lambda i: f"v:{i}"),
        st.text(max_size=20).map(lambda s: f"f:{s}"),
        st.text(alphabet="0123456789abc-. ", max_size=6).map(lambda s: f"v:{s}"),
        st.text(max_size=70),
    ),
)

attachments_st = st.builds(
    Attachment,
    kind=st.sampled_from(AttachmentKind),
    file_id=st.none() | st.text(max_size=40),
    file_name=st.none() | texts_st,
    mime_type=st.none() | st.sampled_from([PDF, "image/jpeg", "application/x-msdownload"]),
    size=st.none() | st.integers(0, 3 * SETTINGS.max_document_bytes),
    caption=st.none() | texts_st,
    latitude=st.none() | st.floats(-90, 90),
    longitude=st.none() | st.floats(-180, 180),
)

events_st: st.SearchStrategy[Event] = st.one_of(
    st.builds(TextInput, texts_st),
    buttons_st,
    st.builds(MediaInput, attachments_st),
    st.builds(ContactInput, phone=st.text(max_size=20), own=st.booleans()),
    st.builds(UnsupportedInput, st.one_of(st.sampled_from(["sticker", "poll"]), texts_st)),
)

settings_st = st.sampled_from([SETTINGS, NO_VILLAGES])


@st.composite
def drafts_st(draw: st.DrawFn, config: IntakeSettings) -> Draft:
    """A draft at a random step, holding what a citizen must have chosen to get there."""
    step = draw(st.sampled_from(Step))
    index = ORDER.index(step)
    draft = Draft(step=step)
    # Going back to the field step keeps the field chosen before.
    chosen_field = index > ORDER.index(Step.FIELD) or (step is Step.FIELD and draw(st.booleans()))
    if chosen_field:
        draft = replace(draft, field_id=draw(st.sampled_from([fid for fid, _ in FIELDS])))
    if index > ORDER.index(Step.VILLAGE) and config.villages:
        draft = replace(draft, village=draw(st.none() | st.sampled_from(config.villages)))
    if step is Step.VILLAGE and not config.villages:
        draft = replace(draft, step=Step.CONTENT)
    if draft.step is Step.CONTENT or index > ORDER.index(Step.CONTENT):
        least = 1 if index > ORDER.index(Step.CONTENT) else 0
        part = st.one_of(
            st.text(min_size=1, max_size=config.max_text_chars)
            .map(str.strip)
            .filter(bool)
            .map(lambda t: ContentPart(text=t)),
            st.builds(ContentPart, attachment=attachments_st),
        )
        draft = replace(draft, parts=tuple(draw(st.lists(part, min_size=least, max_size=4))))
    if index > ORDER.index(Step.IDENTITY):
        anonymous = draw(st.booleans()) if step is Step.CONFIRM else False
        name = None if anonymous else draw(st.text(max_size=30))
        phone = None if anonymous or step is Step.PHONE else draw(st.none() | st.just("0912"))
        draft = replace(draft, anonymous=anonymous, shared_name=name, phone=phone)
    return draft


@dataclass(frozen=True)
class Turn:
    """One event applied to one stored draft."""

    before: Draft
    event: Event
    outcome: Outcome


@st.composite
def conversations_st(draw: st.DrawFn) -> tuple[IntakeSettings, list[Turn]]:
    """Random events fed to the dialog from a random step; a new submission follows an ended one."""
    config = draw(settings_st)
    dialog = IntakeDialog(config)
    draft = draw(drafts_st(config))
    turns = []
    for event in draw(st.lists(events_st, max_size=25)):
        outcome = dialog.handle(draft, event, sender_name=draw(texts_st))
        turns.append(Turn(draft, event, outcome))
        if outcome.draft is None:
            restarted = dialog.begin(consented=draw(st.booleans())).draft
            assert restarted is not None
            draft = restarted
        else:
            draft = outcome.draft
    return config, turns


@MODEST
@given(conversations_st())
def test_dialog_always_answers_unless_it_submits(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    _, turns = conversation
    for turn in turns:
        assert turn.outcome.submit or turn.outcome.prompts


@MODEST
@given(conversations_st())
def test_every_stored_draft_round_trips_through_json(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    _, turns = conversation
    for turn in turns:
        if turn.outcome.draft is not None:
            assert Draft.from_json(turn.outcome.draft.to_json()) == turn.outcome.draft


@MODEST
@given(conversations_st())
def test_submission_only_follows_send_on_a_complete_confirmation(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    config, turns = conversation
    for turn in turns:
        if turn.outcome.submit:
            assert turn.event == ButtonInput(SEND)
            assert turn.before.step is Step.CONFIRM
            assert config.field_name(turn.before.field_id or "") is not None
            assert turn.before.parts
            assert turn.outcome.draft is None


@MODEST
@given(conversations_st())
def test_draft_never_exceeds_the_part_and_text_limits(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    config, turns = conversation
    for turn in turns:
        draft = turn.outcome.draft
        if draft is not None:
            assert len(draft.parts) <= config.max_parts
            assert all(len(p.text or "") <= config.max_text_chars for p in draft.parts)


@MODEST
@given(conversations_st())
def test_only_consent_to_the_consent_question_is_recorded(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    _, turns = conversation
    for turn in turns:
        if turn.outcome.consented:
            assert (turn.before.step, turn.event) == (Step.CONSENT, ButtonInput(AGREE))


RENDERERS = [
    Renderer(load_texts(locale), ZoneInfo("Asia/Ho_Chi_Minh"), dict(FIELDS))
    for locale in ("vi", "en")
]
CONSENT_PARAMS = {"version": "2026-01", "controller": "UBND xã Tân Lập", "contact": ""}


@MODEST
@given(conversations_st())
def test_every_prompt_renders_in_both_languages(
    conversation: tuple[IntakeSettings, list[Turn]],
) -> None:
    _, turns = conversation
    chat = ChatRef("telegram", "42")
    for turn in turns:
        for prompt in turn.outcome.prompts:
            if prompt.key == "consent_ask":  # the intake service adds the privacy details
                prompt = replace(prompt, params=CONSENT_PARAMS)
            for renderer in RENDERERS:
                assert renderer.prompt(chat, prompt).text


WEIRD_DIGITS = ["²", "³", "¹", "①", "٣", "１", "߂", "0" * 30, "9" * 30]


@MODEST
@given(
    settings_st,
    st.sampled_from(Step),
    st.sampled_from(WEIRD_DIGITS).map(lambda d: ButtonInput(f"v:{d}")),
)
def test_village_buttons_with_any_unicode_digits_never_raise(
    config: IntakeSettings, step: Step, event: ButtonInput
) -> None:
    draft = Draft(step=step, field_id="dat_dai")
    outcome = IntakeDialog(config).handle(draft, event, sender_name="")
    assert outcome.prompts
