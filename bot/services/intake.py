"""Citizens' side of the mailbox: welcome, consent, the guided submission and its receipt."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, time

from bot.domain.intake_dialog import (
    Draft,
    Event,
    IntakeDialog,
    IntakeSettings,
    Outcome,
    Prompt,
)
from bot.domain.model import CaseEvent, CaseKind, CaseState, MessageKind
from bot.domain.outbound import LinkRole, Outbound
from bot.domain.ports import CitizenRecord, NewCase, StoredDialog
from bot.domain.text_matching import named_people
from bot.domain.tracking_code import make_code
from bot.domain.working_days import answer_due_at
from bot.services.auto_assign import auto_assign
from bot.services.deadlines import schedule_for_new_case
from bot.services.routing import notify_committee_group, notify_members, recipients
from bot.services.turn import Turn
from bot.texts.catalogue import Markup

log = logging.getLogger(__name__)

INTAKE = "intake"


def intake_settings(turn: Turn) -> IntakeSettings:
    """The dialog's view of the configuration."""
    cfg = turn.config
    return IntakeSettings(
        fields=tuple((f.id, f.name) for f in cfg.fields),
        villages=cfg.commune.villages,
        max_text_chars=cfg.limits.max_text_chars,
        max_parts=cfg.limits.max_parts,
        max_document_bytes=cfg.limits.max_document_bytes,
        document_types=cfg.limits.document_types,
    )


async def load_draft(turn: Turn) -> Draft | None:
    """The chat's submission in progress, if any."""
    stored = await turn.uow.dialogs.get(turn.chat)
    if stored is None or stored.kind != INTAKE:
        return None
    return Draft.from_json(stored.data)


async def welcome(turn: Turn) -> None:
    """/start: who we are, what this is, and the consent question if it is still open."""
    cfg = turn.config
    turn.say("welcome", commune=cfg.commune.name, body=cfg.commune.body_name)
    citizen = await turn.uow.citizens.touch(turn.sender, turn.now)
    draft = await load_draft(turn)
    if draft is not None:
        await _apply(turn, IntakeDialog(intake_settings(turn)).resume(draft))
    elif not _consented(turn, citizen):
        await _apply(turn, IntakeDialog(intake_settings(turn)).begin(consented=False))


async def begin_submission(turn: Turn) -> None:
    """/gopy: start (or resume) the guided submission."""
    dialog = IntakeDialog(intake_settings(turn))
    draft = await load_draft(turn)
    if draft is not None:
        await _apply(turn, dialog.resume(draft))
        return
    citizen = await turn.uow.citizens.touch(turn.sender, turn.now)
    if await _over_daily_limit(turn, citizen.id):
        return
    await _apply(turn, dialog.begin(consented=_consented(turn, citizen)))


async def show_current_step(turn: Turn) -> None:
    """Show the question of the step the citizen is at, if a submission is in progress."""
    draft = await load_draft(turn)
    if draft is not None:
        _show(turn, IntakeDialog(intake_settings(turn)).prompt_for(draft))


async def continue_submission(turn: Turn, draft: Draft, event: Event) -> None:
    """Feed one event to the submission in progress."""
    outcome = IntakeDialog(intake_settings(turn)).handle(
        draft, event, sender_name=turn.sender.full_name
    )
    if outcome.submit:
        await submit(turn, draft)
        return
    await _apply(turn, outcome)


async def cancel(turn: Turn) -> bool:
    """/huy during a submission; False if there was none."""
    if await load_draft(turn) is None:
        return False
    await turn.uow.dialogs.delete(turn.chat)
    turn.say("dialog_cancelled")
    return True


async def submit(turn: Turn, draft: Draft) -> None:
    """Commit the case, then tell the citizen and the members (all in this one transaction)."""
    uow, cfg, now = turn.uow, turn.config, turn.now
    citizen = await uow.citizens.touch(turn.sender, now)
    await uow.dialogs.delete(turn.chat)
    if await _over_daily_limit(turn, citizen.id):
        return
    field = cfg.field(draft.field_id or "")
    local_day = now.astimezone(cfg.commune.tz).date()
    sequence = await uow.cases.next_sequence(local_day.isoformat())
    code = make_code(cfg.commune.code, local_day, sequence, await uow.secret())
    case = await uow.cases.create(
        NewCase(
            code=code,
            citizen_id=citizen.id,
            field_id=field.id,
            village=draft.village,
            kind=CaseKind.SUGGESTION,
            anonymous=bool(draft.anonymous),
            shared_name=None if draft.anonymous else draft.shared_name,
            shared_phone=None if draft.anonymous else draft.phone,
            created_at=now,
            due_at=answer_due_at(
                now, field.answer_days, field.answer_day_kind, cfg.commune.tz, turn.calendar
            ),
        )
    )
    await schedule_for_new_case(uow, cfg, turn.calendar, case, now)
    body = "\n\n".join(p.text for p in draft.parts if p.text)
    attachments = [p.attachment for p in draft.parts if p.attachment]
    await uow.cases.add_message(case.id, MessageKind.CITIZEN, body, None, attachments, now)
    await uow.cases.add_event(
        CaseEvent(case.id, "received", "citizen", None, CaseState.RECEIVED, None, now)
    )
    log.info("case %s received in field %s", case.id, case.field_id)
    render = turn.render
    receipt = render.say(
        turn.chat,
        "receipt",
        code=case.code,
        field=render.field_name(case.field_id),
        handler=Markup(render.t("handler_field_members")),
        days=field.answer_days,
        unit=render.t(f"unit_{field.answer_day_kind}"),
        due=render.date(case.due_at),
    )
    turn.send(_linked(receipt, case.id))
    named = named_people(body, {m.id: m.name for m in await uow.members.all_active()})
    if named:
        # Hidden from the members it names; the chair decides who handles it.
        await uow.cases.exclude(case.id, sorted(named))
        await uow.audit("system", "conflict_of_interest", case.id, ",".join(sorted(named)), now)
    routing = await recipients(uow, cfg, case)
    turn.send(*await notify_committee_group(uow, render, cfg, case))
    if await auto_assign(turn, case, routing.members):
        return
    turn.send(
        *await notify_members(uow, render, case, routing.members, title_key=routing.title_key)
    )


def _linked(message: Outbound, case_id: int) -> Outbound:
    """A message to the citizen about a case: replying to it adds to that case."""
    return replace(message, case_id=case_id, link_role=LinkRole.CITIZEN_NOTICE)


async def _apply(turn: Turn, outcome: Outcome) -> None:
    """Store the dialog's next draft (or end it) and queue its prompts."""
    if outcome.consented:
        citizen = await turn.uow.citizens.touch(turn.sender, turn.now)
        await turn.uow.citizens.record_consent(
            citizen.id, turn.config.privacy.consent_version, turn.now
        )
    if outcome.draft is None:
        await turn.uow.dialogs.delete(turn.chat)
    else:
        stored = StoredDialog(INTAKE, outcome.draft.step.value, outcome.draft.to_json())
        await turn.uow.dialogs.put(turn.chat, stored, turn.now)
    for prompt in outcome.prompts:
        _show(turn, prompt)


def _show(turn: Turn, prompt: Prompt) -> None:
    """Queue a dialog prompt; the consent notice gets its details from config."""
    if prompt.key == "consent_ask":
        prompt = _with_consent_params(turn, prompt)
    turn.send(turn.render.prompt(turn.chat, prompt))


def _with_consent_params(turn: Turn, prompt: Prompt) -> Prompt:
    privacy = turn.config.privacy
    contact = turn.render.t("consent_contact", contact=privacy.contact) if privacy.contact else ""
    params = {
        "version": privacy.consent_version,
        "controller": privacy.controller,
        "contact": Markup(contact),
    }
    return replace(prompt, params=params)


def _consented(turn: Turn, citizen: CitizenRecord) -> bool:
    return citizen.consent_version == turn.config.privacy.consent_version


async def _over_daily_limit(turn: Turn, citizen_id: int) -> bool:
    """Refuse politely when the citizen reached today's cap of submissions."""
    limit = turn.config.limits.submissions_per_day
    tz = turn.config.commune.tz
    midnight = datetime.combine(turn.now.astimezone(tz).date(), time(0), tzinfo=tz)
    if await turn.uow.cases.count_since(citizen_id, midnight) < limit:
        return False
    turn.say("daily_limit", max=limit)
    return True
